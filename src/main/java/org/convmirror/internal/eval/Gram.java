package org.convmirror.internal.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.stream.IntStream;

/**
 * Inner products between the rows of two feature matrices, the one hot loop behind the kernel,
 * nearest-neighbour and covariance metrics.
 *
 * <p>The products are computed by the engine's float64 matrix multiply (MKL's dgemm on libtorch's
 * CPU build, ~8× the blocked Java loop it replaced), a block of rows at a time, and each row is
 * handed to a Java sink on both cores. dgemm sums in its own order, so a product may differ from
 * the left-to-right sum {@link #dot} by a few units in the last place (see {@link PrecisionRecall}
 * for where that matters).
 */
final class Gram {
  /** Doubles per block of products: 32 MiB, large enough for dgemm, small beside the heap. */
  private static final int BLOCK = 1 << 22;

  /** Receives one full row of inner products; called concurrently for different rows. */
  @FunctionalInterface
  interface RowSink {
    /** {@code dots[offset + j]} is row {@code row} of x times row {@code j} of y. */
    void accept(int row, double[] dots, int offset);
  }

  private Gram() {}

  /**
   * For every row {@code i} of {@code x} ({@code n × d}) computes {@code x_i · y_j} for all rows of
   * {@code y} ({@code m × d}) and hands the row to {@code sink}; the array is reused afterwards.
   */
  static void rows(double[][] x, double[][] y, RowSink sink) {
    int d = dimension(x, y);
    int m = y.length;
    if (x.length == 0 || m == 0) {
      return;
    }
    int block = Math.max(1, Math.min(x.length, BLOCK / Math.max(1, m)));
    // One array for every block: a fresh 32 MiB array per block costs as much as its copy.
    double[] dots = new double[block * m];
    try (NDManager manager = Engine.getInstance().newBaseManager()) {
      NDArray yT = manager.create(flatten(y, 0, m, d), new Shape(m, d)).transpose();
      for (int i0 = 0; i0 < x.length; i0 += block) {
        int count = Math.min(block, x.length - i0);
        try (NDManager scope = manager.newSubManager()) {
          NDArray xs = scope.create(flatten(x, i0, count, d), new Shape(count, d));
          xs.matMul(yT).toByteBuffer().asDoubleBuffer().get(dots, 0, count * m);
        }
        int first = i0;
        IntStream.range(0, count).parallel().forEach(r -> sink.accept(first + r, dots, r * m));
      }
    }
  }

  /** The left-to-right sum {@code Σ_k a_k·b_k}: the products of the evaluation before dgemm. */
  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  /** Squared Euclidean norm of each row, as {@link #dot} of the row with itself. */
  static double[] squaredNorms(double[][] rows) {
    double[] norms = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      norms[i] = dot(rows[i], rows[i]);
    }
    return norms;
  }

  private static int dimension(double[][] x, double[][] y) {
    int d = x.length > 0 ? x[0].length : y.length > 0 ? y[0].length : 0;
    check(x, d);
    check(y, d);
    return d;
  }

  private static void check(double[][] rows, int d) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "features[" + i + "].length must be " + d + ", was " + rows[i].length);
      }
    }
  }

  /** Row-major copy of {@code count} rows from {@code first}, all of length {@code d}. */
  private static double[] flatten(double[][] rows, int first, int count, int d) {
    double[] flat = new double[count * d];
    for (int i = 0; i < count; i++) {
      System.arraycopy(rows[first + i], 0, flat, i * d, d);
    }
    return flat;
  }
}
