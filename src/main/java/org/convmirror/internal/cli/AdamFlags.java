package org.convmirror.internal.cli;

import org.convmirror.internal.train.AdamOptions;
import picocli.CommandLine.Option;

/** Adam's flags of {@code train}, applied over the defaults of the model's kind. */
final class AdamFlags {
  @Option(names = "--lr", description = "Adam's learning rate. Default: 2e-4 GAN, 1e-3 VAE.")
  Float lr;

  @Option(names = "--beta1", description = "Adam's β1. Default: 0.5 GAN, 0.9 VAE.")
  Float beta1;

  @Option(names = "--beta2", description = "Adam's β2. Default: 0.999.")
  Float beta2;

  AdamOptions applyTo(AdamOptions a) {
    if (lr != null) a = a.withLearningRate(lr);
    if (beta1 != null) a = a.withBeta1(beta1);
    if (beta2 != null) a = a.withBeta2(beta2);
    return a;
  }
}
