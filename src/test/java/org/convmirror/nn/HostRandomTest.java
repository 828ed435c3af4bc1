package org.convmirror.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HostRandomTest {
  private static float[] draw(long seed, String purpose, long position) {
    return HostRandom.gaussian(HostRandom.stream(seed, purpose, position), 100_000);
  }

  @Test
  void gaussianDrawsHaveMeanZeroAndVarianceOne() {
    float[] z = draw(1, "test", 0);
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
    float[] a = draw(1, "test", 0);
    assertArrayEquals(a, draw(1, "test", 0));
    for (float[] other :
        new float[][] {draw(2, "test", 0), draw(1, "other", 0), draw(1, "test", 1)}) {
      assertFalse(Arrays.equals(a, other));
      double c = 0;
      for (int i = 0; i < a.length; i++) c += a[i] * other[i] / (double) a.length;
      assertTrue(Math.abs(c) < 0.015, "neighbouring keys give uncorrelated streams, was " + c);
    }
  }
}
