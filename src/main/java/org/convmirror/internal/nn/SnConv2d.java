package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A 2-D convolution with a spectrally normalised weight (Miyato et al. 2018, arXiv:1802.05957);
 * weight (filters, inChannels, kH, kW) as DJL's {@code Conv2d}, see {@link SpectralNormBlock}.
 */
public final class SnConv2d extends SpectralNormBlock {

  private final int filters;
  private final Shape kernel;
  private final Shape stride;
  private final Shape padding;
  private final Shape dilation;

  private SnConv2d(Builder b) {
    super(b.includeBias);
    filters = b.filters;
    kernel = b.kernel;
    stride = b.stride;
    padding = b.padding;
    dilation = b.dilation;
  }

  /** Returns a builder; {@code setFilters} and {@code setKernelShape} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected Shape weightShape(Shape in) {
    return new Shape(filters, in.get(1), kernel.get(0), kernel.get(1));
  }

  @Override
  protected NDArray apply(NDArray x, NDArray w, NDArray b) {
    return Conv2d.conv2d(x, w, b, stride, padding, dilation).head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0]; // (N, C, H, W) -> (N, filters, H', W')
    return new Shape[] {new Shape(in.get(0), filters, out(in.get(2), 0), out(in.get(3), 1))};
  }

  private long out(long size, int axis) {
    long span = dilation.get(axis) * (kernel.get(axis) - 1) + 1;
    return (size + 2 * padding.get(axis) - span) / stride.get(axis) + 1;
  }

  /** Builds an {@link SnConv2d}; {@code set*} are required, {@code opt*} optional. */
  public static final class Builder {
    private int filters = -1;
    private Shape kernel;
    private Shape stride = new Shape(1, 1);
    private Shape padding = new Shape(0, 0);
    private Shape dilation = new Shape(1, 1);
    private boolean includeBias = true;

    private Builder() {}

    /** Sets the number of output channels. */
    public Builder setFilters(int filters) {
      this.filters = filters;
      return this;
    }

    /** Sets the kernel shape (kH, kW). */
    public Builder setKernelShape(Shape kernel) {
      this.kernel = kernel;
      return this;
    }

    /** Sets the stride (sH, sW); default (1, 1). */
    public Builder optStride(Shape stride) {
      this.stride = stride;
      return this;
    }

    /** Sets the zero padding (pH, pW) on each side; default (0, 0). */
    public Builder optPadding(Shape padding) {
      this.padding = padding;
      return this;
    }

    /** Sets the dilation (dH, dW); default (1, 1). */
    public Builder optDilation(Shape dilation) {
      this.dilation = dilation;
      return this;
    }

    /** Sets whether the layer has a bias; default true. */
    public Builder optBias(boolean includeBias) {
      this.includeBias = includeBias;
      return this;
    }

    /** Validates and builds the block. */
    public SnConv2d build() {
      if (filters < 1) {
        throw new IllegalArgumentException("filters must be set and >= 1, was " + filters);
      }
      for (Shape s : new Shape[] {kernel, stride, padding, dilation}) {
        if (s == null || s.dimension() != 2) {
          throw new IllegalArgumentException(
              "kernel, stride, padding and dilation must be (h, w), was " + s);
        }
      }
      if (kernel.get(0) < 1 || kernel.get(1) < 1 || stride.get(0) < 1 || stride.get(1) < 1) {
        throw new IllegalArgumentException(
            "kernel and stride must be >= 1, were " + kernel + " and " + stride);
      }
      return new SnConv2d(this);
    }
  }
}
