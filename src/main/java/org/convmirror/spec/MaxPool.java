package org.convmirror.spec;

/** Max-pooling after a convolutional block, without padding (PyTorch's {@code MaxPool2d}). */
public record MaxPool(Pair kernel, Pair stride) {

  public MaxPool {
    SpecException.check(kernel != null, "kernel", "must be given");
    if (stride == null) stride = kernel;
    SpecException.check(
        kernel.height() >= 1 && kernel.width() >= 1, "kernel", "must be ≥ 1, was " + kernel);
    SpecException.check(
        stride.height() >= 1 && stride.width() >= 1, "stride", "must be ≥ 1, was " + stride);
  }

  /** Square pooling whose stride equals its kernel, as {@code max_pool: 2} means. */
  public static MaxPool of(int kernel) {
    return new MaxPool(Pair.of(kernel), Pair.of(kernel));
  }

  @Override
  public String toString() {
    return kernel.equals(stride)
        ? "max_pool(" + kernel + ")"
        : "max_pool(" + kernel + "/" + stride + ")";
  }
}
