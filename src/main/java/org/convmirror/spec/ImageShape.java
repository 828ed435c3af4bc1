package org.convmirror.spec;

/** The shape of one image or feature map: channels × height × width. */
public record ImageShape(int channels, int height, int width) {

  public ImageShape {
    SpecException.check(channels >= 1, "channels", "must be ≥ 1, was " + channels);
    SpecException.check(height >= 1, "height", "must be ≥ 1, was " + height);
    SpecException.check(width >= 1, "width", "must be ≥ 1, was " + width);
    SpecException.check(
        (long) channels * height * width <= MAX_VALUES,
        "",
        channels
            + "×"
            + height
            + "×"
            + width
            + " is "
            + (long) channels * height * width
            + " values, more than a tensor here can index ("
            + MAX_VALUES
            + "); use smaller images");
  }

  /** The most values one image or feature map may hold: C·H·W must fit in an {@code int}. */
  public static final long MAX_VALUES = Integer.MAX_VALUE;

  public static ImageShape of(int channels, int height, int width) {
    return new ImageShape(channels, height, width);
  }

  /** Number of values in one image: C·H·W. */
  public int size() {
    return channels * height * width;
  }

  public boolean isPoint() {
    return height == 1 && width == 1;
  }

  public int[] toArray() {
    return new int[] {channels, height, width};
  }

  @Override
  public String toString() {
    return channels + "×" + height + "×" + width;
  }
}
