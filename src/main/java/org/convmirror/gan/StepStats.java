package org.convmirror.gan;

/**
 * What one training iteration measured. {@code dReal} and {@code dFake} are the mean discriminator
 * outputs — probabilities σ(logit) for BCE, raw scores for the other losses.
 */
public record StepStats(double dLoss, double gLoss, double dReal, double dFake) {

  public boolean finite() {
    return Double.isFinite(dLoss) && Double.isFinite(gLoss);
  }
}
