package org.convmirror.internal.gan;

import java.util.List;
import java.util.Locale;
import org.convmirror.internal.train.DivergenceGuard;
import org.convmirror.internal.train.Metrics;
import org.convmirror.options.GanLoss;
import org.convmirror.options.GanOptions;

/**
 * When a GAN's numbers show it going wrong, read by metric name: a discriminator that wins outright
 * (a warning), and a divergence (the run stops) — a loss beyond any healthy value, or outputs
 * saturated past where a gradient flows.
 */
final class GanHealth {
  /**
   * A GAN loss beyond ±this belongs to no healthy run: DCGAN's BCE and LSGAN losses stay below ~10
   * (dcgan28's largest in its first epoch on Fashion-MNIST: 7.2), a BCE loss of 1e5 needs logits of
   * 1e5, and the critic values of WGAN-GP, which legitimately reach 10–100, are 1,000× below it.
   * --lr 1e9 gives 1e18–1e21.
   */
  static final double RUNAWAY = 1e5;

  /**
   * D(x) and D(G(z)) both this close to 0 or 1: every logit beyond about ±13.8, where σ' < 1e-6, so
   * that D's loss passes it no gradient. A healthy dcgan28 came no closer than D(G(z)) = 0.0016 in
   * its first epoch on Fashion-MNIST.
   */
  static final double SATURATED = 1e-6;

  /**
   * A BCE discriminator loss below this: D tells every image apart with a confidence above 99 %, so
   * that σ has saturated and the generator's gradient through it is nearly gone.
   */
  static final double WON = 0.01;

  private final GanOptions options;

  GanHealth(GanOptions options) {
    this.options = options;
  }

  /**
   * The discriminator has won outright. Only for BCE, whose D(x) is a probability: LSGAN's loss
   * grows with the distance from the target on either side, so its generator keeps a gradient
   * however well D separates (Mao et al. 2017, §3.2); hinge and Wasserstein have no floor to reach.
   */
  String trouble(Metrics m) {
    double d = m.get(GanObjective.D_LOSS);
    if (!options.loss().hasProbabilities() || d >= WON) return null;
    return String.format(
        Locale.ROOT,
        "the discriminator has won outright (D loss %.4f): the generator gets almost no"
            + " gradient. Try --real-label 0.9, spectral_norm: true on the discriminator, or"
            + " --loss hinge.",
        d);
  }

  String divergence(Metrics m) {
    String runaway =
        DivergenceGuard.runaway(m, List.of(GanObjective.D_LOSS, GanObjective.G_LOSS), RUNAWAY);
    if (runaway != null) return runaway + ", more than any healthy GAN loss";
    double real = m.get(GanObjective.D_REAL);
    double fake = m.get(GanObjective.D_FAKE);
    if (options.loss().hasProbabilities() && saturated(real) && saturated(fake)) {
      return String.format(
          Locale.ROOT,
          "the discriminator's outputs are saturated (D(x) %.7f, D(G(z)) %.7f): its sigmoid"
              + " passes no gradient",
          real,
          fake);
    }
    return null;
  }

  private static boolean saturated(double probability) {
    return probability < SATURATED || probability > 1 - SATURATED;
  }

  String advice() {
    return String.format(
        Locale.ROOT,
        "train a new run with a lower --lr (this one has %.3g)%s",
        options.discriminator().learningRate(),
        options.loss() == GanLoss.HINGE ? "" : " or with --loss hinge");
  }
}
