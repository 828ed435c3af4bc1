package org.convmirror.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrecisionRecallTest {
  private final PrecisionRecall pr = new PrecisionRecall(3);

  @Test
  void identicalSetsHaveFullPrecisionAndRecall() {
    double[][] x = FrechetDistanceTest.gaussianFeatures(400, 8, new Random(21), 0);
    var score = pr.between(x, x);
    assertEquals(1.0, score.precision());
    assertEquals(1.0, score.recall());
  }

  @Test
  void farApartSetsHaveZeroPrecisionAndRecall() {
    Random random = new Random(22);
    double[][] real = FrechetDistanceTest.gaussianFeatures(300, 8, random, 0);
    double[][] fake = FrechetDistanceTest.gaussianFeatures(300, 8, random, 100);
    var score = pr.between(real, fake);
    assertEquals(0.0, score.precision());
    assertEquals(0.0, score.recall());
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
  }

  @Test
  void radiiMatchBruteForce() {
    double[][] x = FrechetDistanceTest.gaussianFeatures(37, 5, new Random(24), 0);
    double[] radius2 = pr.kthNeighbourDistance2(x, 5);
    for (int i = 0; i < x.length; i++) {
      double[] d = new double[x.length - 1];
      int c = 0;
      for (int j = 0; j < x.length; j++) {
        if (j != i) {
          double s = 0;
          for (int k = 0; k < 5; k++) {
            s += (x[i][k] - x[j][k]) * (x[i][k] - x[j][k]);
          }
          d[c++] = s;
        }
      }
      Arrays.sort(d);
      assertEquals(d[2], radius2[i], 1e-9);
    }
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
