package org.convmirror.spec;

/**
 * One block of the declared convolutional half: conv → [spectral norm] → [batch norm] → activation
 * → [max-pool] → [dropout]. Its input channels are those of the previous block.
 */
public record ConvBlock(
    int filters,
    Pair kernel,
    Pair stride,
    Pair padding,
    Pair dilation,
    boolean bias,
    boolean batchNorm,
    boolean spectralNorm,
    Activation activation,
    MaxPool maxPool,
    double dropout) {

  public ConvBlock {
    SpecException.check(filters >= 1, "filters", "must be ≥ 1, was " + filters);
    SpecException.check(kernel != null, "kernel", "must be given");
    SpecException.check(
        kernel.height() >= 1 && kernel.width() >= 1, "kernel", "must be ≥ 1, was " + kernel);
    SpecException.check(
        stride.height() >= 1 && stride.width() >= 1, "stride", "must be ≥ 1, was " + stride);
    SpecException.check(padding != null, "padding", "must be given");
    SpecException.check(
        padding.height() >= 0 && padding.width() >= 0, "padding", "must be ≥ 0, was " + padding);
    SpecException.check(
        dilation.height() >= 1 && dilation.width() >= 1,
        "dilation",
        "must be ≥ 1, was " + dilation);
    ConvArithmetic.checkBounded("kernel", kernel);
    ConvArithmetic.checkBounded("stride", stride);
    ConvArithmetic.checkBounded("dilation", dilation);
    ConvArithmetic.checkBounded("padding", padding);
    SpecException.check(activation != null, "activation", "must be given");
    SpecException.check(
        dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), was " + dropout);
  }

  /** A builder with the defaults of a model file: stride 1, padding 0, leaky ReLU(0.2). */
  public static Builder builder(int filters, int kernel) {
    return new Builder(filters, Pair.of(kernel));
  }

  public static Builder builder(int filters, Pair kernel) {
    return new Builder(filters, kernel);
  }

  /** A builder that starts from this block. */
  public Builder toBuilder() {
    return new Builder(filters, kernel)
        .stride(stride)
        .padding(padding)
        .dilation(dilation)
        .bias(bias)
        .batchNorm(batchNorm)
        .spectralNorm(spectralNorm)
        .activation(activation)
        .maxPool(maxPool)
        .dropout(dropout);
  }

  /** Fluent construction; bias defaults to off when batch norm follows (it would be cancelled). */
  public static final class Builder {
    private final int filters;
    private final Pair kernel;
    private Pair stride = Pair.of(1);
    private Pair padding = Pair.of(0);
    private Pair dilation = Pair.of(1);
    private Boolean bias;
    private boolean batchNorm;
    private boolean spectralNorm;
    private Activation activation = Activation.LEAKY_RELU;
    private MaxPool maxPool;
    private double dropout;

    private Builder(int filters, Pair kernel) {
      this.filters = filters;
      this.kernel = kernel;
    }

    public Builder stride(int s) {
      return stride(pair("stride", s));
    }

    public Builder stride(Pair s) {
      stride = s;
      return this;
    }

    public Builder padding(int p) {
      return padding(pair("padding", p));
    }

    public Builder padding(Pair p) {
      padding = p;
      return this;
    }

    public Builder dilation(int d) {
      return dilation(pair("dilation", d));
    }

    public Builder dilation(Pair d) {
      dilation = d;
      return this;
    }

    public Builder bias(boolean b) {
      bias = b;
      return this;
    }

    public Builder batchNorm(boolean b) {
      batchNorm = b;
      return this;
    }

    public Builder spectralNorm(boolean b) {
      spectralNorm = b;
      return this;
    }

    public Builder activation(Activation a) {
      activation = a;
      return this;
    }

    public Builder maxPool(MaxPool p) {
      maxPool = p;
      return this;
    }

    public Builder dropout(double d) {
      dropout = d;
      return this;
    }

    /** A square pair whose error, if any, names {@code field}. */
    private static Pair pair(String field, int both) {
      try {
        return Pair.of(both);
      } catch (SpecException e) {
        throw e.under(field);
      }
    }

    public ConvBlock build() {
      return new ConvBlock(
          filters,
          kernel,
          stride,
          padding,
          dilation,
          bias != null ? bias : !batchNorm,
          batchNorm,
          spectralNorm,
          activation,
          maxPool,
          dropout);
    }
  }
}
