package org.convmirror.internal.data;

import java.util.SplittableRandom;

/**
 * Derives independent random seeds from a base seed and an index, so streams never overlap, and
 * draws normal variates from them the same way on every JVM.
 */
public final class Seeds {
  private Seeds() {}

  /**
   * Mixes {@code seed} and {@code index} into a new seed.
   *
   * <p>Why not {@code seed + index}: SplittableRandom steps its state by a fixed gamma, so nearby
   * seeds give shifted copies of the same stream; a finaliser (Stafford's Mix13) breaks that.
   */
  public static long mix(long seed, long index) {
    long z = seed ^ (index * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** An independent generator for {@code position} of {@code stream} under {@code seed}. */
  public static SplittableRandom random(long seed, long stream, long position) {
    return new SplittableRandom(mix(mix(seed, stream), position));
  }

  /**
   * {@code n} standard normal draws by the Box–Muller transform, written out rather than taken from
   * {@code nextGaussian}, whose algorithm the JDK does not specify (it changed in Java 17): the
   * same seed must give the same numbers on every JVM.
   */
  public static float[] gaussian(SplittableRandom r, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i += 2) {
      double u = 1.0 - r.nextDouble(); // (0, 1]: log(u) is finite
      double radius = Math.sqrt(-2 * Math.log(u));
      double angle = 2 * Math.PI * r.nextDouble();
      out[i] = (float) (radius * Math.cos(angle));
      if (i + 1 < n) out[i + 1] = (float) (radius * Math.sin(angle));
    }
    return out;
  }
}
