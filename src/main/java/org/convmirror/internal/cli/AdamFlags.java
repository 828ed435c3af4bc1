package org.convmirror.internal.cli;

import org.convmirror.options.AdamOptions;
import org.convmirror.options.GanOptions;
import org.convmirror.options.VaeOptions;
import picocli.CommandLine.Option;

/** Adam's flags of {@code train}, applied over the defaults of the model's kind. */
final class AdamFlags {
  @Option(
      names = "--lr",
      description =
          "Adam's learning rate. Default: "
              + GanOptions.LEARNING_RATE
              + " GAN, "
              + VaeOptions.LEARNING_RATE
              + " VAE.")
  Float lr;

  @Option(
      names = "--beta1",
      description =
          "Adam's β1. Default: " + GanOptions.BETA1 + " GAN, " + VaeOptions.BETA1 + " VAE.")
  Float beta1;

  @Option(names = "--beta2", description = "Adam's β2. Default: " + AdamOptions.BETA2 + ".")
  Float beta2;

  /** {@code a} with the flags given. */
  AdamOptions applyTo(AdamOptions a) {
    AdamOptions.Builder b = a.toBuilder();
    if (lr != null) b.learningRate(lr);
    if (beta1 != null) b.beta1(beta1);
    if (beta2 != null) b.beta2(beta2);
    return b.build();
  }
}
