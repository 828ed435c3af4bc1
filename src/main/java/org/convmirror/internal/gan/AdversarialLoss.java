package org.convmirror.internal.gan;

import static org.convmirror.internal.nn.Owned.scalar;

import ai.djl.ndarray.NDArray;
import org.convmirror.options.GanLoss;

/**
 * The arithmetic of each {@link GanLoss} on the engine, all on raw discriminator outputs (logits or
 * critic scores). The discriminator minimises {@link #discriminator}, the generator {@link
 * #generator}.
 */
public final class AdversarialLoss {
  private AdversarialLoss() {}

  /**
   * The discriminator's loss on a batch of real and fake outputs; {@code realTarget} < 1 is
   * one-sided label smoothing (Salimans et al. 2016), used by BCE and LSGAN.
   */
  public static NDArray discriminator(GanLoss loss, NDArray real, NDArray fake, float realTarget) {
    return switch (loss) {
      // Constants a product or a maximum keeps for backward are engine-owned (see Owned).
      case BCE ->
          (realTarget == 1
                  ? softplus(real.neg()) // no smoothing: the second term is zero, skip it
                  : softplus(real.neg())
                      .mul(scalar(real, realTarget))
                      .add(softplus(real).mul(scalar(real, 1 - realTarget))))
              .mean()
              .add(softplus(fake).mean());
      case LSGAN ->
          real.sub(realTarget).square().mean().add(fake.square().mean()).mul(scalar(real, 0.5f));
      case HINGE ->
          real.neg()
              .add(1)
              .maximum(scalar(real, 0))
              .mean()
              .add(fake.add(1).maximum(scalar(fake, 0)).mean());
      case WASSERSTEIN -> fake.mean().sub(real.mean());
    };
  }

  /** The generator's loss on the discriminator's outputs for its samples. */
  public static NDArray generator(GanLoss loss, NDArray fake) {
    return switch (loss) {
      case BCE -> softplus(fake.neg()).mean();
      case LSGAN -> fake.sub(1).square().mean().mul(scalar(fake, 0.5f));
      case HINGE, WASSERSTEIN -> fake.mean().neg();
    };
  }

  /** log(1 + eˣ) computed as max(x, 0) + log(1 + e^−|x|), which never overflows. */
  public static NDArray softplus(NDArray x) {
    return x.maximum(scalar(x, 0)).add(x.abs().neg().exp().add(1).log());
  }
}
