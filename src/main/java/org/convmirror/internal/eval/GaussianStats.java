package org.convmirror.internal.eval;

import java.util.stream.IntStream;

/**
 * Mean and unbiased ({@code n−1}) covariance of a set of feature vectors, the sufficient statistics
 * of the Fréchet distance.
 *
 * @param mean the per-dimension mean, length {@code d}
 * @param covariance the {@code d × d} sample covariance, divided by {@code n−1}
 * @param count the number of feature vectors summarised
 */
public record GaussianStats(double[] mean, double[][] covariance, int count) {
  private static final int COV_CHUNK = 8;

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
    // Σ = Xcᵀ Xc / (n−1), every entry summed over the rows in order. The Fréchet distance takes
    // square roots of Σ's eigenvalues, some near zero (dead ReLU features), where a rounding
    // difference of 1e-16 moves the distance by ~1e-8: a faster product in another order would
    // change the numbers. Rows of Σ in chunks over both cores, the upper triangle, then mirrored.
    double[][] cov = new double[d][d];
    IntStream.range(0, (d + COV_CHUNK - 1) / COV_CHUNK)
        .parallel()
        .forEach(
            chunk -> {
              int k1 = Math.min(d, (chunk + 1) * COV_CHUNK);
              for (double[] c : centred) {
                for (int k = chunk * COV_CHUNK; k < k1; k++) {
                  double ck = c[k];
                  double[] row = cov[k];
                  for (int l = k; l < d; l++) {
                    row[l] += ck * c[l];
                  }
                }
              }
            });
    for (int k = 0; k < d; k++) {
      for (int l = k; l < d; l++) {
        cov[k][l] /= n - 1;
        cov[l][k] = cov[k][l];
      }
    }
    return new GaussianStats(mean, cov, n);
  }

  /** Dimension {@code d} of the summarised features. */
  public int dimension() {
    return mean.length;
  }
}
