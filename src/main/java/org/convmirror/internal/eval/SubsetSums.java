package org.convmirror.internal.eval;

/**
 * KID's kernel sums {@code Σ_p Σ_q k(a_{rows[s][p]}, b_{columns[s][q]})} for every subset {@code
 * s}, without the terms {@code p = q} when the subsets pair a set with itself, read from the rows
 * of {@code a·bᵀ} as {@link Gram} hands them out.
 *
 * <p>Each row's part is summed over {@code q} in drawing order and the parts over {@code p} in
 * drawing order, the order of the per-subset computation this replaced, so one pass over the full
 * inner-product matrices (which precision/recall needs anyway) gives the same sums without a matrix
 * product per subset.
 */
final class SubsetSums implements Gram.RowSink {
  private final int[][] columns;
  private final int d;
  private final boolean skipDiagonal;
  // For row i of a, every (s, p) with rows[s][p] == i, packed as s * size + p.
  private final int[][] memberships;
  private final double[][] parts;

  /**
   * @param rows the subsets' rows of {@code a}, each of the same size
   * @param columns the subsets' rows of {@code b}, each of that size
   * @param aCount how many rows {@code a} has
   * @param d the feature dimension
   * @param skipDiagonal whether {@code a} and {@code b} are one set (then {@code p = q} is left
   *     out)
   */
  SubsetSums(int[][] rows, int[][] columns, int aCount, int d, boolean skipDiagonal) {
    this.columns = columns;
    this.d = d;
    this.skipDiagonal = skipDiagonal;
    int size = rows[0].length;
    int[] count = new int[aCount];
    for (int[] subset : rows) {
      for (int i : subset) count[i]++;
    }
    this.memberships = new int[aCount][];
    for (int i = 0; i < aCount; i++) memberships[i] = new int[count[i]];
    int[] filled = new int[aCount];
    for (int s = 0; s < rows.length; s++) {
      for (int p = 0; p < size; p++) {
        int i = rows[s][p];
        memberships[i][filled[i]++] = s * size + p;
      }
    }
    this.parts = new double[rows.length][size];
  }

  /** The sum of one subset pairing all rows of {@code a} with all rows of {@code b}. */
  static double total(double[][] a, double[][] b, int[][] all, boolean skipDiagonal) {
    SubsetSums sums = new SubsetSums(all, all, a.length, a[0].length, skipDiagonal);
    Gram.rows(a, b, sums);
    return sums.totals()[0];
  }

  @Override
  public void accept(int row, double[] dots, int offset) {
    int size = parts[0].length;
    for (int packed : memberships[row]) {
      int s = packed / size;
      int p = packed % size;
      int[] cols = columns[s];
      double sum = 0;
      for (int q = 0; q < size; q++) {
        sum += kernel(dots[offset + cols[q]]);
      }
      if (skipDiagonal) {
        sum -= kernel(dots[offset + cols[p]]);
      }
      parts[s][p] = sum;
    }
  }

  private double kernel(double dot) {
    double t = dot / d + 1;
    return t * t * t;
  }

  /** Each subset's sum. */
  double[] totals() {
    double[] totals = new double[parts.length];
    for (int s = 0; s < parts.length; s++) {
      double total = 0;
      for (double part : parts[s]) {
        total += part;
      }
      totals[s] = total;
    }
    return totals;
  }
}
