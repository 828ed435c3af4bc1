package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Engine tier: the engine's products against the plain-Java sum, across block boundaries. */
@Tier.Engine
class GramTest {

  @Test
  void everyRowEqualsThePlainSumToRounding() {
    Random random = new Random(51);
    // 1,000 columns make blocks of 4,194 rows: 9,000 rows end in a partial block.
    double[][] x = FrechetDistanceTest.gaussianFeatures(9_000, 7, random, 0.5);
    double[][] y = FrechetDistanceTest.gaussianFeatures(1_000, 7, random, 0);
    AtomicInteger rows = new AtomicInteger();
    double[] worst = new double[1];
    Gram.rows(
        x,
        y,
        (i, dots, offset) -> {
          rows.incrementAndGet();
          double w = 0;
          for (int j = 0; j < y.length; j++) {
            double plain = Gram.dot(x[i], y[j]);
            double scale = Math.sqrt(Gram.dot(x[i], x[i]) * Gram.dot(y[j], y[j]));
            w = Math.max(w, Math.abs(dots[offset + j] - plain) / scale);
          }
          synchronized (worst) {
            worst[0] = Math.max(worst[0], w);
          }
        });
    assertEquals(x.length, rows.get());
    // Two float64 sums of 7 products differ by at most 2·γ_7 ≈ 1.6e-15 of |a|·|b|.
    assertEquals(0, worst[0], 2e-15);
  }

  @Test
  void refusesRowsOfAnotherLength() {
    double[][] x = {{1, 2}, {3, 4}};
    double[][] y = {{1, 2}, {3}};
    var e = assertThrows(IllegalArgumentException.class, () -> Gram.rows(x, y, (i, d, o) -> {}));
    assertEquals("features[1].length must be 2, was 1", e.getMessage());
  }
}
