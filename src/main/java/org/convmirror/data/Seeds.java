package org.convmirror.data;

/** Derives independent random seeds from a base seed and an index, so streams never overlap. */
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
}
