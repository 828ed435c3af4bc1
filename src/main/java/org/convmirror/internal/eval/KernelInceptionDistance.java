package org.convmirror.internal.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Kernel Inception Distance: the unbiased estimate of the squared maximum mean discrepancy with the
 * cubic polynomial kernel {@code k(x, y) = (xᵀy/d + 1)³}, averaged over random subsets (Bińkowski
 * et al. 2018, "Demystifying MMD GANs").
 *
 * <p>Unlike the Fréchet distance it has an unbiased estimator, so a real-vs-real score fluctuates
 * around zero (and may be slightly negative) instead of carrying a sample-size bias.
 *
 * <p>The subsets are a fixed function of the seed and the two set sizes ({@link #draw}), so the
 * reference set's own kernel sums can be computed once and kept, and the other sums can be read off
 * the full inner-product matrices that precision/recall computes anyway ({@link SubsetSums}).
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

  /**
   * The subsets of both sets: {@code x[s]} and {@code y[s]} are the indices (in drawing order) of
   * subset {@code s} of each.
   */
  record Draw(int size, int[][] x, int[][] y) {}

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

  /** KID between two feature sets ({@code n × d} and {@code m × d}), one subset at a time. */
  public Score between(double[][] x, double[][] y) {
    int d = x[0].length;
    if (y[0].length != d) {
      throw new IllegalArgumentException("feature dimensions differ: " + d + " vs " + y[0].length);
    }
    Draw draw = draw(x.length, y.length);
    double[] estimates = new double[subsets];
    for (int s = 0; s < subsets; s++) {
      estimates[s] = mmd2(gather(x, draw.x()[s]), gather(y, draw.y()[s]), d);
    }
    return score(estimates);
  }

  /**
   * The subsets {@link #between} averages over for sets of {@code nx} and {@code ny} rows: for each
   * subset, {@code size} rows of x and then of y drawn without replacement from one stream.
   */
  Draw draw(int nx, int ny) {
    int m = Math.min(subsetSize, Math.min(nx, ny));
    if (m < 2) {
      throw new IllegalArgumentException("KID needs ≥ 2 samples in each set");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[][] x = new int[subsets][];
    int[][] y = new int[subsets][];
    for (int s = 0; s < subsets; s++) {
      x[s] = choose(nx, m, random);
      y[s] = choose(ny, m, random);
    }
    return new Draw(m, x, y);
  }

  /** The score from each subset's kernel sums: {@code xx}, {@code yy} without the diagonal. */
  Score score(Draw draw, double[] xx, double[] yy, double[] xy) {
    double[] estimates = new double[subsets];
    for (int s = 0; s < subsets; s++) {
      estimates[s] = estimate(draw.size(), xx[s], yy[s], xy[s]);
    }
    return score(estimates);
  }

  private Score score(double[] estimates) {
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
    int[][] all = {choose(x.length, x.length, null)};
    return estimate(
        x.length,
        SubsetSums.total(x, x, all, true),
        SubsetSums.total(y, y, all, true),
        SubsetSums.total(x, y, all, false));
  }

  private static double estimate(int m, double xx, double yy, double xy) {
    return (xx + yy) / ((double) m * (m - 1)) - 2 * xy / ((double) m * m);
  }

  /**
   * {@code m} of {@code 0…n−1} drawn without replacement (partial Fisher–Yates); all of them in
   * order when {@code random} is null.
   */
  private static int[] choose(int n, int m, SplittableRandom random) {
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    if (random == null) {
      return index;
    }
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    return Arrays.copyOf(index, m);
  }

  private static double[][] gather(double[][] rows, int[] index) {
    double[][] out = new double[index.length][];
    for (int i = 0; i < index.length; i++) {
      out[i] = rows[index[i]];
    }
    return out;
  }
}
