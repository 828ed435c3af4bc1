package org.convmirror.cli;

import org.convmirror.gan.GanLoss;
import org.convmirror.gan.GanOptions;
import picocli.CommandLine.Option;

/** The GAN's flags of {@code train}, mapped onto {@link GanOptions}; absent flags keep defaults. */
final class GanFlags {
  @Option(names = "--loss", description = "GAN: bce, lsgan, hinge, wasserstein. Default: bce.")
  String loss;

  @Option(names = "--d-steps", description = "GAN: D updates per G update. Default: 1.")
  Integer dSteps;

  @Option(names = "--real-label", description = "GAN: target for real images. Default: 1.0.")
  Float realLabel;

  @Option(names = "--clip", description = "GAN: weight bound, --loss wasserstein. Default: 0.01.")
  Float clip;

  GanOptions options(AdamFlags adam) {
    GanOptions o = GanOptions.dcgan().withAdam(adam::applyTo);
    if (loss != null) o = o.withLoss(GanLoss.of(loss));
    if (dSteps != null) o = o.withDiscriminatorSteps(dSteps);
    if (realLabel != null) o = o.withRealLabel(realLabel);
    if (clip != null) o = o.withClip(clip);
    return o;
  }
}
