package org.convmirror.internal.data;

/**
 * Where an {@link ImageSet}'s pixels live: a float array on the heap ({@link FloatPixels}) or 8-bit
 * samples on the heap or in a memory-mapped cache file ({@link BytePixels}), read one image at a
 * time so that no N×C×H×W float array ever has to exist.
 */
interface Pixels {
  /** Images stored. */
  int count();

  /** Values per image, C·H·W. */
  int imageSize();

  /** Copies stored image {@code i} into {@code dest} at {@code offset} as floats in [-1, 1]. */
  void copy(int i, float[] dest, int offset);
}
