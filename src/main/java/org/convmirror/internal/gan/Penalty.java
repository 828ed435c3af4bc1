package org.convmirror.internal.gan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.convmirror.error.UsageException;

/**
 * A gradient penalty on the discriminator, added to its loss.
 *
 * @param kind none, WGAN-GP (Gulrajani et al. 2017) or R1 (Mescheder et al. 2018)
 * @param weight λ for WGAN-GP (10 in the paper), γ for R1
 * @param every apply it every this many discriminator steps, scaled by the interval (StyleGAN2's
 *     lazy regularisation; 1 is every step)
 */
public record Penalty(Kind kind, float weight, int every) {

  /** The penalties, by the name {@code --penalty} takes. */
  public enum Kind {
    NONE,
    WGAN_GP,
    R1;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Kind of(String id) {
      for (Kind k : values()) if (k.id().equalsIgnoreCase(id.strip())) return k;
      throw new UsageException(
          "--penalty must be one of "
              + Arrays.stream(values()).map(Kind::id).toList()
              + ", was '"
              + id
              + "'");
    }
  }

  /** No penalty. */
  public static final Penalty NONE = new Penalty(Kind.NONE, 0, 1);

  public Penalty {
    if (kind == null) kind = Kind.NONE;
    if (every == 0) every = 1; // absent in a record written before the field existed
    if (!(weight >= 0 && Float.isFinite(weight))) {
      throw new UsageException("--penalty-weight must be ≥ 0, was " + weight);
    }
    if (every < 1) throw new UsageException("--penalty-every must be ≥ 1, was " + every);
    if (kind != Kind.NONE && weight == 0) {
      throw new UsageException("--penalty " + kind.id() + " needs a weight > 0 (--penalty-weight)");
    }
  }

  /** WGAN-GP with the paper's λ = 10 on every critic step. */
  public static Penalty wganGp() {
    return new Penalty(Kind.WGAN_GP, 10, 1);
  }

  /** R1 with γ and lazy interval {@code every}. */
  public static Penalty r1(float gamma, int every) {
    return new Penalty(Kind.R1, gamma, every);
  }

  /** Whether discriminator step {@code step} (counted from 0) carries the penalty. */
  public boolean due(long step) {
    return kind != Kind.NONE && step % every == 0;
  }

  /** The weight on a due step: the interval times the weight, so the average is unchanged. */
  public float dueWeight() {
    return weight * every;
  }
}
