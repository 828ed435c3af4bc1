package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.convmirror.error.UsageException;

/**
 * The adversarial objectives, all on raw discriminator outputs (logits or critic scores); the
 * engine's arithmetic of each is in the training code.
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

  /**
   * Whether D's output is a logit, so that σ(output) is a probability D(x) that saturates at 0 and
   * 1. Only BCE's: LSGAN, hinge and Wasserstein score with unbounded real numbers, whose losses
   * keep a gradient however far apart real and fake are (for LSGAN the very point of Mao et al.
   * 2017).
   */
  public boolean hasProbabilities() {
    return this == BCE;
  }
}
