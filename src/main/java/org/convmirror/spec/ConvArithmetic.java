package org.convmirror.spec;

/**
 * Exact integer size arithmetic of convolution, max-pooling and transposed convolution, as PyTorch
 * defines them (floor division, no ceil mode). One axis at a time.
 */
public final class ConvArithmetic {
  /**
   * The largest kernel, stride, padding or dilation: far beyond any image side a model trains on,
   * and small enough that the arithmetic below cannot overflow an int (d·(k−1) ≤ 2³²).
   */
  public static final int MAX_PARAMETER = 1 << 15;

  private ConvArithmetic() {}

  /** Refuses a size parameter beyond {@link #MAX_PARAMETER}, naming the field. */
  static void checkBounded(String field, Pair p) {
    SpecException.check(
        p.height() <= MAX_PARAMETER && p.width() <= MAX_PARAMETER,
        field,
        "must be at most " + MAX_PARAMETER + ", was " + p);
  }

  /** The extent a dilated kernel covers: d·(k−1)+1. */
  public static int dilatedExtent(int kernel, int dilation) {
    return dilation * (kernel - 1) + 1;
  }

  /**
   * Output size of a convolution: ⌊(in + 2p − d(k−1) − 1) / s⌋ + 1, or a value ≤ 0 when the dilated
   * kernel does not fit in the padded input.
   */
  public static int convOut(int in, int kernel, int stride, int padding, int dilation) {
    long span = (long) in + 2L * padding - dilatedExtent(kernel, dilation);
    return span < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, span / stride + 1);
  }

  /** Output size of max-pooling without padding: ⌊(in − k) / s⌋ + 1, or 0 if k > in. */
  public static int poolOut(int in, int kernel, int stride) {
    return in < kernel ? 0 : (in - kernel) / stride + 1;
  }

  /** Output size of a transposed convolution: (in−1)·s − 2p + d(k−1) + op + 1. */
  public static int convTransposeOut(
      int in, int kernel, int stride, int padding, int outputPadding, int dilation) {
    long out =
        (long) (in - 1) * stride - 2L * padding + dilatedExtent(kernel, dilation) + outputPadding;
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, out));
  }

  /**
   * The output padding that makes a transposed convolution restore exactly the size {@code target}
   * that the matching convolution consumed: the rows the convolution's floor division dropped,
   * (target + 2p − d(k−1) − 1) mod s. Always in [0, s), so PyTorch accepts it.
   */
  public static int outputPadding(int target, int kernel, int stride, int padding, int dilation) {
    int span = target + 2 * padding - dilatedExtent(kernel, dilation);
    if (span < 0) {
      throw new IllegalArgumentException(
          "kernel extent "
              + dilatedExtent(kernel, dilation)
              + " exceeds padded size "
              + (target + 2 * padding));
    }
    return span % stride;
  }
}
