package org.convmirror.internal.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable in-memory image dataset: {@code count} images of shape C×H×W, stored as one float
 * array in N×C×H×W order scaled to [-1, 1] (the range of a tanh generator), with optional labels.
 */
public final class ImageSet {
  private final int count;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] pixels;
  private final int[] labels;
  private final List<String> classNames;
  private final String source;
  private final String hash;

  // Takes ownership of the arrays without copying: a 60k-image set is ~190 MB of floats.
  ImageSet(
      int count,
      int channels,
      int height,
      int width,
      float[] pixels,
      int[] labels,
      List<String> classNames,
      String source,
      String hash) {
    if (count < 0 || channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "image set shape must be N≥0 and C,H,W≥1, was "
              + count
              + "×"
              + channels
              + "×"
              + height
              + "×"
              + width);
    }
    if ((long) count * channels * height * width != pixels.length) {
      throw new IllegalArgumentException(
          "pixels.length must be N·C·H·W = "
              + (long) count * channels * height * width
              + ", was "
              + pixels.length);
    }
    if (labels != null && labels.length != count) {
      throw new IllegalArgumentException(
          "labels.length must equal count " + count + ", was " + labels.length);
    }
    this.count = count;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
    this.labels = labels;
    this.classNames = List.copyOf(classNames);
    this.source = Objects.requireNonNull(source, "source");
    this.hash = hash != null ? hash : Hashes.of(pixels, labels);
  }

  /**
   * Builds a set from copies of {@code pixels} (N×C×H×W, in [-1, 1]) and {@code labels} (or null);
   * {@code source} says where the data came from.
   */
  public static ImageSet of(
      int channels, int height, int width, float[] pixels, int[] labels, String source) {
    int imageSize = channels * height * width;
    if (imageSize <= 0 || pixels.length % imageSize != 0) {
      throw new IllegalArgumentException(
          "pixels.length " + pixels.length + " is not a multiple of C·H·W = " + imageSize);
    }
    return new ImageSet(
        pixels.length / imageSize,
        channels,
        height,
        width,
        pixels.clone(),
        labels == null ? null : labels.clone(),
        List.of(),
        source,
        null);
  }

  public int count() {
    return count;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Floats per image, C·H·W. */
  public int imageSize() {
    return channels * height * width;
  }

  /** The image shape as people write it, e.g. {@code 1×28×28}. */
  public String shape() {
    return channels + "×" + height + "×" + width;
  }

  public boolean hasLabels() {
    return labels != null;
  }

  /** The label of image {@code i}; fails if this set has no labels. */
  public int label(int i) {
    if (labels == null) {
      throw new IllegalStateException("data " + source + " has no labels");
    }
    return labels[Objects.checkIndex(i, count)];
  }

  /** A copy of all labels, or null when the data has none. */
  public int[] labels() {
    return labels == null ? null : labels.clone();
  }

  /** Human names of the label values (index = label), or empty when unknown. */
  public List<String> classNames() {
    return classNames;
  }

  /** Where the data came from: a path, several paths, or a generator with its seed. */
  public String source() {
    return source;
  }

  /** First 16 hex digits of a SHA-256 over the data's content. */
  public String hash() {
    return hash;
  }

  /** One line for provenance records, e.g. {@code /data/x.gz [60000×1×28×28, sha256:…]}. */
  public String identity() {
    return source + " [" + count + "×" + shape() + ", sha256:" + hash + "]";
  }

  /** A copy of all pixels, N×C×H×W in [-1, 1], for code that works on whole arrays. */
  public float[] pixels() {
    return pixels.clone();
  }

  /** A copy of image {@code i}, C×H×W in [-1, 1]. */
  public float[] image(int i) {
    float[] out = new float[imageSize()];
    copyImage(i, out, 0);
    return out;
  }

  /** Copies image {@code i} into {@code dest} at {@code offset}, without allocating. */
  public void copyImage(int i, float[] dest, int offset) {
    int size = imageSize();
    System.arraycopy(pixels, Objects.checkIndex(i, count) * size, dest, offset, size);
  }

  /** The first {@code n} images (all of them if {@code n ≥ count}). */
  public ImageSet head(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("head(n) needs n ≥ 0, was " + n);
    }
    if (n >= count) {
      return this;
    }
    int size = imageSize();
    return new ImageSet(
        n,
        channels,
        height,
        width,
        Arrays.copyOf(pixels, n * size),
        labels == null ? null : Arrays.copyOf(labels, n),
        classNames,
        source + " head(" + n + ")",
        null);
  }

  /** The images at {@code indices}, in that order (repeats allowed). */
  public ImageSet subset(int[] indices) {
    int size = imageSize();
    float[] outPixels = new float[indices.length * size];
    int[] outLabels = labels == null ? null : new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      copyImage(indices[k], outPixels, k * size);
      if (outLabels != null) {
        outLabels[k] = labels[indices[k]];
      }
    }
    return new ImageSet(
        indices.length,
        channels,
        height,
        width,
        outPixels,
        outLabels,
        classNames,
        source + " subset(" + indices.length + ")",
        null);
  }

  /** This data with human names for its labels. */
  public ImageSet withClassNames(List<String> names) {
    return new ImageSet(count, channels, height, width, pixels, labels, names, source, hash);
  }

  /**
   * Fails with one clear line unless images are {@code channels×height×width}; IDX data is never
   * resized, so a model for another shape cannot train on it.
   */
  public ImageSet requireShape(int channels, int height, int width) {
    if (channels != this.channels || height != this.height || width != this.width) {
      throw new DataException(
          "data "
              + source
              + " is "
              + shape()
              + " but the model expects "
              + channels
              + "×"
              + height
              + "×"
              + width
              + "; set the model's image shape to "
              + shape()
              + ", or use an image folder (it is resized and converted to the model's shape on"
              + " load)");
    }
    return this;
  }

  /** Maps a pixel from [-1, 1] to [0, 1], e.g. for writing PNGs or a Bernoulli VAE target. */
  public static float toUnitRange(float v) {
    return (v + 1f) * 0.5f;
  }

  /** A new array with every value mapped from [-1, 1] to [0, 1]. */
  public static float[] toUnitRange(float[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = toUnitRange(values[i]);
    }
    return out;
  }

  /** Maps an 8-bit intensity 0..255 to [-1, 1]. */
  static float fromByte(int v) {
    return v / 127.5f - 1f;
  }

  @Override
  public String toString() {
    return identity();
  }
}
