package org.convmirror.internal.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import org.convmirror.options.Precision;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Pair;

/**
 * Turns specs into DJL blocks, in the order the specs name: conv → [batch norm] → activation →
 * [max-pool] → [dropout]; [upsample] → transposed conv → [batch norm] → activation. Blocks come
 * back uninitialized, with the DCGAN initializers set (Radford et al. 2015).
 */
public final class Networks {
  /** Every batch norm's epsilon (PyTorch's default); DJL's block does not expose its own. */
  public static final float BATCH_NORM_EPSILON = 1e-5f;

  private Networks() {}

  /** The declared half; its output is flattened to {@code (N, outputSize)}. */
  public static SequentialBlock of(ConvNet net) {
    return of(net, Precision.FP32);
  }

  /** As above, its convolutions computed in {@code precision} (see {@link MixedPrecision}). */
  public static SequentialBlock of(ConvNet net, Precision precision) {
    SequentialBlock seq = new SequentialBlock();
    for (ConvBlock b : net.conv()) {
      seq.add(b.spectralNorm() ? snConv(b) : conv(b, precision));
      if (b.batchNorm()) seq.add(batchNorm());
      addActivation(seq, b.activation());
      if (b.maxPool() != null) {
        seq.add(Pool.maxPool2dBlock(shape(b.maxPool().kernel()), shape(b.maxPool().stride())));
      }
      if (b.dropout() > 0) seq.add(Dropout.builder().optRate((float) b.dropout()).build());
    }
    seq.add(Blocks.batchFlattenBlock());
    for (DenseBlock d : net.dense()) addDense(seq, d);
    Init.setDcganInitializers(seq);
    return seq;
  }

  /**
   * The derived half; it takes {@code (N, latent)} when it starts with dense blocks, else {@code
   * (N, latent, 1, 1)}.
   */
  public static SequentialBlock of(DeconvNet net) {
    return of(net, ConvKernel.DEFAULT);
  }

  /** As above, its transposed convolutions computed by {@code kernel}. */
  public static SequentialBlock of(DeconvNet net, ConvKernel kernel) {
    return of(net, kernel, Precision.FP32);
  }

  /** As above, its transposed convolutions computed in {@code precision}. */
  public static SequentialBlock of(DeconvNet net, ConvKernel kernel, Precision precision) {
    SequentialBlock seq = new SequentialBlock();
    for (DenseBlock d : net.dense()) addDense(seq, d);
    if (net.reshape() != null) {
      ImageShape r = net.reshape();
      seq.add(Reshape.toImage(r.channels(), r.height(), r.width()));
    }
    for (DeconvBlock b : net.deconv()) {
      if (b.upsample() != null)
        seq.add(NearestUpsample.to(b.upsample().height(), b.upsample().width()));
      Block deconv =
          ConvTranspose2d.builder()
              .setFilters(b.outChannels())
              .setKernelShape(shape(b.kernel()))
              .optStride(shape(b.stride()))
              .optPadding(shape(b.padding()))
              .optOutputPadding(shape(b.outputPadding()))
              .optDilation(shape(b.dilation()))
              .optBias(b.bias())
              .optKernel(kernel)
              .optPrecision(precision)
              .build();
      if (b.spectralNorm()) {
        throw new IllegalArgumentException(
            "spectral norm on transposed convolutions is not supported;"
                + " set spectral_norm: false under generator/decoder (it belongs on the discriminator)");
      }
      seq.add(deconv);
      if (b.batchNorm()) seq.add(batchNorm());
      addActivation(seq, b.activation());
      if (b.dropout() > 0) seq.add(Dropout.builder().optRate((float) b.dropout()).build());
    }
    Init.setDcganInitializers(seq);
    return seq;
  }

  /**
   * Marks every trainable parameter's array as needing gradients again; arrays loaded from a
   * checkpoint replace the initialized ones and come without that flag.
   */
  public static void enableGradients(Block block) {
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient()) p.getArray().setRequiresGradient(true);
    }
  }

  /** The input shape of the derived half for a batch of {@code n} latent vectors. */
  public static Shape latentShape(DeconvNet net, long n) {
    return net.dense().isEmpty() ? new Shape(n, net.latent(), 1, 1) : new Shape(n, net.latent());
  }

  /** The input shape of the declared half for a batch of {@code n} images. */
  public static Shape imageShape(ImageShape image, long n) {
    return new Shape(n, image.channels(), image.height(), image.width());
  }

  private static void addDense(SequentialBlock seq, DenseBlock d) {
    seq.add(
        d.spectralNorm()
            ? SnLinear.builder().setUnits(d.units()).optBias(d.bias()).build()
            : Linear.builder().setUnits(d.units()).optBias(d.bias()).build());
    if (d.batchNorm()) seq.add(batchNorm());
    addActivation(seq, d.activation());
    if (d.dropout() > 0) seq.add(Dropout.builder().optRate((float) d.dropout()).build());
  }

  /** PyTorch's defaults: momentum 0.1 there is DJL's 0.9 (DJL weighs the running value). */
  private static Block batchNorm() {
    return BatchNorm.builder().optMomentum(0.9f).optEpsilon(BATCH_NORM_EPSILON).build();
  }

  private static void addActivation(SequentialBlock seq, Activation a) {
    switch (a.kind()) {
      case NONE -> {}
      case RELU -> seq.add(ai.djl.nn.Activation.reluBlock());
      case LEAKY_RELU -> seq.add(ai.djl.nn.Activation.leakyReluBlock((float) a.slope()));
      case ELU -> seq.add(ai.djl.nn.Activation.eluBlock(1f));
      case GELU -> seq.add(ai.djl.nn.Activation.geluBlock());
      case TANH -> seq.add(ai.djl.nn.Activation.tanhBlock());
      case SIGMOID -> seq.add(ai.djl.nn.Activation.sigmoidBlock());
    }
  }

  private static Block conv(ConvBlock b, Precision precision) {
    Conv2d.Builder conv =
        Conv2d.builder()
            .setFilters(b.filters())
            .setKernelShape(shape(b.kernel()))
            .optStride(shape(b.stride()))
            .optPadding(shape(b.padding()))
            .optDilation(shape(b.dilation()))
            .optBias(b.bias());
    // DJL's own block where it is float32, so that such networks stay exactly what they were.
    return precision == Precision.FP32 ? conv.build() : new MixedConv2d(conv, precision);
  }

  private static Block snConv(ConvBlock b) {
    return SnConv2d.builder()
        .setFilters(b.filters())
        .setKernelShape(shape(b.kernel()))
        .optStride(shape(b.stride()))
        .optPadding(shape(b.padding()))
        .optDilation(shape(b.dilation()))
        .optBias(b.bias())
        .build();
  }

  static Shape shape(Pair p) {
    return new Shape(p.height(), p.width());
  }
}
