package org.convmirror.internal.eval;

import java.util.Locale;
import org.convmirror.internal.data.DataException;

/**
 * Checks images before they are scored: every value finite and in [0, 1], the range {@code sample}
 * writes. Out-of-range data gives numbers that look like scores (0–255 pixels score a Fréchet
 * distance of 5e7), and NaN stops the eigen-solver with an internal error.
 */
public final class PixelRange {
  /** Float error a sigmoid or {@code (tanh + 1) / 2} may add beyond the ends. */
  public static final double TOLERANCE = 1e-4;

  private PixelRange() {}

  /**
   * Checks the first {@code count} values of {@code pixels}.
   *
   * @param source names the images in the message, e.g. a file
   * @param nonFiniteAdvice what to do about NaN or infinite values
   * @throws DataException counting the bad values and giving their range
   */
  public static void check(float[] pixels, int count, String source, String nonFiniteAdvice) {
    long nonFinite = 0;
    long outside = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      float v = pixels[i];
      if (!Float.isFinite(v)) {
        nonFinite++;
        continue;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
      if (v < -TOLERANCE || v > 1 + TOLERANCE) outside++;
    }
    if (nonFinite > 0) {
      throw new DataException(
          String.format(
              Locale.ROOT,
              "%s holds %,d values that are NaN or infinite (of %,d); %s",
              source,
              nonFinite,
              count,
              nonFiniteAdvice));
    }
    if (outside > 0) {
      throw new DataException(
          String.format(
              Locale.ROOT,
              "%s holds %,d values outside [0, 1] (they range from %s to %s); 'evaluate' scores"
                  + " images in [0, 1] as 'convmirror sample' writes them: divide 0–255 pixels by"
                  + " 255, map [-1, 1] ones to (x + 1) / 2",
              source,
              outside,
              (float) min,
              (float) max));
    }
  }
}
