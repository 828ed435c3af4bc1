package org.convmirror.internal.eval;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric
 * for Assessing Generative Models"): each set's manifold is the union of balls around its samples
 * with radius the distance to the sample's k-th nearest neighbour in the same set.
 *
 * <p>Precision is the fraction of generated samples inside the real manifold (sample quality);
 * recall the fraction of real samples inside the generated manifold (coverage). A sample counts as
 * its own 0-th neighbour, as in the reference code, so {@code k = 3} means three other samples.
 *
 * <p>A few outlying real samples have large radii and can cover whole regions: at 2,000 samples
 * uniform noise scores precision ≈ 0.9 in the Fashion-MNIST classifier's space. The same pass
 * therefore also yields density and coverage (Naeem et al. 2020, "Reliable Fidelity and Diversity
 * Metrics for Generative Models"), which use only the real radii: density counts how many real
 * balls hold each generated sample (divided by k, ≈ 1 for real-like data), coverage is the fraction
 * of real balls that hold at least one generated sample.
 *
 * <p>Squared distances are {@code max(0, |a|² + |b|² − 2·a·b)} with every sum taken left to right
 * ({@link Gram#dot}). The inner products come from {@link Gram}'s faster matrix multiply, whose
 * rounding differs; wherever that difference could change a radius or a comparison, the distance is
 * recomputed the left-to-right way, so all four scores are exactly those of the plain definition.
 *
 * @param k the neighbour whose distance sets each radius (the paper uses 3)
 */
public record PrecisionRecall(int k) {

  /**
   * Fidelity and diversity scores.
   *
   * @param precision fraction of generated samples inside the real manifold, in [0, 1]
   * @param recall fraction of real samples inside the generated manifold, in [0, 1]
   * @param density mean number of real balls holding a generated sample, divided by k (unbounded; ≈
   *     1 when both sets come from one distribution)
   * @param coverage fraction of real balls holding at least one generated sample, in [0, 1]
   */
  public record Score(double precision, double recall, double density, double coverage) {}

  /**
   * One set's manifold: its points, their squared norms and the squared radius of each ball.
   *
   * @param points the feature vectors, {@code n × d}
   * @param norms2 their squared norms ({@link Gram#squaredNorms})
   * @param radii2 squared distance from each point to its k-th nearest other point
   */
  record Manifold(double[][] points, double[] norms2, double[] radii2) {}

  public PrecisionRecall {
    if (k < 1) {
      throw new IllegalArgumentException("k must be ≥ 1, was " + k);
    }
  }

  /**
   * Improved precision and recall of {@code generated} against {@code real}, both {@code n × d}.
   */
  public Score between(double[][] real, double[][] generated) {
    check(real, generated);
    Radii realRadii = radii(real);
    Gram.rows(real, real, realRadii);
    Radii generatedRadii = radii(generated);
    Gram.rows(generated, generated, generatedRadii);
    Cross cross = cross(realRadii.manifold(), generatedRadii.manifold());
    Gram.rows(generated, real, cross);
    return cross.score();
  }

  /** Refuses sets of different dimension or with no k-th neighbour. */
  void check(double[][] real, double[][] generated) {
    int d = real[0].length;
    if (generated[0].length != d) {
      throw new IllegalArgumentException(
          "feature dimensions differ: " + d + " vs " + generated[0].length);
    }
    if (real.length <= k || generated.length <= k) {
      throw new IllegalArgumentException("each set needs more than k = " + k + " samples");
    }
  }

  /** Collects the radii of {@code points} from the rows of {@code points·pointsᵀ}. */
  Radii radii(double[][] points) {
    return new Radii(points);
  }

  /** Counts balls and hits from the rows of {@code generated·realᵀ}. */
  Cross cross(Manifold real, Manifold generated) {
    return new Cross(real, generated);
  }

  /** Squared distance of two points as the plain definition computes it. */
  private static double exact(double[] a, double na, double[] b, double nb) {
    return Math.max(0, na + nb - 2 * Gram.dot(a, b));
  }

  /**
   * Times {@code |a|² + |b|²}, how far a squared distance from {@link Gram#rows}'s products can lie
   * from {@link #exact}: two sums of d products each lie within {@code γ_d·√(|a|²|b|²) ≤ γ_d·(|a|²
   * + |b|²)/2} of the true product, doubled by the factor 2 of the distance, plus three roundings
   * in each evaluation; all doubled for safety.
   */
  private static double slackFactor(int d) {
    double u = Math.ulp(1.0) / 2;
    double gamma = d * u / (1 - d * u);
    return 2 * (2 * gamma + 6 * u);
  }

  /** The radius of each point, row by row; the k smallest are kept sorted ascending. */
  final class Radii implements Gram.RowSink {
    private final double[][] points;
    private final double[] norms2;
    private final double[] radii2;

    private Radii(double[][] points) {
      this.points = points;
      this.norms2 = Gram.squaredNorms(points);
      this.radii2 = new double[points.length];
    }

    @Override
    public void accept(int i, double[] dots, int offset) {
      double slack = slackFactor(points[i].length);
      double ni = norms2[i];
      // The k smallest upper bounds of the exact distances give an upper bound of the exact k-th
      // smallest; every point whose lower bound is below the bound so far (which only shrinks) is
      // a candidate, and among the candidates the exact distances decide.
      double[] upper = new double[k];
      Arrays.fill(upper, Double.POSITIVE_INFINITY);
      int[] candidates = new int[4 * k + 16];
      int count = 0;
      for (int j = 0; j < points.length; j++) {
        double fast = Math.max(0, ni + norms2[j] - 2 * dots[offset + j]);
        double margin = slack * (ni + norms2[j]);
        if (fast - margin <= upper[k - 1] && j != i) {
          if (count == candidates.length) candidates = Arrays.copyOf(candidates, 2 * count);
          candidates[count++] = j;
          insert(upper, fast + margin);
        }
      }
      double[] best = new double[k];
      Arrays.fill(best, Double.POSITIVE_INFINITY);
      for (int c = 0; c < count; c++) {
        int j = candidates[c];
        double fast = Math.max(0, ni + norms2[j] - 2 * dots[offset + j]);
        if (fast - slack * (ni + norms2[j]) <= upper[k - 1]) {
          insert(best, exact(points[i], ni, points[j], norms2[j]));
        }
      }
      radii2[i] = best[k - 1];
    }

    private void insert(double[] best, double dist2) {
      if (dist2 < best[k - 1]) {
        int p = k - 1;
        while (p > 0 && best[p - 1] > dist2) {
          best[p] = best[p - 1];
          p--;
        }
        best[p] = dist2;
      }
    }

    /** The manifold, once every row has been seen. */
    Manifold manifold() {
      return new Manifold(points, norms2, radii2);
    }
  }

  /** Which balls hold which points, row by row of the generated set. */
  final class Cross implements Gram.RowSink {
    private final Manifold real;
    private final Manifold generated;
    private final AtomicIntegerArray realRecalled;
    private final AtomicIntegerArray realBallHit;
    private final int[] ballsHolding;

    private Cross(Manifold real, Manifold generated) {
      this.real = real;
      this.generated = generated;
      this.realRecalled = new AtomicIntegerArray(real.points().length);
      this.realBallHit = new AtomicIntegerArray(real.points().length);
      this.ballsHolding = new int[generated.points().length];
    }

    @Override
    public void accept(int g, double[] dots, int offset) {
      double[] gp = generated.points()[g];
      double gn = generated.norms2()[g];
      double gr = generated.radii2()[g];
      double[][] rp = real.points();
      double[] rn = real.norms2();
      double[] rr = real.radii2();
      double slack = slackFactor(gp.length);
      int balls = 0;
      for (int r = 0; r < rp.length; r++) {
        double fast = Math.max(0, gn + rn[r] - 2 * dots[offset + r]);
        double margin = slack * (gn + rn[r]);
        // Away from both radii by more than the margin, the fast distance decides as the exact one.
        boolean close = Math.abs(fast - rr[r]) <= margin || Math.abs(fast - gr) <= margin;
        double dist2 = close ? exact(gp, gn, rp[r], rn[r]) : fast;
        if (dist2 <= rr[r]) {
          balls++;
          realBallHit.lazySet(r, 1);
        }
        if (dist2 <= gr) {
          realRecalled.lazySet(r, 1);
        }
      }
      ballsHolding[g] = balls;
    }

    /** The four scores, once every row has been seen. */
    Score score() {
      int precise = (int) Arrays.stream(ballsHolding).filter(b -> b > 0).count();
      long balls = Arrays.stream(ballsHolding).asLongStream().sum();
      int recalled = 0;
      int covered = 0;
      for (int r = 0; r < real.points().length; r++) {
        recalled += realRecalled.get(r);
        covered += realBallHit.get(r);
      }
      double n = generated.points().length;
      int nReal = real.points().length;
      return new Score(
          precise / n, (double) recalled / nReal, balls / (k * n), (double) covered / nReal);
    }
  }
}
