package org.convmirror.internal.data;

import java.util.List;
import java.util.SplittableRandom;
import org.convmirror.shape.Bytes;

/**
 * A seeded dataset of simple shapes (disc, rectangle, ring) of random position, size and colour on
 * black, labelled by shape, that a GAN or VAE learns visibly within a few hundred steps.
 */
public final class Synthetic {
  /** Label values index this list. */
  public static final List<String> CLASS_NAMES = List.of("disc", "rectangle", "ring");

  private Synthetic() {}

  /**
   * Generates {@code count} images of shape {@code channels×height×width}; image {@code i} depends
   * only on {@code seed} and {@code i}, so a smaller count gives a prefix of a larger one.
   */
  public static ImageSet generate(int count, int channels, int height, int width, long seed) {
    if (count < 1 || channels < 1 || height < 1 || width < 1) {
      throw new DataException(
          "synthetic data needs count, channels, height and width ≥ 1, were "
              + count
              + ", "
              + channels
              + "×"
              + height
              + "×"
              + width);
    }
    long values = (long) count * channels * height * width;
    if (values > Integer.MAX_VALUE - 8) {
      throw new DataException(
          "synthetic data of "
              + count
              + " images holds "
              + values
              + " values, more than one Java"
              + " array holds; use fewer images");
    }
    int size = channels * height * width;
    float[] pixels;
    try {
      pixels = new float[(int) values];
    } catch (OutOfMemoryError e) { // one failed allocation: nothing else is left half-done
      throw new DataException(
          "synthetic data of "
              + count
              + " images needs "
              + Bytes.format(values * Float.BYTES)
              + ", more than the Java heap has left; use fewer images or give Java more heap"
              + " (CONVMIRROR_JAVA_OPTS='-Xmx16g -Xmn64m')");
    }
    int[] labels = new int[count];
    float[] colour = new float[channels];
    for (int i = 0; i < count; i++) {
      SplittableRandom random = new SplittableRandom(Seeds.mix(seed, i));
      int shape = random.nextInt(CLASS_NAMES.size());
      labels[i] = shape;
      double minSide = Math.min(height, width);
      double r = minSide * random.nextDouble(0.18, 0.38);
      // Keep the centre far enough in that most of the shape is visible.
      double cx = random.nextDouble(r * 0.8, Math.max(r * 0.8 + 1e-9, width - r * 0.8));
      double cy = random.nextDouble(r * 0.8, Math.max(r * 0.8 + 1e-9, height - r * 0.8));
      double aspect = random.nextDouble(0.6, 1.4);
      for (int c = 0; c < channels; c++) {
        colour[c] = (float) random.nextDouble(0.35, 1.0);
      }
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          // Sample at pixel centres; the signed distance gives one pixel of anti-aliasing.
          double dx = x + 0.5 - cx;
          double dy = y + 0.5 - cy;
          double distance =
              switch (shape) {
                case 0 -> Math.sqrt(dx * dx + dy * dy) - r;
                case 1 ->
                    Math.max(Math.abs(dx) - r * aspect * 0.85, Math.abs(dy) - r / aspect * 0.85);
                default -> Math.abs(Math.sqrt(dx * dx + dy * dy) - r * 0.75) - r * 0.25;
              };
          float coverage = (float) Math.min(1, Math.max(0, 0.5 - distance));
          int base = i * size + y * width + x;
          for (int c = 0; c < channels; c++) {
            pixels[base + c * height * width] = coverage * colour[c] * 2f - 1f;
          }
        }
      }
    }
    String source = "synthetic(count=" + count + ", seed=" + seed + ")";
    return new ImageSet(count, channels, height, width, pixels, labels, CLASS_NAMES, source, null);
  }
}
