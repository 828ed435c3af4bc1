package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Keyed streams and the Box–Muller draws every random number of a run comes from. */
@Tier.Pure
class SeedsTest {
  private static float[] draw(long seed, long stream, long position) {
    return Seeds.gaussian(Seeds.random(seed, stream, position), 100_000);
  }

  @Test
  void gaussianDrawsHaveMeanZeroAndVarianceOne() {
    float[] z = draw(1, 5, 0);
    double mean = 0;
    double sq = 0;
    for (float v : z) mean += v / (double) z.length;
    for (float v : z) sq += (v - mean) * (v - mean) / z.length;
    // standard errors: 1/sqrt(n) ≈ 0.0032 for the mean, sqrt(2/n) ≈ 0.0045 for the variance
    assertEquals(0, mean, 0.015);
    assertEquals(1, sq, 0.02);
  }

  @Test
  void aKeyGivesOneStreamAndEveryPartOfTheKeyChangesIt() {
    float[] a = draw(1, 5, 0);
    assertArrayEquals(a, draw(1, 5, 0));
    for (float[] other : new float[][] {draw(2, 5, 0), draw(1, 6, 0), draw(1, 5, 1)}) {
      assertFalse(Arrays.equals(a, other));
      double c = 0;
      for (int i = 0; i < a.length; i++) c += a[i] * other[i] / (double) a.length;
      assertTrue(Math.abs(c) < 0.015, "neighbouring keys give uncorrelated streams, was " + c);
    }
  }
}
