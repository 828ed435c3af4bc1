package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.convmirror.error.UsageException;

/**
 * The number format training computes its convolutions in. Weights, gradients, the optimiser's
 * state, batch norm, activations and losses are float32 in every case; only the convolutions'
 * arithmetic changes.
 */
public enum Precision {
  /** Everything in float32: the reference, and what runs of earlier releases resume with. */
  FP32,
  /**
   * Mixed precision: convolutions and transposed convolutions with at least 16 input and output
   * channels take bfloat16 operands and give bfloat16 results (float32 accumulation), cast back to
   * float32 at once; the layers next to the images (few channels) and spectral-norm layers stay
   * float32. Fast on CPUs with bfloat16 matrix units (Intel AMX) or AMD's AVX512-BF16; it costs the
   * default GAN some quality (docs/notes/quality.md).
   */
  BF16,
  /**
   * {@link #BF16} in the half you declare — the discriminator, or the VAE's encoder — and {@link
   * #FP32} in the mirrored half that draws the images. The default GAN's samples then score as
   * float32's do (five seeds, five epochs), and its training loop keeps about three quarters of
   * {@link #BF16}'s speed-up (docs/notes/quality.md, docs/notes/speed.md).
   */
  BF16_DECLARED,
  /**
   * The default: {@link #BF16_DECLARED} where bfloat16 is faster on this CPU (Intel AMX, or AMD's
   * AVX512-BF16), else {@link #FP32}; resolved once, when a run is made, and recorded as the
   * concrete choice, so a run resumes in the precision it started in on any machine.
   */
  AUTO;

  /**
   * The name {@code --precision} takes and {@code run.json} records, e.g. {@code bf16-declared}.
   */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * What the declared half (discriminator, encoder) computes in: {@link #FP32} or {@link #BF16}.
   * {@link #AUTO} must be resolved first.
   */
  public Precision declared() {
    return switch (this) {
      case FP32 -> FP32;
      case BF16, BF16_DECLARED -> BF16;
      case AUTO -> throw new IllegalStateException("resolve --precision auto first");
    };
  }

  /**
   * What the derived half (generator, decoder) computes in: {@link #FP32} or {@link #BF16}. {@link
   * #AUTO} must be resolved first.
   */
  public Precision derived() {
    return switch (this) {
      case FP32, BF16_DECLARED -> FP32;
      case BF16 -> BF16;
      case AUTO -> throw new IllegalStateException("resolve --precision auto first");
    };
  }

  /** The precision {@code --precision} names, case-insensitively. */
  @JsonCreator
  public static Precision of(String id) {
    for (Precision p : values()) if (p.id().equalsIgnoreCase(id.strip())) return p;
    throw new UsageException(
        "--precision must be one of "
            + Arrays.stream(values()).map(Precision::id).toList()
            + ", was '"
            + id
            + "'");
  }
}
