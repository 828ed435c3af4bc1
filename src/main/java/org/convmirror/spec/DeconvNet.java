package org.convmirror.spec;

import java.util.List;

/**
 * The derived half — a GAN generator or a VAE decoder: from a latent vector, optional dense blocks
 * reshaped to a feature map, then transposed-convolution blocks up to the image. Without dense
 * blocks the latent enters the first transposed conv as a {@code latent×1×1} map.
 */
public record DeconvNet(
    int latent, List<DenseBlock> dense, ImageShape reshape, List<DeconvBlock> deconv) {

  public DeconvNet {
    SpecException.check(latent >= 1, "latent", "must be ≥ 1, was " + latent);
    dense = dense == null ? List.of() : List.copyOf(dense);
    deconv = List.copyOf(deconv);
    SpecException.check(!deconv.isEmpty(), "deconv", "needs at least one transposed-conv block");
    if (dense.isEmpty()) {
      SpecException.check(reshape == null, "reshape", "needs dense blocks before it");
    } else {
      SpecException.check(reshape != null, "reshape", "must follow the dense blocks");
      int units = dense.get(dense.size() - 1).units();
      SpecException.check(
          units == reshape.size(),
          "reshape",
          reshape + " needs " + reshape.size() + " values, the last dense block gives " + units);
    }
    ImageShape in = reshape != null ? reshape : new ImageShape(latent, 1, 1);
    for (int i = 0; i < deconv.size(); i++) {
      DeconvBlock b = deconv.get(i);
      SpecException.check(
          b.inChannels() == in.channels(),
          "deconv[" + i + "].in_channels",
          "must equal the " + in.channels() + " channels it receives, was " + b.inChannels());
      ImageShape out = b.outputFor(in);
      SpecException.check(
          out.height() >= 1 && out.width() >= 1,
          "deconv[" + i + "]",
          "produces an empty " + out.height() + "x" + out.width() + " map; reduce its padding");
      in = out;
    }
  }

  /** The shape of the first transposed conv's input: the reshape target or latent×1×1. */
  public ImageShape deconvInput() {
    return reshape != null ? reshape : new ImageShape(latent, 1, 1);
  }

  /** The image this network produces. */
  public ImageShape output() {
    ImageShape s = deconvInput();
    for (DeconvBlock b : deconv) s = b.outputFor(s);
    return s;
  }
}
