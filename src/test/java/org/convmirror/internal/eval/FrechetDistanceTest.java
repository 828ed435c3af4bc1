package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class FrechetDistanceTest {

  @Test
  void diagonalCovariancesMatchClosedForm() {
    double[] a = {0.5, 2.0, 3.0, 0.01};
    double[] b = {1.5, 0.2, 3.0, 4.0};
    double[] mu1 = {0, 1, 2, 3};
    double[] mu2 = {1, 1, -1, 3.5};
    double expected = 0;
    for (int k = 0; k < 4; k++) {
      expected += sq(mu1[k] - mu2[k]) + sq(Math.sqrt(a[k]) - Math.sqrt(b[k]));
    }
    double actual = FrechetDistance.between(stats(mu1, diag(a)), stats(mu2, diag(b)));
    assertEquals(expected, actual, 1e-6 * expected);
  }

  @Test
  void commutingCovariancesMatchClosedForm() {
    Random random = new Random(7);
    int d = 6;
    double[][] q = orthogonal(d, random);
    double[] a = new double[d];
    double[] b = new double[d];
    double[] mu1 = new double[d];
    double[] mu2 = new double[d];
    double expected = 0;
    for (int k = 0; k < d; k++) {
      a[k] = 0.1 + 3 * random.nextDouble();
      b[k] = 0.1 + 3 * random.nextDouble();
      mu1[k] = random.nextGaussian();
      mu2[k] = random.nextGaussian();
      expected += sq(mu1[k] - mu2[k]) + sq(Math.sqrt(a[k]) - Math.sqrt(b[k]));
    }
    // Σ = Q diag(λ) Qᵀ with one Q: the two covariances commute.
    double actual =
        FrechetDistance.between(
            stats(mu1, mul(mul(q, diag(a)), transpose(q))),
            stats(mu2, mul(mul(q, diag(b)), transpose(q))));
    assertEquals(expected, actual, 1e-6 * expected);
  }

  @Test
  void identicalFeaturesHaveZeroDistance() {
    double[][] x = gaussianFeatures(500, 8, new Random(1), 0);
    assertEquals(0, FrechetDistance.between(x, x), 1e-9);
  }

  @Test
  void fewerSamplesThanFeaturesShiftOnlyTheMeanTerm() {
    // 16 samples of 128 features: both covariances have rank 15 (what a 16-image evaluation
    // gives); a translation by c changes nothing but the mean term, so d² = |c|² exactly.
    for (double scale : new double[] {1, 1e-6}) {
      Random random = new Random(3);
      double[][] x = gaussianFeatures(16, 128, random, 0);
      double[][] y = new double[16][128];
      double expected = 0;
      double[] c = new double[128];
      for (int k = 0; k < 128; k++) {
        c[k] = scale * random.nextGaussian();
        expected += c[k] * c[k];
      }
      for (int i = 0; i < 16; i++) {
        for (int k = 0; k < 128; k++) {
          x[i][k] *= scale;
          y[i][k] = x[i][k] + c[k];
        }
      }
      assertEquals(expected, FrechetDistance.between(x, y), 1e-6 * expected);
    }
  }

  @Test
  void isSymmetric() {
    Random random = new Random(2);
    double[][] x = gaussianFeatures(300, 10, random, 0);
    double[][] y = gaussianFeatures(200, 10, random, 0.5);
    double xy = FrechetDistance.between(x, y);
    assertEquals(xy, FrechetDistance.between(y, x), 1e-9 * xy);
  }

  @Test
  void matchesDenmanBeaversReferenceOnRandomSpdMatrices() {
    Random random = new Random(3);
    for (int trial = 0; trial < 5; trial++) {
      int d = 3 + trial * 2;
      double[][] s1 = randomSpd(d, random);
      double[][] s2 = randomSpd(d, random);
      double[] mu1 = new double[d];
      double[] mu2 = new double[d];
      double expected = 0;
      for (int k = 0; k < d; k++) {
        mu1[k] = random.nextGaussian();
        mu2[k] = random.nextGaussian();
        expected += sq(mu1[k] - mu2[k]) + s1[k][k] + s2[k][k];
      }
      // tr((Σ1Σ2)^½): the non-symmetric product's square root, by a different algorithm.
      expected -= 2 * trace(denmanBeaversSqrt(mul(s1, s2)));
      double actual = FrechetDistance.between(stats(mu1, s1), stats(mu2, s2));
      assertEquals(expected, actual, 1e-6 * expected, "d = " + d);
    }
  }

  @Test
  void statisticsMatchPlainDefinition() {
    double[][] x = gaussianFeatures(50, 4, new Random(4), 100);
    GaussianStats stats = GaussianStats.of(x);
    for (int k = 0; k < 4; k++) {
      double mk = 0;
      for (double[] row : x) {
        mk += row[k] / x.length;
      }
      assertEquals(mk, stats.mean()[k], 1e-9);
      for (int l = 0; l < 4; l++) {
        double ml = 0;
        for (double[] row : x) {
          ml += row[l] / x.length;
        }
        double c = 0;
        for (double[] row : x) {
          c += (row[k] - mk) * (row[l] - ml) / (x.length - 1);
        }
        assertEquals(c, stats.covariance()[k][l], 1e-9);
      }
    }
  }

  // ---- plain-Java references -------------------------------------------------------------

  /** Denman–Beavers iteration: Y → A^½, Z → A^-½, for A with positive real eigenvalues. */
  static double[][] denmanBeaversSqrt(double[][] a) {
    double[][] y = a;
    double[][] z = identity(a.length);
    for (int it = 0; it < 100; it++) {
      double[][] yNext = average(y, inverse(z));
      double[][] zNext = average(z, inverse(y));
      y = yNext;
      z = zNext;
    }
    return y;
  }

  static double[][] inverse(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = a[c];
      a[c] = a[pivot];
      a[pivot] = t;
      double p = a[c][c];
      for (int j = 0; j < 2 * n; j++) {
        a[c][j] /= p;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c];
          for (int j = 0; j < 2 * n; j++) {
            a[r][j] -= f * a[c][j];
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }

  static double[][] randomSpd(int d, Random random) {
    double[][] g = new double[d][d];
    for (double[] row : g) {
      for (int k = 0; k < d; k++) {
        row[k] = random.nextGaussian();
      }
    }
    double[][] s = mul(g, transpose(g));
    for (int k = 0; k < d; k++) {
      s[k][k] += 0.1;
    }
    return s;
  }

  static double[][] orthogonal(int d, Random random) {
    double[][] q = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        q[i][k] = random.nextGaussian();
      }
      for (int j = 0; j < i; j++) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += q[i][k] * q[j][k];
        }
        for (int k = 0; k < d; k++) {
          q[i][k] -= dot * q[j][k];
        }
      }
      double norm = 0;
      for (int k = 0; k < d; k++) {
        norm += q[i][k] * q[i][k];
      }
      for (int k = 0; k < d; k++) {
        q[i][k] /= Math.sqrt(norm);
      }
    }
    return q;
  }

  static double[][] gaussianFeatures(int n, int d, Random random, double shift) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        row[k] = random.nextGaussian() * (1 + k % 3) + shift;
      }
    }
    return x;
  }

  private static GaussianStats stats(double[] mean, double[][] cov) {
    return new GaussianStats(mean, cov, 1000);
  }

  private static double[][] diag(double[] v) {
    double[][] m = new double[v.length][v.length];
    for (int k = 0; k < v.length; k++) {
      m[k][k] = v[k];
    }
    return m;
  }

  private static double[][] identity(int n) {
    return diag(java.util.stream.DoubleStream.generate(() -> 1).limit(n).toArray());
  }

  private static double[][] average(double[][] a, double[][] b) {
    double[][] c = new double[a.length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        c[i][j] = (a[i][j] + b[i][j]) / 2;
      }
    }
    return c;
  }

  static double[][] mul(double[][] a, double[][] b) {
    double[][] c = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < b.length; k++) {
        for (int j = 0; j < b[0].length; j++) {
          c[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return c;
  }

  static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  private static double trace(double[][] a) {
    double t = 0;
    for (int i = 0; i < a.length; i++) {
      t += a[i][i];
    }
    return t;
  }

  private static double sq(double x) {
    return x * x;
  }
}
