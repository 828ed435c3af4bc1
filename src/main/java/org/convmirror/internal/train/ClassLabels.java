package org.convmirror.internal.train;

import java.util.List;
import java.util.SplittableRandom;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.spec.Conditioning;

/**
 * Class labels for conditional models: the conditioning resolved against the training data ({@code
 * classes: auto}, class names), the check that every label fits, and the labels a model is asked
 * for when it generates.
 */
public final class ClassLabels {
  /** Columns of a class-by-row grid: one fixed latent vector each. */
  public static final int GRID_COLUMNS = 10;

  /**
   * Rows of a class-by-row grid at most (the first classes), so that the picture stays viewable.
   */
  public static final int GRID_ROWS = 100;

  private ClassLabels() {}

  /**
   * The inputs of a class-by-row grid: row r is class r, column c latent vector c, so a row shows
   * what the class means and a column what the noise keeps across classes.
   *
   * @param z rows·cols latent vectors, row-major
   * @param labels their classes
   */
  public record Grid(float[] z, int[] labels, int rows, int cols) {

    /** The grid over the first {@link #GRID_COLUMNS} vectors of {@code noise} (n × latent). */
    public static Grid of(float[] noise, int latent, int classes) {
      int cols = Math.min(GRID_COLUMNS, noise.length / latent);
      int rows = Math.min(GRID_ROWS, classes);
      float[] z = new float[rows * cols * latent];
      int[] labels = new int[rows * cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          System.arraycopy(noise, c * latent, z, (r * cols + c) * latent, latent);
          labels[r * cols + c] = r;
        }
      }
      return new Grid(z, labels, rows, cols);
    }

    public int count() {
      return rows * cols;
    }
  }

  /**
   * {@code c} with its class count and names taken from {@code data} where the model file left them
   * open: {@code auto} becomes the data's class count (its class names, or the largest label + 1),
   * and classes without names take the data's names when there are as many. Every label of {@code
   * data} is checked to fit.
   *
   * @param what the data as messages name it, e.g. {@code the training data}
   */
  public static Conditioning resolve(Conditioning c, ImageSet data, String what) {
    requireLabels(c, data, what);
    List<String> dataNames = data.classNames();
    int classes = c.classes();
    if (c.isAuto()) {
      classes = dataNames.isEmpty() ? largest(data) + 1 : dataNames.size();
      if (classes < 2) {
        throw new UsageException(
            "conditional.classes: auto found "
                + classes
                + " class in "
                + what
                + " ("
                + data.source()
                + "); a conditional model needs at least 2 labelled classes");
      }
    }
    List<String> names = c.names();
    if (names.isEmpty() && dataNames.size() == classes) names = dataNames;
    Conditioning resolved = c.resolved(classes, names);
    check(resolved, data, what);
    return resolved;
  }

  /** Fails with one line unless every label of {@code data} is a class of {@code c}. */
  public static void check(Conditioning c, ImageSet data, String what) {
    requireLabels(c, data, what);
    for (int i = 0; i < data.count(); i++) {
      int label = data.label(i);
      if (label < 0 || label >= c.classes()) {
        throw new UsageException(
            what
                + " ("
                + data.source()
                + ") has label "
                + label
                + " at image "
                + i
                + ", outside the model's "
                + c.classes()
                + " classes (conditional.classes, labels 0 to "
                + (c.classes() - 1)
                + "); set conditional.classes to "
                + (Math.max(label, c.classes() - 1) + 1)
                + " or to auto");
      }
    }
  }

  private static void requireLabels(Conditioning c, ImageSet data, String what) {
    if (!data.hasLabels()) {
      throw new UsageException(
          "the model is conditional (conditional.classes: "
              + (c.isAuto() ? "auto" : Integer.toString(c.classes()))
              + ") but "
              + what
              + " ("
              + data.source()
              + ") has no labels; give labelled data (IDX images beside their labels file, or"
              + " an image folder with one sub-folder per class), or remove 'conditional' from"
              + " the model");
    }
  }

  private static int largest(ImageSet data) {
    int max = -1;
    for (int i = 0; i < data.count(); i++) max = Math.max(max, data.label(i));
    return max;
  }

  /**
   * Labels of images {@code first} to {@code first + n − 1} of a sample: image i is of class i mod
   * classes, so every class is drawn equally often and an image's class depends on its index alone
   * (as its latent vector does).
   */
  public static int[] cycling(long first, int n, int classes) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = (int) ((first + i) % classes);
    return y;
  }

  /** {@code n} labels drawn uniformly from {@code [0, classes)}. */
  public static int[] uniform(SplittableRandom random, int n, int classes) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = random.nextInt(classes);
    return y;
  }

  /** {@code n} copies of {@code label}. */
  public static int[] constant(int label, int n) {
    int[] y = new int[n];
    java.util.Arrays.fill(y, label);
    return y;
  }
}
