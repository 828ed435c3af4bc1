package org.convmirror.spec;

/**
 * One block of the derived half: [nearest upsample to an exact size] → transposed conv → [batch
 * norm] → activation → [dropout]. The upsample undoes a max-pool of the mirrored block.
 */
public record DeconvBlock(
    int inChannels,
    int outChannels,
    Pair kernel,
    Pair stride,
    Pair padding,
    Pair outputPadding,
    Pair dilation,
    boolean bias,
    boolean batchNorm,
    boolean spectralNorm,
    Activation activation,
    Pair upsample,
    double dropout) {

  public DeconvBlock {
    SpecException.check(inChannels >= 1, "in_channels", "must be ≥ 1, was " + inChannels);
    SpecException.check(outChannels >= 1, "out_channels", "must be ≥ 1, was " + outChannels);
    SpecException.check(
        kernel.height() >= 1 && kernel.width() >= 1, "kernel", "must be ≥ 1, was " + kernel);
    SpecException.check(
        stride.height() >= 1 && stride.width() >= 1, "stride", "must be ≥ 1, was " + stride);
    SpecException.check(
        dilation.height() >= 1 && dilation.width() >= 1,
        "dilation",
        "must be ≥ 1, was " + dilation);
    ConvArithmetic.checkBounded("kernel", kernel);
    ConvArithmetic.checkBounded("stride", stride);
    ConvArithmetic.checkBounded("dilation", dilation);
    // PyTorch's rule: output_padding must be smaller than either stride or dilation.
    SpecException.check(
        outputPadding.height() < Math.max(stride.height(), dilation.height())
            && outputPadding.width() < Math.max(stride.width(), dilation.width()),
        "output_padding",
        "must be smaller than stride or dilation on each axis, was "
            + outputPadding
            + " with stride "
            + stride
            + " and dilation "
            + dilation
            + "; change the stride or padding of the mirrored convolution");
    SpecException.check(activation != null, "activation", "must be given");
    SpecException.check(
        upsample == null || (upsample.height() >= 1 && upsample.width() >= 1),
        "upsample",
        "must be ≥ 1, was " + upsample);
    SpecException.check(
        dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), was " + dropout);
  }

  /** The feature map this block produces from {@code in}. */
  public ImageShape outputFor(ImageShape in) {
    int h = upsample == null ? in.height() : upsample.height();
    int w = upsample == null ? in.width() : upsample.width();
    return new ImageShape(
        outChannels,
        ConvArithmetic.convTransposeOut(
            h,
            kernel.height(),
            stride.height(),
            padding.height(),
            outputPadding.height(),
            dilation.height()),
        ConvArithmetic.convTransposeOut(
            w,
            kernel.width(),
            stride.width(),
            padding.width(),
            outputPadding.width(),
            dilation.width()));
  }
}
