package org.convmirror.internal.nn;

/**
 * Lazy regularisation (Karras et al. 2020, StyleGAN2, arXiv:1912.04958, §3.1): a penalty computed
 * only every {@code interval} discriminator steps, weighted by {@code interval} so that its average
 * strength is unchanged. Interval 1 is the ordinary penalty on every step.
 *
 * @param interval steps between two penalised steps, ≥ 1 (StyleGAN2: 16)
 */
public record LazyRegularisation(int interval) {
  public LazyRegularisation {
    if (interval < 1) {
      throw new IllegalArgumentException("penalty interval must be >= 1, was " + interval);
    }
  }

  /** Whether discriminator step {@code step} (counted from 0) carries the penalty. */
  public boolean due(long step) {
    return step % interval == 0;
  }

  /** The weight to apply on a due step: {@code weight}·interval. */
  public float weight(float weight) {
    return weight * interval;
  }

  /**
   * The factor c = k/(k + 1) by which StyleGAN2 scales the discriminator's Adam learning rate and
   * raises its betas (β^c) when the penalty is an optimiser step of its own: k + 1 steps then do
   * the work of k. Not needed when the penalty is added to a due step's loss.
   */
  public double adamRatio() {
    return interval / (interval + 1.0);
  }
}
