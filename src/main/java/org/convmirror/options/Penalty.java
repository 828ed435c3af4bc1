package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.convmirror.error.UsageException;

/**
 * A gradient penalty on the discriminator, added to its loss. Make one with {@link #builder}.
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

  /** λ = 10, the WGAN-GP paper's, which also serves R1 on images of this size (Mescheder 2018). */
  public static final int WEIGHT = 10;

  /** Every discriminator step: lazy regularisation only pays off for large networks. */
  public static final int EVERY = 1;

  /** No penalty. */
  public static final Penalty NONE = builder(Kind.NONE).build();

  public Penalty {
    if (kind == null) kind = Kind.NONE;
    if (every == 0) every = EVERY; // absent in a record written before the field existed
    if (!(weight >= 0 && Float.isFinite(weight))) {
      throw new UsageException("--penalty-weight must be ≥ 0, was " + weight);
    }
    if (every < 1) throw new UsageException("--penalty-every must be ≥ 1, was " + every);
    if (kind != Kind.NONE && weight == 0) {
      throw new UsageException("--penalty " + kind.id() + " needs a weight > 0 (--penalty-weight)");
    }
  }

  /** A penalty of {@code kind} with the default weight and interval. */
  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  /** A builder that starts from this penalty. */
  public Builder toBuilder() {
    return builder(kind).weight(weight).every(every);
  }

  /** Whether discriminator step {@code step} (counted from 0) carries the penalty. */
  public boolean due(long step) {
    return kind != Kind.NONE && step % every == 0;
  }

  /** The weight on a due step: the interval times the weight, so the average is unchanged. */
  public float dueWeight() {
    return weight * every;
  }

  /** Builds a {@link Penalty}. */
  public static final class Builder {
    private final Kind kind;
    private float weight = WEIGHT;
    private int every = EVERY;

    private Builder(Kind kind) {
      this.kind = kind;
    }

    public Builder weight(float w) {
      this.weight = w;
      return this;
    }

    public Builder every(int steps) {
      this.every = steps;
      return this;
    }

    /** The penalty; one of kind none has no weight, whatever was set. */
    public Penalty build() {
      boolean none = kind == Kind.NONE;
      return new Penalty(kind, none ? 0 : weight, none ? EVERY : every);
    }
  }
}
