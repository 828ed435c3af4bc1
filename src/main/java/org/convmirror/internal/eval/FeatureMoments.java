package org.convmirror.internal.eval;

import java.io.Serializable;

/**
 * Count, mean and centred scatter matrix {@code Σ (x − μ)(x − μ)ᵀ} of a set of feature vectors: the
 * sufficient statistics of the Fréchet distance in a form that merges exactly, so that feature sets
 * too large for one process (images sampled on many machines) are summarised in pieces and combined
 * (Chan, Golub &amp; LeVeque 1979, "Updating formulae and a pairwise algorithm for computing sample
 * variances"). Written here because commons-math's covariance accumulators cannot be merged, and
 * raw sums {@code Σx}, {@code ΣxxT} lose the covariance to cancellation when the mean is large
 * against the spread.
 *
 * @param count the number of vectors summarised (0 for the empty set)
 * @param mean their mean, length {@code d} (zeros when empty)
 * @param scatter the {@code d × d} centred scatter matrix, row-major
 */
public record FeatureMoments(long count, double[] mean, double[] scatter) implements Serializable {

  private static final long serialVersionUID = 1L;

  public FeatureMoments {
    if (count < 0) throw new IllegalArgumentException("count must be ≥ 0, was " + count);
    if (scatter.length != mean.length * mean.length) {
      throw new IllegalArgumentException(
          "scatter must hold d×d = "
              + mean.length * mean.length
              + " values for d = "
              + mean.length
              + ", held "
              + scatter.length);
    }
  }

  /** The moments of no vectors of dimension {@code d}. */
  public static FeatureMoments empty(int d) {
    return new FeatureMoments(0, new double[d], new double[d * d]);
  }

  /** The moments of {@code rows} ({@code n × d}), centred on their mean first (two passes). */
  public static FeatureMoments of(double[][] rows, int d) {
    int n = rows.length;
    double[] mean = new double[d];
    for (double[] row : rows) {
      if (row.length != d) {
        throw new IllegalArgumentException("every feature row must have length " + d);
      }
      for (int k = 0; k < d; k++) mean[k] += row[k];
    }
    for (int k = 0; k < d; k++) mean[k] = n == 0 ? 0 : mean[k] / n;
    double[] scatter = new double[d * d];
    double[] c = new double[d];
    for (double[] row : rows) {
      for (int k = 0; k < d; k++) c[k] = row[k] - mean[k];
      for (int k = 0; k < d; k++) {
        double ck = c[k];
        int base = k * d;
        for (int l = k; l < d; l++) scatter[base + l] += ck * c[l];
      }
    }
    mirrorUpper(scatter, d);
    return new FeatureMoments(n, mean, scatter);
  }

  /** The moments of both sets together; exact up to rounding, in either order. */
  public FeatureMoments merge(FeatureMoments other) {
    int d = dimension();
    if (other.dimension() != d) {
      throw new IllegalArgumentException(
          "feature dimensions differ: " + d + " vs " + other.dimension());
    }
    if (other.count == 0) return this;
    if (count == 0) return other;
    long n = count + other.count;
    double[] delta = new double[d];
    double[] mean = new double[d];
    for (int k = 0; k < d; k++) {
      delta[k] = other.mean[k] - this.mean[k];
      mean[k] = this.mean[k] + delta[k] * other.count / n;
    }
    double w = (double) count * other.count / n;
    double[] scatter = new double[d * d];
    for (int k = 0; k < d; k++) {
      for (int l = 0; l < d; l++) {
        int i = k * d + l;
        scatter[i] = this.scatter[i] + other.scatter[i] + w * delta[k] * delta[l];
      }
    }
    return new FeatureMoments(n, mean, scatter);
  }

  /** Mean and unbiased covariance, as {@link GaussianStats#of} would give for all the vectors. */
  public GaussianStats toStats() {
    if (count < 2 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a covariance needs 2 to " + Integer.MAX_VALUE + " vectors, had " + count);
    }
    int d = dimension();
    double[][] cov = new double[d][d];
    for (int k = 0; k < d; k++) {
      for (int l = 0; l < d; l++) cov[k][l] = scatter[k * d + l] / (count - 1);
    }
    return new GaussianStats(mean.clone(), cov, (int) count);
  }

  /** Dimension {@code d} of the summarised vectors. */
  public int dimension() {
    return mean.length;
  }

  private static void mirrorUpper(double[] m, int d) {
    for (int k = 0; k < d; k++) {
      for (int l = 0; l < k; l++) m[k * d + l] = m[l * d + k];
    }
  }
}
