package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.convmirror.options.Precision;

/**
 * A 2-D transposed convolution ("fractionally strided convolution", Dumoulin &amp; Visin 2016,
 * arXiv:1603.07285) with PyTorch's weight layout {@code (inChannels, outChannels, kH, kW)}, which
 * DJL's {@code Conv2dTranspose} does not provide on the PyTorch engine.
 *
 * <p>The forward pass is {@link #convTranspose2d}: libtorch's own {@code conv_transpose2d}, reached
 * through a one-op TorchScript module ({@link NativeConvTranspose}), or, for a block built with
 * {@link ConvKernel#SUB_PIXEL}, a sub-pixel (phase) decomposition into one ordinary convolution; a
 * 1&times;1 input is one matrix multiply either way.
 */
public final class ConvTranspose2d extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int filters;
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;
  private final int[] outputPadding;
  private final int[] dilation;
  private final boolean includeBias;
  private final ConvKernel kernelChoice;
  private final Precision precision;

  private final Parameter weight;
  private final Parameter bias;

  private ConvTranspose2d(Builder b) {
    super(VERSION);
    filters = b.filters;
    kernel = b.kernel;
    stride = b.stride;
    padding = b.padding;
    outputPadding = b.outputPadding;
    dilation = b.dilation;
    includeBias = b.includeBias;
    kernelChoice = b.kernelChoice;
    precision = b.precision;
    weight =
        addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    bias =
        includeBias
            ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
            : null;
  }

  /**
   * Functional transposed convolution, exactly {@code torch.nn.functional.conv_transpose2d}.
   *
   * @param x input (N, Cin, H, W)
   * @param w weight (Cin, Cout, kH, kW), PyTorch's layout
   * @param b bias (Cout), or null
   * @param stride (sH, sW), each &gt;= 1
   * @param padding (pH, pW), cropped from each side of the full output
   * @param outputPadding (opH, opW), each &lt; max(stride, dilation) on its axis
   * @param dilation (dH, dW), each &gt;= 1
   * @param kernel how an input larger than 1&times;1 is computed
   * @return (N, Cout, H_out, W_out) with H_out = (H-1)*s - 2p + d*(k-1) + op + 1, in x's manager
   */
  public static NDArray convTranspose2d(
      NDArray x,
      NDArray w,
      NDArray b,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int[] dilation,
      ConvKernel kernel) {
    return ConvTransposeOps.convTranspose2d(
        x, w, b, stride, padding, outputPadding, dilation, kernel);
  }

  /** Returns a builder; {@code setFilters} and {@code setKernelShape} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = store.getValue(weight, x.getDevice(), training);
    NDArray b = includeBias ? store.getValue(bias, x.getDevice(), training) : null;
    return new NDList(
        ConvTransposeOps.convTranspose2d(
            x, w, b, stride, padding, outputPadding, dilation, kernelChoice, precision, true));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0]; // (N, Cin, H, W)
    return new Shape[] {
      new Shape(
          in.get(0),
          filters,
          ConvTransposeOps.outputSize(
              in.get(2), kernel[0], stride[0], padding[0], outputPadding[0], dilation[0]),
          ConvTransposeOps.outputSize(
              in.get(3), kernel[1], stride[1], padding[1], outputPadding[1], dilation[1]))
    };
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    if (in.dimension() != 4) {
      throw new IllegalArgumentException("ConvTranspose2d expects (N, C, H, W), was " + in);
    }
    weight.setShape(new Shape(in.get(1), filters, kernel[0], kernel[1]));
    if (includeBias) {
      bias.setShape(new Shape(filters));
    }
  }

  @Override
  public String toString() {
    return String.format(
        "ConvTranspose2d(filters=%d, kernel=%s, stride=%s, padding=%s, outputPadding=%s,"
            + " dilation=%s, bias=%b)",
        filters,
        java.util.Arrays.toString(kernel),
        java.util.Arrays.toString(stride),
        java.util.Arrays.toString(padding),
        java.util.Arrays.toString(outputPadding),
        java.util.Arrays.toString(dilation),
        includeBias);
  }

  /** Builds a {@link ConvTranspose2d}; {@code set*} are required, {@code opt*} optional. */
  public static final class Builder {
    private int filters = -1;
    private int[] kernel;
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private int[] outputPadding = {0, 0};
    private int[] dilation = {1, 1};
    private boolean includeBias = true;
    private ConvKernel kernelChoice = ConvKernel.DEFAULT;
    private Precision precision = Precision.FP32;

    private Builder() {}

    /** Sets the number of output channels. */
    public Builder setFilters(int filters) {
      this.filters = filters;
      return this;
    }

    /** Sets the kernel shape {@code (kH, kW)}. */
    public Builder setKernelShape(Shape kernelShape) {
      this.kernel = pair(kernelShape, "kernelShape");
      return this;
    }

    /** Sets the stride {@code (sH, sW)}; default (1, 1). */
    public Builder optStride(Shape stride) {
      this.stride = pair(stride, "stride");
      return this;
    }

    /** Sets the padding {@code (pH, pW)} cropped from each side of the output; default (0, 0). */
    public Builder optPadding(Shape padding) {
      this.padding = pair(padding, "padding");
      return this;
    }

    /** Sets the extra rows/columns added at the bottom/right of the output; default (0, 0). */
    public Builder optOutputPadding(Shape outputPadding) {
      this.outputPadding = pair(outputPadding, "outputPadding");
      return this;
    }

    /** Sets the kernel dilation {@code (dH, dW)}; default (1, 1). */
    public Builder optDilation(Shape dilation) {
      this.dilation = pair(dilation, "dilation");
      return this;
    }

    /** Sets whether the block has a bias; default true. */
    public Builder optBias(boolean includeBias) {
      this.includeBias = includeBias;
      return this;
    }

    /** Sets the arithmetic's number format; default FP32, see {@link MixedPrecision}. */
    public Builder optPrecision(Precision precision) {
      this.precision = precision;
      return this;
    }

    /** Sets how inputs larger than 1&times;1 are computed; default {@link ConvKernel#DEFAULT}. */
    public Builder optKernel(ConvKernel kernel) {
      this.kernelChoice = kernel;
      return this;
    }

    /** Validates the configuration like PyTorch does and builds the block. */
    public ConvTranspose2d build() {
      if (filters < 1) {
        throw new IllegalArgumentException("filters must be set and >= 1, was " + filters);
      }
      if (kernel == null) {
        throw new IllegalArgumentException("kernelShape must be set");
      }
      ConvTransposeOps.validate(kernel, stride, padding, outputPadding, dilation);
      return new ConvTranspose2d(this);
    }

    private static int[] pair(Shape shape, String name) {
      if (shape == null || shape.dimension() != 2) {
        throw new IllegalArgumentException(name + " must have 2 dimensions (h, w), was " + shape);
      }
      return new int[] {Math.toIntExact(shape.get(0)), Math.toIntExact(shape.get(1))};
    }
  }
}
