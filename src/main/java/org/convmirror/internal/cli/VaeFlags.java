package org.convmirror.internal.cli;

import org.convmirror.internal.vae.VaeOptions;
import picocli.CommandLine.Option;

/**
 * The VAE's own flags of {@code train}, mapped with the shared Adam flags onto {@link VaeOptions};
 * absent flags keep defaults.
 */
final class VaeFlags {
  @Option(names = "--kl-weight", description = "VAE: β, the KL term's weight. Default: 1.")
  Float klWeight;

  @Option(
      names = "--kl-warmup",
      paramLabel = "EPOCHS",
      description = "VAE: epochs over which β ramps up from 0. Default: 0.")
  Integer klWarmup;

  VaeOptions options(AdamFlags adam) {
    VaeOptions o = VaeOptions.defaults();
    o = o.withAdam(adam.applyTo(o.adam()));
    if (klWeight != null) o = o.withKlWeight(klWeight);
    if (klWarmup != null) o = o.withKlWarmupEpochs(klWarmup);
    return o;
  }
}
