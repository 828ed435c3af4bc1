package org.convmirror.internal.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.convmirror.shape.Bytes;

/**
 * Turns the CLI's {@code --dataset NAME} and {@code --data PATH|synthetic[:COUNT]} into an {@link
 * ImageSet} of the model's image shape.
 */
public final class DataSources {
  /** The dataset used when neither {@code --dataset} nor {@code --data} is given. */
  public static final String DEFAULT_DATASET = "fashion-mnist";

  /** Named datasets {@code --dataset} accepts. */
  public static final List<String> DATASETS = List.of(DEFAULT_DATASET);

  /** {@code --data synthetic} or {@code synthetic:COUNT}. */
  public static final String SYNTHETIC = "synthetic";

  /** Enough shapes for a smoke run to learn from, small enough to generate in well under 1 s. */
  public static final int DEFAULT_SYNTHETIC_COUNT = 2048;

  private DataSources() {}

  /**
   * Loads what {@code dataset} (a name, or null) and {@code data} (a path, {@code synthetic[:N]},
   * or null) ask for, checked against the model's {@code channels×height×width}; with both given
   * the path is where the named dataset's files are, and {@code synthetic} overrides the name.
   * {@code seed} only affects synthetic data.
   */
  public static ImageSet load(
      String dataset, String data, Split split, int channels, int height, int width, long seed) {
    return load(dataset, data, split, channels, height, width, seed, DataAccess.defaults());
  }

  /** The same, with image folders opened as {@code access} says. */
  public static ImageSet load(
      String dataset,
      String data,
      Split split,
      int channels,
      int height,
      int width,
      long seed,
      DataAccess access) {
    // Path.of("") is the current folder: an empty --data would train on whatever is there.
    if (data != null && data.isBlank()) {
      throw new DataException(
          "--data is empty; give an IDX images file, a folder of IDX files or of PNG/JPEG images,"
              + " or 'synthetic'");
    }
    if (data != null && isSynthetic(data)) {
      return synthetic(data, split, channels, height, width, seed);
    }
    if (dataset != null || data == null) {
      String name = dataset == null ? DEFAULT_DATASET : dataset.toLowerCase(Locale.ROOT);
      if (!DATASETS.contains(name)) {
        throw new DataException(
            "unknown dataset '"
                + dataset
                + "'; use one of "
                + DATASETS
                + ", or --data PATH for your own IDX files or image folder");
      }
      return FashionMnist.load(data == null ? null : Path.of(data), split)
          .requireShape(channels, height, width);
    }
    return open(Path.of(data), split, channels, height, width, access);
  }

  /**
   * Opens an IDX images file (labels found by name next to it), a folder of IDX files, or a folder
   * of images (resized to fit); IDX data must already have the model's shape.
   */
  public static ImageSet open(Path path, Split split, int channels, int height, int width) {
    return open(path, split, channels, height, width, DataAccess.defaults());
  }

  /**
   * The same, with an image folder opened as {@code access} says. A folder has no test split: its
   * "test" images are all of its images in a fixed shuffled order, so that the first N (what an
   * evaluation scores against) are a sample of every class, not the first classes in path order.
   */
  public static ImageSet open(
      Path path, Split split, int channels, int height, int width, DataAccess access) {
    if (Files.isRegularFile(path)) {
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      if (ImageFolder.EXTENSIONS.stream().anyMatch(name::endsWith)) {
        throw new DataException(
            path + ": a single image is not a dataset; pass the folder that holds the images");
      }
      return IdxFiles.read(path, IdxFolder.labelsFor(path)).requireShape(channels, height, width);
    }
    if (!Files.isDirectory(path)) {
      throw new DataException(
          path
              + ": no such file or folder; pass --data with an IDX images file, a folder of IDX"
              + " files or of PNG/JPEG images, or 'synthetic'");
    }
    if (IdxFolder.holds(path, Split.TRAIN) || IdxFolder.holds(path, Split.TEST)) {
      return IdxFolder.read(path, split).requireShape(channels, height, width);
    }
    ImageSet folder = ImageFolder.read(path, channels, height, width, access);
    if (split == Split.TRAIN) return folder;
    return folder.reordered(
        BatchLoader.order(folder.count(), TEST_ORDER_SEED, 0), "in a fixed shuffled order");
  }

  /** Seeds the order of an image folder's "test" images; fixed, so every run scores alike. */
  static final long TEST_ORDER_SEED = 0x7e57;

  /** Whether {@code data} names synthetic data rather than a path. */
  public static boolean isSynthetic(String data) {
    String lower = data.toLowerCase(Locale.ROOT);
    return lower.equals(SYNTHETIC) || lower.startsWith(SYNTHETIC + ":");
  }

  private static ImageSet synthetic(
      String data, Split split, int channels, int height, int width, long seed) {
    int count = DEFAULT_SYNTHETIC_COUNT;
    int colon = data.indexOf(':');
    if (colon >= 0) {
      try {
        count = Integer.parseInt(data.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        count = -1;
      }
      if (count < 1) {
        throw new DataException(
            "--data " + data + ": the count after 'synthetic:' must be a whole number ≥ 1");
      }
    }
    checkFits(data, count, channels, height, width);
    // The test split gets other images, so evaluation never scores memorised training shapes.
    long splitSeed = split == Split.TRAIN ? seed : Seeds.mix(seed, 1);
    return Synthetic.generate(count, channels, height, width, splitSeed);
  }

  /** The most values one Java array holds on common JVMs. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * Refuses a synthetic set that cannot be held: more values than one array can index, or more
   * bytes than the Java heap has left (the images live on the heap until batches are uploaded).
   */
  private static void checkFits(String data, int count, int channels, int height, int width) {
    long size = (long) channels * height * width;
    String what =
        "--data " + data + ": " + count + " images of " + channels + "×" + height + "×" + width;
    if (count * size > MAX_ARRAY) {
      throw new DataException(
          what
              + " are "
              + count * size
              + " values, more than one Java array holds; use at most "
              + MAX_ARRAY / size
              + " images of this size");
    }
    long bytes = count * (size * Float.BYTES + Integer.BYTES); // pixels and labels
    Runtime rt = Runtime.getRuntime();
    long left = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (bytes > left) {
      throw new DataException(
          what
              + " take "
              + Bytes.format(bytes)
              + " as float32, more than the "
              + Bytes.format(left)
              + " of Java heap left (of "
              + Bytes.format(rt.maxMemory())
              + "); use at most "
              + left / (size * Float.BYTES + Integer.BYTES)
              + " images, or give Java more heap (CONVMIRROR_JAVA_OPTS='-Xmx16g -Xmn64m')");
    }
  }
}
