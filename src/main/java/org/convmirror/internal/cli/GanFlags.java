package org.convmirror.internal.cli;

import org.convmirror.internal.gan.Average;
import org.convmirror.internal.gan.GanLoss;
import org.convmirror.internal.gan.GanOptions;
import org.convmirror.internal.gan.GanPreset;
import org.convmirror.internal.gan.Penalty;
import picocli.CommandLine.Option;

/**
 * The GAN's flags of {@code train}, mapped onto {@link GanOptions} over the preset's (or the
 * default) options; absent flags keep them.
 */
final class GanFlags {
  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description = "GAN recipe: dcgan, sngan, wgan-gp; flags given override it.")
  String preset;

  @Option(names = "--loss", description = "GAN: bce, lsgan, hinge, wasserstein. Default: bce.")
  String loss;

  @Option(names = "--lr-g", description = "GAN: the generator's learning rate (overrides --lr).")
  Float lrG;

  @Option(names = "--lr-d", description = "GAN: the discriminator's learning rate.")
  Float lrD;

  @Option(names = "--d-steps", description = "GAN: D updates per G update. Default: 1.")
  Integer dSteps;

  @Option(names = "--real-label", description = "GAN: target for real images. Default: 1.0.")
  Float realLabel;

  @Option(names = "--clip", description = "GAN: weight bound, --loss wasserstein. Default: 0.01.")
  Float clip;

  @Option(names = "--penalty", description = "GAN: none, wgan-gp, r1. Default: none.")
  String penalty;

  @Option(
      names = "--penalty-weight",
      description = "GAN: λ of wgan-gp (default 10), γ of r1 (default 10).")
  Float penaltyWeight;

  @Option(
      names = "--penalty-every",
      paramLabel = "K",
      description = "GAN: penalise every K-th D step, scaled by K (lazy R1). Default: 1.")
  Integer penaltyEvery;

  @Option(
      names = "--augment",
      paramLabel = "POLICIES",
      description =
          "GAN: flip (random left-right flip of real images) and DiffAugment policies color,"
              + " translation, cutout, e.g. flip,translation. Default: none.")
  String augment;

  @Option(
      names = "--ema-half-life",
      paramLabel = "IMAGES",
      description = "GAN: the weight average's half-life in images (0: off). Default: 10000.")
  Double emaHalfLife;

  @Option(
      names = "--ema-ramp",
      description = "GAN: half-life at most this fraction of the images seen. Default: 0.05.")
  Double emaRamp;

  /** The preset {@code --preset} names, or null. */
  GanPreset preset() {
    return preset == null ? null : GanPreset.of(preset);
  }

  GanOptions options(AdamFlags adam, GanOptions base) {
    GanOptions o = base.withAdam(adam::applyTo);
    if (lrG != null) o = o.withAdam(o.generator().withLearningRate(lrG), o.discriminator());
    if (lrD != null) o = o.withAdam(o.generator(), o.discriminator().withLearningRate(lrD));
    if (loss != null) o = o.withLoss(GanLoss.of(loss));
    if (dSteps != null) o = o.withDiscriminatorSteps(dSteps);
    if (realLabel != null) o = o.withRealLabel(realLabel);
    if (clip != null) o = o.withClip(clip);
    if (penalty != null || penaltyWeight != null || penaltyEvery != null) {
      Penalty.Kind kind = penalty != null ? Penalty.Kind.of(penalty) : o.penalty().kind();
      float weight = penaltyWeight != null ? penaltyWeight : o.penalty().weight();
      if (weight == 0 && kind != Penalty.Kind.NONE) weight = 10;
      int every = penaltyEvery != null ? penaltyEvery : o.penalty().every();
      o =
          o.withPenalty(
              kind == Penalty.Kind.NONE ? Penalty.NONE : new Penalty(kind, weight, every));
    }
    if (augment != null) o = o.withAugment(augment);
    if (emaHalfLife != null || emaRamp != null) {
      o =
          o.withAverage(
              new Average(
                  emaHalfLife != null ? emaHalfLife : o.average().halfLifeImages(),
                  emaRamp != null ? emaRamp : o.average().rampUp()));
    }
    return o;
  }
}
