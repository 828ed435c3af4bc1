package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleBiFunction;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class PrecisionRecallTest {
  private final PrecisionRecall pr = new PrecisionRecall(3);

  @Test
  void identicalSetsHaveFullPrecisionAndRecall() {
    double[][] x = FrechetDistanceTest.gaussianFeatures(400, 8, new Random(21), 0);
    var score = pr.between(x, x);
    assertEquals(1.0, score.precision());
    assertEquals(1.0, score.recall());
    assertEquals(1.0, score.coverage());
    // Without ties every ball holds its centre and exactly k neighbours.
    assertEquals(4.0 / 3, score.density(), 1e-12);
  }

  @Test
  void farApartSetsHaveZeroPrecisionAndRecall() {
    Random random = new Random(22);
    double[][] real = FrechetDistanceTest.gaussianFeatures(300, 8, random, 0);
    double[][] fake = FrechetDistanceTest.gaussianFeatures(300, 8, random, 100);
    var score = pr.between(real, fake);
    assertEquals(new PrecisionRecall.Score(0, 0, 0, 0), score);
  }

  @Test
  void collapsedGeneratorIsPreciseButRecallsAlmostNothing() {
    double[][] real = FrechetDistanceTest.gaussianFeatures(500, 8, new Random(23), 0);
    double[][] collapsed = new double[500][];
    Arrays.fill(collapsed, real[17]);
    var score = pr.between(real, collapsed);
    assertEquals(1.0, score.precision());
    // Generated radii are all 0, so only the real sample the generator copies is covered.
    assertEquals(1.0 / 500, score.recall());
    assertTrue(score.coverage() < 0.05, score.toString());
  }

  @Test
  void allFourMatchPlainDefinitions() {
    Random random = new Random(26);
    double[][] real = FrechetDistanceTest.gaussianFeatures(60, 4, random, 0);
    double[][] fake = FrechetDistanceTest.gaussianFeatures(50, 4, random, 0.7);
    double[] realR = bruteRadii(real);
    double[] fakeR = bruteRadii(fake);
    int precise = 0;
    int balls = 0;
    for (double[] g : fake) {
      int holding = 0;
      for (int r = 0; r < real.length; r++) {
        holding += dist2(g, real[r]) <= realR[r] ? 1 : 0;
      }
      precise += holding > 0 ? 1 : 0;
      balls += holding;
    }
    int recalled = 0;
    int covered = 0;
    for (int r = 0; r < real.length; r++) {
      boolean inFake = false;
      boolean hit = false;
      for (int g = 0; g < fake.length; g++) {
        inFake |= dist2(real[r], fake[g]) <= fakeR[g];
        hit |= dist2(real[r], fake[g]) <= realR[r];
      }
      recalled += inFake ? 1 : 0;
      covered += hit ? 1 : 0;
    }
    var score = pr.between(real, fake);
    assertEquals(precise / 50.0, score.precision(), 1e-12);
    assertEquals(recalled / 60.0, score.recall(), 1e-12);
    assertEquals(balls / (3 * 50.0), score.density(), 1e-12);
    assertEquals(covered / 60.0, score.coverage(), 1e-12);
  }

  /**
   * Points 1000 from the origin a distance ~1 apart: |a|² + |b|² − 2·a·b cancels eight digits, so
   * the engine's products decide nothing here and the exact fallback decides everything; with
   * duplicates (distance 0, ties of radii) and a collapsed copy of one real point. The scores and
   * radii must equal the plain definition's (left-to-right sums) exactly.
   */
  @Test
  void equalThePlainDefinitionExactlyWhereTheFastProductsCannotDecide() {
    Random random = new Random(27);
    double[][] real = FrechetDistanceTest.gaussianFeatures(300, 16, random, 0);
    double[][] fake = FrechetDistanceTest.gaussianFeatures(280, 16, random, 0.3);
    for (double[][] set : List.of(real, fake)) {
      for (double[] row : set) {
        for (int k = 0; k < row.length; k++) row[k] = 1000 + row[k] / 4;
      }
    }
    for (int i = 0; i < 40; i++) real[200 + i] = real[i].clone(); // exact duplicates
    for (int i = 0; i < 30; i++) fake[i] = real[7].clone(); // a collapsed mode on a real point
    for (int i = 30; i < 60; i++) fake[i] = real[i].clone(); // real points generated again
    double[] realR = plainRadii(real);
    double[] fakeR = plainRadii(fake);
    PrecisionRecall.Radii radii = pr.radii(real);
    Gram.rows(real, real, radii);
    assertArrayEquals(realR, radii.manifold().radii2());

    int precise = 0;
    int balls = 0;
    boolean[] recalled = new boolean[real.length];
    boolean[] covered = new boolean[real.length];
    for (int g = 0; g < fake.length; g++) {
      int holding = 0;
      for (int r = 0; r < real.length; r++) {
        double d2 = plainDist2(fake[g], real[r]);
        holding += d2 <= realR[r] ? 1 : 0;
        covered[r] |= d2 <= realR[r];
        recalled[r] |= d2 <= fakeR[g];
      }
      precise += holding > 0 ? 1 : 0;
      balls += holding;
    }
    var expected =
        new PrecisionRecall.Score(
            precise / 280.0, count(recalled) / 300.0, balls / (3 * 280.0), count(covered) / 300.0);
    assertEquals(expected, pr.between(real, fake));
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) n += f ? 1 : 0;
    return n;
  }

  /** Today's definition: {@code max(0, |a|² + |b|² − 2·a·b)}, each sum taken left to right. */
  private static double plainDist2(double[] a, double[] b) {
    double na = 0;
    double nb = 0;
    double ab = 0;
    for (int k = 0; k < a.length; k++) {
      na += a[k] * a[k];
      nb += b[k] * b[k];
      ab += a[k] * b[k];
    }
    return Math.max(0, na + nb - 2 * ab);
  }

  private static double[] plainRadii(double[][] x) {
    return radii(x, PrecisionRecallTest::plainDist2);
  }

  @Test
  void radiiMatchBruteForce() {
    double[][] x = FrechetDistanceTest.gaussianFeatures(37, 5, new Random(24), 0);
    PrecisionRecall.Radii radii = pr.radii(x);
    Gram.rows(x, x, radii);
    double[] radius2 = radii.manifold().radii2();
    double[] expected = bruteRadii(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], radius2[i], 1e-9);
    }
  }

  private static double[] bruteRadii(double[][] x) {
    return radii(x, PrecisionRecallTest::dist2);
  }

  /** Squared distance to the 3rd nearest other row, by sorting all distances. */
  private static double[] radii(double[][] x, ToDoubleBiFunction<double[], double[]> dist2) {
    double[] radii = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[] d = new double[x.length - 1];
      int c = 0;
      for (int j = 0; j < x.length; j++) {
        if (j != i) {
          d[c++] = dist2.applyAsDouble(x[i], x[j]);
        }
      }
      Arrays.sort(d);
      radii[i] = d[2];
    }
    return radii;
  }

  private static double dist2(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += (a[k] - b[k]) * (a[k] - b[k]);
    }
    return s;
  }

  @Test
  void fiveThousandByFiveThousandIsFast() {
    // A quarter of the 10k×10k work, to keep this file fast on a shared 2-core machine.
    Random random = new Random(25);
    double[][] real = FrechetDistanceTest.gaussianFeatures(5_000, 128, random, 0);
    double[][] fake = FrechetDistanceTest.gaussianFeatures(5_000, 128, random, 0.05);
    long start = System.nanoTime();
    var score = pr.between(real, fake);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("precision/recall 5k×5k×128: %.1f s, %s%n", seconds, score);
    assertTrue(score.precision() > 0.5 && score.recall() > 0.5, score.toString());
    assertTrue(seconds < 20, "took " + seconds + " s");
  }
}
