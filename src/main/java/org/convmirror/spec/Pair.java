package org.convmirror.spec;

/** A (height, width) pair of non-negative integers: a kernel, stride, padding or dilation. */
public record Pair(int height, int width) {

  public Pair {
    SpecException.check(height >= 0 && width >= 0, "", "must be ≥ 0, was " + height + "x" + width);
  }

  /** A square pair. */
  public static Pair of(int both) {
    return new Pair(both, both);
  }

  public static Pair of(int height, int width) {
    return new Pair(height, width);
  }

  public boolean isSquare() {
    return height == width;
  }

  /** {@code [h, w]}, as the plan's JSON writes it. */
  public int[] toArray() {
    return new int[] {height, width};
  }

  @Override
  public String toString() {
    return isSquare() ? Integer.toString(height) : height + "x" + width;
  }
}
