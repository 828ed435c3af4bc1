package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class KernelInceptionDistanceTest {

  @Test
  void mmdMatchesPlainQuadraticDefinition() {
    Random random = new Random(11);
    double[][] x = FrechetDistanceTest.gaussianFeatures(7, 5, random, 0);
    double[][] y = FrechetDistanceTest.gaussianFeatures(7, 5, random, 0.7);
    assertEquals(plainMmd2(x, y), KernelInceptionDistance.mmd2(x, y, 5), 1e-12);
  }

  @Test
  void singleSubsetOfEverythingEqualsPlainDefinition() {
    Random random = new Random(12);
    double[][] x = FrechetDistanceTest.gaussianFeatures(9, 3, random, 0);
    double[][] y = FrechetDistanceTest.gaussianFeatures(9, 3, random, 1);
    var score = new KernelInceptionDistance(4, 100, 1).between(x, y);
    // Subsets of the whole set are permutations: every estimate is the full-set one.
    assertEquals(plainMmd2(x, y), score.mean(), 1e-12);
    assertEquals(0, score.std(), 1e-12);
  }

  @Test
  void sameDistributionScoresNearZeroAndShiftedScoresClearlyHigher() {
    Random random = new Random(13);
    double[][] a = FrechetDistanceTest.gaussianFeatures(600, 16, random, 0);
    double[][] b = FrechetDistanceTest.gaussianFeatures(600, 16, random, 0);
    double[][] c = FrechetDistanceTest.gaussianFeatures(600, 16, random, 0.5);
    var kid = new KernelInceptionDistance(20, 200, 42);
    var same = kid.between(a, b);
    var shifted = kid.between(a, c);
    assertTrue(Math.abs(same.mean()) < 3 * same.std() + 1e-3, "same: " + same);
    assertTrue(shifted.mean() > 20 * Math.abs(same.mean()), same + " vs " + shifted);
  }

  @Test
  void isReproducibleForASeed() {
    Random random = new Random(14);
    double[][] a = FrechetDistanceTest.gaussianFeatures(100, 4, random, 0);
    double[][] b = FrechetDistanceTest.gaussianFeatures(100, 4, random, 0.2);
    var kid = new KernelInceptionDistance(10, 30, 5);
    assertEquals(kid.between(a, b), kid.between(a, b));
  }

  private static double plainMmd2(double[][] x, double[][] y) {
    int m = x.length;
    double xx = 0;
    double yy = 0;
    double xy = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        if (i != j) {
          xx += k(x[i], x[j]);
          yy += k(y[i], y[j]);
        }
        xy += k(x[i], y[j]);
      }
    }
    return xx / (m * (m - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double) m * m);
  }

  private static double k(double[] a, double[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return Math.pow(dot / a.length + 1, 3);
  }
}
