package org.convmirror.mirror;

import java.util.ArrayList;
import java.util.List;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvArithmetic;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.Pair;

/**
 * Derives a generator from a discriminator, or a decoder from an encoder, as its exact mirror:
 * blocks reversed, channels swapped, kernel/stride/padding/dilation reused, every output_padding
 * computed so each transposed block restores exactly the size its conv block consumed. Max-pools
 * are undone by nearest upsampling to the exact pre-pool size (folding a pool into the stride
 * cannot restore every size), dense heads by dense blocks and a reshape.
 *
 * <p>GAN: the discriminator's last layer is its head, so the latent takes the head's place — as a
 * {@code latent×1×1} map when the last feature map is 1×1, else through a dense projection to that
 * map. VAE: the encoder's output feeds the mean/log-variance heads, so the decoder starts with a
 * dense projection from the latent back to the encoder's output.
 */
public final class Mirror {
  private Mirror() {}

  /**
   * The derived half of a model file. In a conditional model it starts from the latent joined with
   * the label embedding ({@link ModelSpec#derivedInput()}): the label widens the first layer's
   * input and changes nothing after it, so the mirror stays exact.
   */
  public static DeconvNet of(ModelSpec spec) {
    return spec.kind() == ModelKind.GAN
        ? generatorOf(spec.declared(), spec.derivedInput(), spec.mirror())
        : decoderOf(spec.declared(), spec.derivedInput(), spec.mirror());
  }

  /** The generator mirroring {@code discriminator}; the latent replaces its head. */
  public static DeconvNet generatorOf(ConvNet discriminator, int latent, MirrorOptions options) {
    ImageShape map = discriminator.featureMap();
    List<DenseBlock> head = discriminator.dense();
    List<Integer> widths = new ArrayList<>();
    // The dense head F → u0 → … → u(m−1) runs backwards from the latent, which stands in for
    // the head's last layer: latent → u(m−2) → … → u0 → F.
    for (int j = head.size() - 2; j >= 0; j--) widths.add(head.get(j).units());
    boolean latentAsMap = head.isEmpty() && map.isPoint();
    if (!latentAsMap) widths.add(map.size());
    return build(discriminator, latent, options, widths, latentAsMap);
  }

  /** The decoder mirroring {@code encoder}, starting from a projection of the latent. */
  public static DeconvNet decoderOf(ConvNet encoder, int latent, MirrorOptions options) {
    List<Integer> widths = new ArrayList<>();
    for (int j = encoder.dense().size() - 1; j >= 0; j--)
      widths.add(encoder.dense().get(j).units());
    widths.add(encoder.featureMap().size());
    return build(encoder, latent, options, widths, false);
  }

  private static DeconvNet build(
      ConvNet net, int latent, MirrorOptions o, List<Integer> widths, boolean latentAsMap) {
    List<DenseBlock> dense = new ArrayList<>();
    for (int units : widths) {
      dense.add(
          new DenseBlock(
              units,
              o.bias() && !o.batchNorm(),
              o.batchNorm(),
              o.spectralNorm(),
              o.hiddenActivation(),
              o.dropout()));
    }
    List<ConvNet.Stage> stages = net.stages();
    List<DeconvBlock> deconv = new ArrayList<>();
    for (int i = stages.size() - 1; i >= 0; i--) {
      deconv.add(
          mirrorOf(
              net.conv().get(i),
              stages.get(i),
              i == 0,
              o,
              latentAsMap && i == stages.size() - 1 ? latent : -1));
    }
    return new DeconvNet(latent, dense, dense.isEmpty() ? null : net.featureMap(), deconv);
  }

  /** The transposed block that takes {@code stage.out} back to {@code stage.in}. */
  private static DeconvBlock mirrorOf(
      ConvBlock b, ConvNet.Stage stage, boolean last, MirrorOptions o, int latentChannels) {
    ImageShape target = stage.in();
    ImageShape convOut = stage.conv();
    Pair outputPadding =
        Pair.of(
            ConvArithmetic.outputPadding(
                target.height(),
                b.kernel().height(),
                b.stride().height(),
                b.padding().height(),
                b.dilation().height()),
            ConvArithmetic.outputPadding(
                target.width(),
                b.kernel().width(),
                b.stride().width(),
                b.padding().width(),
                b.dilation().width()));
    boolean batchNorm = !last && o.batchNorm();
    Activation activation = last ? o.outputActivation() : o.hiddenActivation();
    return new DeconvBlock(
        latentChannels > 0 ? latentChannels : b.filters(),
        target.channels(),
        b.kernel(),
        b.stride(),
        b.padding(),
        outputPadding,
        b.dilation(),
        o.bias() && !batchNorm,
        batchNorm,
        !last && o.spectralNorm(),
        activation,
        b.maxPool() == null ? null : Pair.of(convOut.height(), convOut.width()),
        last ? 0 : o.dropout());
  }
}
