package org.convmirror.internal.cli;

import org.convmirror.error.UsageException;
import org.convmirror.options.AdamOptions;
import org.convmirror.options.Average;
import org.convmirror.options.GanLoss;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.Penalty;
import picocli.CommandLine.Option;

/**
 * The GAN's flags of {@code train}, mapped onto {@link GanOptions} over the preset's (or the
 * default) options; absent flags keep them.
 */
final class GanFlags {
  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description =
          "GAN recipe: dcgan (the default), classic, sngan, wgan-gp; flags given override it.")
  String preset;

  @Option(
      names = "--loss",
      description = "GAN: bce, lsgan, hinge, wasserstein. Default: " + GanOptions.LOSS_ID + ".")
  String loss;

  @Option(names = "--lr-g", description = "GAN: the generator's learning rate (overrides --lr).")
  Float lrG;

  @Option(names = "--lr-d", description = "GAN: the discriminator's learning rate.")
  Float lrD;

  @Option(
      names = "--d-steps",
      description = "GAN: D updates per G update. Default: " + GanOptions.DISCRIMINATOR_STEPS + ".")
  Integer dSteps;

  @Option(
      names = "--g-steps",
      description =
          "GAN: G updates per iteration, each further one on fresh latents. Default: "
              + GanOptions.GENERATOR_STEPS
              + ".")
  Integer gSteps;

  @Option(
      names = "--g-steps-from",
      paramLabel = "IMAGES",
      description =
          "GAN: images seen before --g-steps applies (one G update until then). Default: "
              + GanOptions.GENERATOR_STEPS_FROM
              + ".")
  Long gStepsFrom;

  @Option(
      names = "--real-label",
      description = "GAN: target for real images. Default: " + GanOptions.REAL_LABEL + ".")
  Float realLabel;

  @Option(
      names = "--clip",
      description = "GAN: weight bound, --loss wasserstein. Default: " + GanOptions.CLIP + ".")
  Float clip;

  @Option(names = "--penalty", description = "GAN: none, wgan-gp, r1. Default: none.")
  String penalty;

  @Option(
      names = "--penalty-weight",
      description = "GAN: λ of wgan-gp, γ of r1. Default: " + Penalty.WEIGHT + ".")
  Float penaltyWeight;

  @Option(
      names = "--penalty-every",
      paramLabel = "K",
      description =
          "GAN: penalise every K-th D step, scaled by K (lazy R1). Default: " + Penalty.EVERY + ".")
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
      description =
          "GAN: the weight average's half-life in images (0: off). Default: "
              + Average.HALF_LIFE_IMAGES
              + ".")
  Double emaHalfLife;

  @Option(
      names = "--ema-ramp",
      description =
          "GAN: half-life at most this fraction of the images seen. Default: "
              + GanOptions.RAMP_UP
              + ".")
  Double emaRamp;

  /** The preset {@code --preset} names, or null. */
  GanPreset preset() {
    return preset == null ? null : GanPreset.of(preset);
  }

  /** {@code base} (a preset's or the default options) with the flags given. */
  GanOptions options(AdamFlags adam, GanOptions base) {
    GanOptions.Builder o = base.toBuilder();
    AdamOptions g = adam.applyTo(base.generator());
    AdamOptions d = adam.applyTo(base.discriminator());
    // The record names --lr, the flag most users give: name the flag actually given here.
    if (lrG != null) g = g.toBuilder().learningRate(positive("--lr-g", lrG)).build();
    if (lrD != null) d = d.toBuilder().learningRate(positive("--lr-d", lrD)).build();
    o.adam(g, d);
    if (loss != null) o.loss(GanLoss.of(loss));
    if (dSteps != null) o.discriminatorSteps(dSteps);
    if (gSteps != null || gStepsFrom != null) {
      // The record reads 0 as "absent" (an older run.json): refuse it here, where it is a flag.
      if (gSteps != null && gSteps < 1) {
        throw new UsageException("--g-steps must be in 1..100, was " + gSteps);
      }
      o.generatorSteps(
          gSteps != null ? gSteps : base.generatorSteps(),
          gStepsFrom != null ? gStepsFrom : base.generatorStepsFrom());
    }
    if (realLabel != null) o.realLabel(realLabel);
    if (clip != null) o.clip(clip);
    if (penalty != null || penaltyWeight != null || penaltyEvery != null) {
      Penalty p = base.penalty();
      Penalty.Kind kind = penalty != null ? Penalty.Kind.of(penalty) : p.kind();
      Penalty.Builder b = p.kind() == kind ? p.toBuilder() : Penalty.builder(kind);
      if (penaltyWeight != null) b.weight(penaltyWeight);
      // The record reads 0 as "absent" (an older run.json): refuse it here, where it is a flag.
      if (penaltyEvery != null && penaltyEvery < 1) {
        throw new UsageException("--penalty-every must be ≥ 1, was " + penaltyEvery);
      }
      if (penaltyEvery != null) b.every(penaltyEvery);
      o.penalty(b.build());
    }
    if (augment != null) o.augment(augment);
    if (emaHalfLife != null || emaRamp != null) {
      Average.Builder a = base.average().toBuilder();
      if (emaHalfLife != null) a.halfLifeImages(emaHalfLife);
      if (emaRamp != null) a.rampUp(emaRamp);
      o.average(a.build());
    }
    return o.build();
  }

  private static float positive(String flag, float lr) {
    if (!(lr > 0 && Float.isFinite(lr))) {
      throw new UsageException(flag + " must be a positive number, was " + lr);
    }
    return lr;
  }
}
