package org.convmirror.internal.bench;

import org.convmirror.shape.Plan;

/**
 * The useful floating-point work of one training iteration, counted from the plans'
 * multiply-accumulates (convolutions, transposed convolutions and dense layers; batch norm,
 * activations, losses and the optimiser are not counted).
 *
 * <p>With {@code G} the generator's and {@code D} the discriminator's forward MACs per image (the
 * plans' {@code macs}), one iteration of {@link org.convmirror.internal.gan.GanObjective#step} with
 * one discriminator step does, per image:
 *
 * <pre>
 *   generator forward G(z)                                   G
 *   discriminator step: D(x) and D(G(z)) forward             2·D
 *                       backward through D, both batches     2·(2·D)
 *   generator step:     D(G(z)) forward again                D
 *                       backward through D, D frozen         D   (input gradients only)
 *                       backward through G                   2·G
 *   ------------------------------------------------------------
 *   MACs per image                                           3·G + 8·D
 *   useful FLOPs per iteration                     2 · batch · (3·G + 8·D)
 * </pre>
 *
 * A backward pass counts 2× its forward: one product for the gradient w.r.t. the layer's input and
 * one for the gradient w.r.t. its weights. This slightly over-counts the first layer of D on real
 * images and the first layer of G, whose input gradients are not needed (libtorch skips them), so
 * the GFLOP/s reported are a convention, the same one for every implementation compared.
 */
public final class UsefulFlops {
  private UsefulFlops() {}

  /** Multiply-accumulates per image of one iteration: {@code 3·G + 8·D}. */
  public static long ganMacsPerImage(Plan generator, Plan discriminator) {
    return 3 * generator.macs() + 8 * discriminator.macs();
  }

  /**
   * A VAE step per image: encoder E, the two dense heads H (mean and log-variance, 2·F·latent for F
   * encoder features) and decoder R, each forward once and backward once: {@code 3·(E + H + R)}.
   */
  public static long vaeMacsPerImage(Plan encoder, Plan decoder, long features, int latent) {
    return 3 * (encoder.macs() + 2 * features * latent + decoder.macs());
  }

  /** Useful FLOPs of one iteration on {@code batch} images: {@code 2·batch·(3·G + 8·D)}. */
  public static double ganFlopsPerIteration(Plan generator, Plan discriminator, int batch) {
    return 2.0 * batch * ganMacsPerImage(generator, discriminator);
  }
}
