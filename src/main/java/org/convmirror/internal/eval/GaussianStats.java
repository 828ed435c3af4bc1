package org.convmirror.internal.eval;

/**
 * Mean and unbiased ({@code n−1}) covariance of a set of feature vectors, the sufficient statistics
 * of the Fréchet distance.
 *
 * @param mean the per-dimension mean, length {@code d}
 * @param covariance the {@code d × d} sample covariance, divided by {@code n−1}
 * @param count the number of feature vectors summarised
 */
public record GaussianStats(double[] mean, double[][] covariance, int count) {

  public GaussianStats {
    if (count < 2) {
      throw new IllegalArgumentException("count must be ≥ 2 for a covariance, was " + count);
    }
    if (covariance.length != mean.length) {
      throw new IllegalArgumentException(
          "covariance must be "
              + mean.length
              + "×"
              + mean.length
              + ", has "
              + covariance.length
              + " rows");
    }
  }

  /** Statistics of {@code features} ({@code n × d}), accumulated in double in two passes. */
  public static GaussianStats of(double[][] features) {
    int n = features.length;
    if (n < 2) {
      throw new IllegalArgumentException("features must have ≥ 2 rows, had " + n);
    }
    int d = features[0].length;
    double[] mean = new double[d];
    for (double[] row : features) {
      if (row.length != d) {
        throw new IllegalArgumentException("every feature row must have length " + d);
      }
      for (int k = 0; k < d; k++) {
        mean[k] += row[k];
      }
    }
    for (int k = 0; k < d; k++) {
      mean[k] /= n;
    }
    // Centre first (two-pass) so that large means do not cancel away the covariance.
    double[][] centred = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        centred[i][k] = features[i][k] - mean[k];
      }
    }
    double[][] cov = new double[d][d];
    // Σ = Xcᵀ Xc / (n−1): the rows of Xcᵀ against Xc, which is already "Xcᵀ transposed".
    Gram.rows(
        Gram.transpose(centred, d),
        d,
        Gram.flatten(centred, d),
        d,
        n,
        (k, dots) -> {
          for (int l = 0; l < d; l++) {
            cov[k][l] = dots[l] / (n - 1);
          }
        });
    return new GaussianStats(mean, cov, n);
  }

  /** Dimension {@code d} of the summarised features. */
  public int dimension() {
    return mean.length;
  }
}
