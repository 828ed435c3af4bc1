package org.convmirror.internal.data;

/** Pixels held as floats in [-1, 1], N×C×H×W in one array: synthetic data and small sets. */
record FloatPixels(float[] values, int imageSize) implements Pixels {
  FloatPixels {
    if (imageSize < 1 || values.length % imageSize != 0) {
      throw new IllegalArgumentException(
          "pixels.length " + values.length + " is not a multiple of C·H·W = " + imageSize);
    }
  }

  @Override
  public int count() {
    return values.length / imageSize;
  }

  @Override
  public void copy(int i, float[] dest, int offset) {
    System.arraycopy(values, i * imageSize, dest, offset, imageSize);
  }
}
