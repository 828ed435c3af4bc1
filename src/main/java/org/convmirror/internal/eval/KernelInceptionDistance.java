package org.convmirror.internal.eval;

import java.util.SplittableRandom;

/**
 * Kernel Inception Distance: the unbiased estimate of the squared maximum mean discrepancy with the
 * cubic polynomial kernel {@code k(x, y) = (xᵀy/d + 1)³}, averaged over random subsets (Bińkowski
 * et al. 2018, "Demystifying MMD GANs").
 *
 * <p>Unlike the Fréchet distance it has an unbiased estimator, so a real-vs-real score fluctuates
 * around zero (and may be slightly negative) instead of carrying a sample-size bias.
 *
 * @param subsets how many random subsets to average over (the reference code uses 100)
 * @param subsetSize the subset size; clipped to the smaller set's size (reference code: 1000)
 * @param seed seed for drawing the subsets, so a score is reproducible
 */
public record KernelInceptionDistance(int subsets, int subsetSize, long seed) {

  /** Mean and standard deviation (over subsets, population {@code ddof=0}) of the MMD² estimate. */
  public record Score(double mean, double std) {
    @Override
    public String toString() {
      return String.format("%.5f ± %.5f", mean, std);
    }
  }

  public KernelInceptionDistance {
    if (subsets < 1) {
      throw new IllegalArgumentException("subsets must be ≥ 1, was " + subsets);
    }
    if (subsetSize < 2) {
      throw new IllegalArgumentException("subsetSize must be ≥ 2, was " + subsetSize);
    }
  }

  /** The reference settings: 100 subsets of 1000 samples. */
  public static KernelInceptionDistance defaults(long seed) {
    return new KernelInceptionDistance(100, 1000, seed);
  }

  /** KID between two feature sets ({@code n × d} and {@code m × d}). */
  public Score between(double[][] x, double[][] y) {
    int d = x[0].length;
    if (y[0].length != d) {
      throw new IllegalArgumentException("feature dimensions differ: " + d + " vs " + y[0].length);
    }
    int m = Math.min(subsetSize, Math.min(x.length, y.length));
    if (m < 2) {
      throw new IllegalArgumentException("KID needs ≥ 2 samples in each set");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] estimates = new double[subsets];
    for (int s = 0; s < subsets; s++) {
      estimates[s] = mmd2(choose(x, m, random), choose(y, m, random), d);
    }
    double mean = 0;
    for (double e : estimates) {
      mean += e;
    }
    mean /= subsets;
    double var = 0;
    for (double e : estimates) {
      var += (e - mean) * (e - mean);
    }
    return new Score(mean, Math.sqrt(var / subsets));
  }

  /** Unbiased MMD² between two equally sized samples; diagonal terms of k(x,x), k(y,y) excluded. */
  static double mmd2(double[][] x, double[][] y, int d) {
    int m = x.length;
    double xx = kernelSum(x, x, d, true);
    double yy = kernelSum(y, y, d, true);
    double xy = kernelSum(x, y, d, false);
    return (xx + yy) / ((double) m * (m - 1)) - 2 * xy / ((double) m * m);
  }

  private static double kernelSum(double[][] a, double[][] b, int d, boolean skipDiagonal) {
    double[] rowSums = new double[a.length];
    Gram.rows(
        Gram.flatten(a, d),
        a.length,
        Gram.transpose(b, d),
        b.length,
        d,
        (i, dots) -> {
          double s = 0;
          for (int j = 0; j < dots.length; j++) {
            double t = dots[j] / d + 1;
            s += t * t * t;
          }
          if (skipDiagonal) {
            double t = dots[i] / d + 1;
            s -= t * t * t;
          }
          rowSums[i] = s;
        });
    double total = 0;
    for (double s : rowSums) {
      total += s;
    }
    return total;
  }

  /** {@code m} rows drawn without replacement (partial Fisher–Yates). */
  private static double[][] choose(double[][] rows, int m, SplittableRandom random) {
    int n = rows.length;
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    double[][] out = new double[m][];
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
      out[i] = rows[index[i]];
    }
    return out;
  }
}
