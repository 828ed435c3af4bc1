package org.convmirror.internal.run;

/**
 * A batch of images as one flat {@code float[]} in N×C×H×W order, the layout an engine tensor
 * exports; C is 1 (grayscale) or 3 (RGB).
 */
public record ImageBatch(float[] data, int n, int channels, int height, int width) {
  public ImageBatch {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, was " + channels);
    }
    if (n < 0 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "shape must have n ≥ 0, height ≥ 1, width ≥ 1, was " + shape(n, channels, height, width));
    }
    long expected = (long) n * channels * height * width;
    if (data.length != expected) {
      throw new IllegalArgumentException(
          "data length must be N*C*H*W = "
              + expected
              + " for shape "
              + shape(n, channels, height, width)
              + ", was "
              + data.length);
    }
  }

  /** Number of floats per image. */
  public int imageSize() {
    return channels * height * width;
  }

  /** The value at image {@code i}, channel {@code c}, row {@code y}, column {@code x}. */
  public float at(int i, int c, int y, int x) {
    return data[((i * channels + c) * height + y) * width + x];
  }

  private static String shape(int n, int c, int h, int w) {
    return "(" + n + ", " + c + ", " + h + ", " + w + ")";
  }
}
