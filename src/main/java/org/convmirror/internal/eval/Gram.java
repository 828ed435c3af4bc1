package org.convmirror.internal.eval;

import java.util.stream.IntStream;

/**
 * Blocked, multi-threaded inner products between the rows of two feature matrices, the one hot loop
 * behind the kernel and nearest-neighbour metrics.
 *
 * <p>Rows are handed out four at a time so that each loaded column value is reused four times, and
 * columns are walked in tiles small enough for the tile of {@code Yᵀ} to stay in cache. The inner
 * loop is an axpy that HotSpot vectorises.
 */
final class Gram {
  private static final int ROWS = 4;
  private static final int TILE = 256;

  /** Receives one full row of inner products; called concurrently for different rows. */
  @FunctionalInterface
  interface RowSink {
    void accept(int row, double[] dots);
  }

  private Gram() {}

  /** Row-major copy of {@code rows}, all of length {@code dim}. */
  static double[] flatten(double[][] rows, int dim) {
    double[] flat = new double[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != dim) {
        throw new IllegalArgumentException(
            "features[" + i + "].length must be " + dim + ", was " + rows[i].length);
      }
      System.arraycopy(rows[i], 0, flat, i * dim, dim);
    }
    return flat;
  }

  /** Column-major copy ({@code dim × n}) of {@code rows}. */
  static double[] transpose(double[][] rows, int dim) {
    int n = rows.length;
    double[] t = new double[dim * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < dim; k++) {
        t[k * n + i] = rows[i][k];
      }
    }
    return t;
  }

  /** Squared Euclidean norm of each row. */
  static double[] squaredNorms(double[][] rows) {
    double[] norms = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double s = 0;
      for (double v : rows[i]) {
        s += v * v;
      }
      norms[i] = s;
    }
    return norms;
  }

  /**
   * For every row {@code i} of {@code x} ({@code n × dim}, row-major) computes {@code x_i · y_j}
   * for all {@code m} rows of {@code y} (given transposed, {@code dim × m}) and hands the row to
   * {@code sink}. The {@code dots} array is reused after {@code accept} returns.
   */
  static void rows(double[] x, int n, double[] yT, int m, int dim, RowSink sink) {
    int blocks = (n + ROWS - 1) / ROWS;
    IntStream.range(0, blocks)
        .parallel()
        .forEach(
            b -> {
              int i0 = b * ROWS;
              int count = Math.min(ROWS, n - i0);
              double[][] acc = new double[ROWS][m];
              block(x, i0, count, yT, m, dim, acc);
              for (int r = 0; r < count; r++) {
                sink.accept(i0 + r, acc[r]);
              }
            });
  }

  private static void block(
      double[] x, int i0, int count, double[] yT, int m, int dim, double[][] acc) {
    double[] r0 = acc[0];
    double[] r1 = acc[1];
    double[] r2 = acc[2];
    double[] r3 = acc[3];
    // Missing rows of the last block read row i0 again; their results are simply not reported.
    int o0 = i0 * dim;
    int o1 = (i0 + Math.min(1, count - 1)) * dim;
    int o2 = (i0 + Math.min(2, count - 1)) * dim;
    int o3 = (i0 + Math.min(3, count - 1)) * dim;
    for (int j0 = 0; j0 < m; j0 += TILE) {
      int j1 = Math.min(m, j0 + TILE);
      for (int k = 0; k < dim; k++) {
        double a0 = x[o0 + k];
        double a1 = x[o1 + k];
        double a2 = x[o2 + k];
        double a3 = x[o3 + k];
        int base = k * m;
        for (int j = j0; j < j1; j++) {
          double y = yT[base + j];
          r0[j] += a0 * y;
          r1[j] += a1 * y;
          r2[j] += a2 * y;
          r3[j] += a3 * y;
        }
      }
    }
  }
}
