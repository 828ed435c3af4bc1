package org.convmirror.nn;

import java.util.SplittableRandom;

/**
 * Random numbers drawn in Java from a key (seed, purpose, position), never from the engine's global
 * generator: a result then depends neither on what else drew random numbers before it nor on the
 * thread it runs on, and the same key gives the same numbers on every engine and device.
 */
public final class HostRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private HostRandom() {}

  /**
   * An independent stream for {@code position} (a pass, an iteration, a batch) of {@code purpose}
   * under {@code seed}.
   *
   * <p>Why the key is hashed rather than added: SplittableRandom steps its state by a fixed gamma,
   * so {@code new SplittableRandom(seed + position)} would give overlapping, shifted copies of one
   * stream; each key part goes through SplitMix64's finaliser instead.
   */
  public static SplittableRandom stream(long seed, String purpose, long position) {
    long key = finalise(seed + GOLDEN_GAMMA);
    key = finalise(key ^ purpose.hashCode() * GOLDEN_GAMMA);
    return new SplittableRandom(finalise(key ^ (position + 1) * GOLDEN_GAMMA));
  }

  /** {@code n} draws from N(0, 1). */
  public static float[] gaussian(SplittableRandom random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) random.nextGaussian();
    return out;
  }

  /** SplitMix64's output function (Steele, Lea &amp; Flood 2014). */
  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
