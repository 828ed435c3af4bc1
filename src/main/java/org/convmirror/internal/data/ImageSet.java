package org.convmirror.internal.data;

import java.util.List;
import java.util.Objects;

/**
 * An immutable image dataset: {@code count} images of shape C×H×W in N×C×H×W order, read as floats
 * in [-1, 1] (the range of a tanh generator), with optional labels. The pixels stay where they are
 * — a float array, an IDX file's bytes, or a memory-mapped cache of an image folder — and are
 * converted one image at a time, so a set may be far larger than the Java heap.
 */
public final class ImageSet {
  private final int count;
  private final int channels;
  private final int height;
  private final int width;
  private final Pixels pixels;
  private final int[] index; // image i is stored at index[i]; null: at i
  private final int[] labels;
  private final List<String> classNames;
  private final String source;
  private volatile String hash; // computed on first use when not known up front

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
    this(
        channels,
        height,
        width,
        floats(count, channels, height, width, pixels),
        null,
        labels,
        classNames,
        source,
        hash);
  }

  /** A set over {@code pixels}, or over the stored images {@code index} names, in that order. */
  ImageSet(
      int channels,
      int height,
      int width,
      Pixels pixels,
      int[] index,
      int[] labels,
      List<String> classNames,
      String source,
      String hash) {
    if (channels < 1
        || height < 1
        || width < 1
        || pixels.imageSize() != channels * height * width) {
      throw new IllegalArgumentException(
          "image shape must be C,H,W ≥ 1 with C·H·W = "
              + pixels.imageSize()
              + ", was "
              + channels
              + "×"
              + height
              + "×"
              + width);
    }
    this.count = index == null ? pixels.count() : index.length;
    if (labels != null && labels.length != count) {
      throw new IllegalArgumentException(
          "labels.length must equal count " + count + ", was " + labels.length);
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
    this.index = index;
    this.labels = labels;
    this.classNames = List.copyOf(classNames);
    this.source = Objects.requireNonNull(source, "source");
    this.hash = hash;
  }

  private static FloatPixels floats(int count, int c, int h, int w, float[] pixels) {
    if (count < 0 || c < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException(
          "image set shape must be N≥0 and C,H,W≥1, was " + count + "×" + c + "×" + h + "×" + w);
    }
    if ((long) count * c * h * w != pixels.length) {
      throw new IllegalArgumentException(
          "pixels.length must be N·C·H·W = " + (long) count * c * h * w + ", was " + pixels.length);
    }
    return new FloatPixels(pixels, c * h * w);
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
    String h = hash;
    if (h == null) hash = h = Hashes.of(this);
    return h;
  }

  /** One line for provenance records, e.g. {@code /data/x.gz [60000×1×28×28, sha256:…]}. */
  public String identity() {
    return source + " [" + count + "×" + shape() + ", sha256:" + hash() + "]";
  }

  /**
   * All pixels as one N×C×H×W array in [-1, 1], for code that works on whole arrays; fails in one
   * line when the set holds more values than one Java array can.
   */
  public float[] pixels() {
    if (index == null && pixels instanceof FloatPixels f) return f.values().clone();
    int size = imageSize();
    long n = (long) count * size;
    if (n > DataSources.MAX_ARRAY) {
      throw new DataException(
          "data "
              + source
              + " holds "
              + n
              + " values, more than one Java array holds, and this step needs them all at once;"
              + " use at most "
              + DataSources.MAX_ARRAY / size
              + " images");
    }
    float[] out = new float[(int) n];
    for (int i = 0; i < count; i++) copyImage(i, out, i * size);
    return out;
  }

  /** A copy of image {@code i}, C×H×W in [-1, 1]. */
  public float[] image(int i) {
    float[] out = new float[imageSize()];
    copyImage(i, out, 0);
    return out;
  }

  /** Copies image {@code i} into {@code dest} at {@code offset}, without allocating. */
  public void copyImage(int i, float[] dest, int offset) {
    Objects.checkIndex(i, count);
    pixels.copy(index == null ? i : index[i], dest, offset);
  }

  /** The first {@code n} images (all of them if {@code n ≥ count}); the pixels are shared. */
  public ImageSet head(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("head(n) needs n ≥ 0, was " + n);
    }
    if (n >= count) {
      return this;
    }
    int[] first = new int[n];
    for (int k = 0; k < n; k++) first[k] = k;
    return view(first, source + " head(" + n + ")");
  }

  /** The images at {@code indices}, in that order (repeats allowed); the pixels are shared. */
  public ImageSet subset(int[] indices) {
    return view(indices, source + " subset(" + indices.length + ")");
  }

  /**
   * This set in the order {@code order} gives, e.g. shuffled once so that any prefix is a sample.
   */
  ImageSet reordered(int[] order, String what) {
    return view(order, source + " " + what);
  }

  private ImageSet view(int[] indices, String viewSource) {
    int[] stored = new int[indices.length];
    int[] outLabels = labels == null ? null : new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = Objects.checkIndex(indices[k], count);
      stored[k] = index == null ? i : index[i];
      if (outLabels != null) outLabels[k] = labels[i];
    }
    return new ImageSet(
        channels, height, width, pixels, stored, outLabels, classNames, viewSource, null);
  }

  /** This data with human names for its labels. */
  public ImageSet withClassNames(List<String> names) {
    return new ImageSet(channels, height, width, pixels, index, labels, names, source, hash);
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

  /** Where the data came from and its shape, with the hash only when already known. */
  @Override
  public String toString() {
    // identity() would hash a view of a large set on the spot: seconds for a log line.
    return hash != null ? identity() : source + " [" + count + "×" + shape() + "]";
  }
}
