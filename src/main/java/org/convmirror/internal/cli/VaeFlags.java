package org.convmirror.internal.cli;

import org.convmirror.options.VaeOptions;
import picocli.CommandLine.Option;

/**
 * The VAE's own flags of {@code train}, mapped with the shared Adam flags onto {@link VaeOptions};
 * absent flags keep defaults.
 */
final class VaeFlags {
  @Option(
      names = "--kl-weight",
      description = "VAE: β, the KL term's weight. Default: " + VaeOptions.KL_WEIGHT + ".")
  Float klWeight;

  @Option(
      names = "--kl-warmup",
      paramLabel = "EPOCHS",
      description =
          "VAE: epochs over which β ramps up from 0. Default: " + VaeOptions.KL_WARMUP_EPOCHS + ".")
  Integer klWarmup;

  VaeOptions options(AdamFlags adam) {
    VaeOptions.Builder o = VaeOptions.builder().adam(adam.applyTo(VaeOptions.ADAM));
    if (klWeight != null) o.klWeight(klWeight);
    if (klWarmup != null) o.klWarmupEpochs(klWarmup);
    return o.build();
  }
}
