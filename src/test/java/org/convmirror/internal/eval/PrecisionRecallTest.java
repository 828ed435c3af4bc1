package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
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

  @Test
  void radiiMatchBruteForce() {
    double[][] x = FrechetDistanceTest.gaussianFeatures(37, 5, new Random(24), 0);
    double[] radius2 = pr.kthNeighbourDistance2(x, 5);
    double[] expected = bruteRadii(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], radius2[i], 1e-9);
    }
  }

  /** Squared distance to the 3rd nearest other row, by sorting all distances. */
  private static double[] bruteRadii(double[][] x) {
    double[] radii = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[] d = new double[x.length - 1];
      int c = 0;
      for (int j = 0; j < x.length; j++) {
        if (j != i) {
          d[c++] = dist2(x[i], x[j]);
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
