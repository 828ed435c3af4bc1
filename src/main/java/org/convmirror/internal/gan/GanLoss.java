package org.convmirror.internal.gan;

import static org.convmirror.internal.nn.Owned.scalar;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.convmirror.error.UsageException;

/**
 * The adversarial objectives, all on raw discriminator outputs (logits or critic scores). The
 * discriminator minimises {@link #discriminator}, the generator {@link #generator}.
 */
public enum GanLoss {
  /**
   * Binary cross-entropy on logits with the non-saturating generator loss (Goodfellow et al. 2014,
   * §3): D maximises log D(x) + log(1 − D(G(z))); G maximises log D(G(z)).
   */
  BCE,
  /** Least squares (Mao et al. 2017): D pushes real to 1 and fake to 0; G pushes fake to 1. */
  LSGAN,
  /** Hinge (Lim &amp; Ye 2017; Miyato et al. 2018): max(0, 1 − D(x)) + max(0, 1 + D(G(z))). */
  HINGE,
  /**
   * Wasserstein critic with weight clipping (Arjovsky et al. 2017): D maximises D(x) − D(G(z)), its
   * weights clipped to [−c, c] after every step.
   */
  WASSERSTEIN;

  /**
   * The discriminator's loss on a batch of real and fake outputs; {@code realTarget} < 1 is
   * one-sided label smoothing (Salimans et al. 2016), used by BCE and LSGAN.
   */
  public NDArray discriminator(NDArray real, NDArray fake, float realTarget) {
    return switch (this) {
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
  public NDArray generator(NDArray fake) {
    return switch (this) {
      case BCE -> softplus(fake.neg()).mean();
      case LSGAN -> fake.sub(1).square().mean().mul(scalar(fake, 0.5f));
      case HINGE, WASSERSTEIN -> fake.mean().neg();
    };
  }

  /** The name {@code --loss} takes and {@code run.json} records, e.g. {@code bce}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The loss {@code --loss} names, case-insensitively. */
  @JsonCreator
  public static GanLoss of(String id) {
    for (GanLoss l : values()) if (l.id().equalsIgnoreCase(id.strip())) return l;
    throw new UsageException(
        "--loss must be one of "
            + Arrays.stream(values()).map(GanLoss::id).toList()
            + ", was '"
            + id
            + "'");
  }

  /** Whether D's output is a probability logit, so that σ(output) is a meaningful D(x). */
  public boolean hasProbabilities() {
    return this == BCE;
  }

  /** log(1 + eˣ) computed as max(x, 0) + log(1 + e^−|x|), which never overflows. */
  static NDArray softplus(NDArray x) {
    return x.maximum(scalar(x, 0)).add(x.abs().neg().exp().add(1).log());
  }
}
