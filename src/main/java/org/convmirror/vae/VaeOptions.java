package org.convmirror.vae;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.UsageException;

/**
 * The knobs of VAE training, with their defaults and each default's reason at its constant.
 *
 * @param learningRate Adam's step size
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param klWeight β, the weight of the KL term (1: the ELBO itself; Higgins et al. 2017 for others)
 * @param klWarmupEpochs epochs over which β ramps linearly from 0, 0 for none
 */
public record VaeOptions(
    @JsonProperty("learning_rate") float learningRate,
    float beta1,
    float beta2,
    @JsonProperty("kl_weight") float klWeight,
    @JsonProperty("kl_warmup_epochs") int klWarmupEpochs) {

  /** Adam's own step, larger than a GAN's: a VAE has one stationary objective. */
  public static final float LEARNING_RATE = 1e-3f;

  /** Adam's own default (Kingma &amp; Ba 2015). */
  public static final float BETA1 = 0.9f;

  public static final float BETA2 = 0.999f;

  /** β = 1: the loss is the negative ELBO, a bound on −log p(x) in nats. */
  public static final float KL_WEIGHT = 1f;

  public VaeOptions {
    check(
        learningRate > 0 && Float.isFinite(learningRate),
        "--lr must be a positive number, was " + learningRate);
    check(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1), was " + beta1);
    check(beta2 >= 0 && beta2 < 1, "--beta2 must be in [0, 1), was " + beta2);
    check(klWeight >= 0 && Float.isFinite(klWeight), "--kl-weight must be ≥ 0, was " + klWeight);
    check(klWarmupEpochs >= 0, "--kl-warmup must be ≥ 0, was " + klWarmupEpochs);
  }

  /** Every field at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** β at {@code epochs} epochs done (a fraction): the KL weight, ramped over the warm-up. */
  public float beta(double epochs) {
    if (klWarmupEpochs <= 0) return klWeight;
    return (float) (klWeight * Math.min(1, epochs / klWarmupEpochs));
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new UsageException(message);
  }

  /** Builds {@link VaeOptions}, starting from the defaults. */
  public static final class Builder {
    private float learningRate = LEARNING_RATE;
    private float beta1 = BETA1;
    private float beta2 = BETA2;
    private float klWeight = KL_WEIGHT;
    private int klWarmupEpochs;

    private Builder() {}

    public Builder learningRate(float lr) {
      this.learningRate = lr;
      return this;
    }

    public Builder beta1(float beta1) {
      this.beta1 = beta1;
      return this;
    }

    public Builder beta2(float beta2) {
      this.beta2 = beta2;
      return this;
    }

    public Builder klWeight(float beta) {
      this.klWeight = beta;
      return this;
    }

    public Builder klWarmupEpochs(int epochs) {
      this.klWarmupEpochs = epochs;
      return this;
    }

    public VaeOptions build() {
      return new VaeOptions(learningRate, beta1, beta2, klWeight, klWarmupEpochs);
    }
  }
}
