package org.convmirror.internal.nn;

import java.util.Locale;

/**
 * How a transposed convolution computes inputs larger than 1×1; both are exact, a 1×1 input is one
 * matrix multiply either way. Each {@link ConvTranspose2d} is built with one, so that a benchmark
 * can compare them side by side without a process-wide switch.
 */
public enum ConvKernel {
  /** libtorch's conv_transpose2d through {@link NativeConvTranspose}, where it loads. */
  NATIVE,
  /** The sub-pixel (phase) decomposition into one ordinary convolution; always available. */
  SUB_PIXEL;

  /**
   * The kernel networks are built with unless told otherwise: native, or sub-pixel when the JVM
   * starts with {@code -Dconvmirror.conv_transpose=subpixel} (for benchmarks and tests).
   */
  public static final ConvKernel DEFAULT =
      "subpixel".equalsIgnoreCase(System.getProperty("convmirror.conv_transpose", ""))
          ? SUB_PIXEL
          : NATIVE;

  /** The name {@code bench --conv-transpose} takes: {@code native} or {@code subpixel}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace("_", "");
  }
}
