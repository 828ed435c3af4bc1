package org.convmirror.options;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.convmirror.error.UsageException;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ModelSpec;

/**
 * Named, known-good GAN recipes that set every hyper-parameter at once (explicit flags still
 * override), and the change each makes to the discriminator it is applied to.
 */
public enum GanPreset {
  /**
   * The default: DCGAN (Radford et al. 2015) — non-saturating BCE, Adam with β1 0.5 for both
   * networks, one discriminator step — tuned for quality per second: batches of 32, step 6e-4, a
   * weight average that follows the generator early, and two generator steps per iteration after
   * the first 120,000 images (see {@link GanOptions}).
   */
  DCGAN,
  /**
   * pytorch/examples' DCGAN numbers as the first releases trained them: batches of 64, Adam 2e-4,
   * and StyleGAN's average with its 5 % ramp. Kept to reproduce earlier runs and the peer's recipe.
   */
  CLASSIC,
  /**
   * SNGAN (Miyato et al. 2018): spectral norm on every discriminator layer (its batch norm
   * dropped), hinge loss, and two time-scale learning rates (Heusel et al. 2017) as SAGAN set them:
   * D 4e-4, G 1e-4, β (0, 0.9).
   */
  SNGAN,
  /**
   * WGAN-GP (Gulrajani et al. 2017): Wasserstein critic with a gradient penalty λ = 10, five critic
   * steps per generator step, Adam 1e-4 with β (0, 0.9), and no batch norm in the critic (the
   * penalty is per image; the paper used layer norm).
   */
  WGAN_GP;

  /** The name {@code --preset} takes, e.g. {@code wgan-gp}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The preset {@code --preset} names. */
  public static GanPreset of(String id) {
    for (GanPreset p : values()) if (p.id().equalsIgnoreCase(id.strip())) return p;
    throw new UsageException(
        "--preset must be one of "
            + Arrays.stream(values()).map(GanPreset::id).toList()
            + ", was '"
            + id
            + "'");
  }

  /** The preset every GAN trains with unless told otherwise. */
  public static final GanPreset DEFAULT = DCGAN;

  /**
   * {@link #DCGAN}'s batch: 32 took fewer seconds than 16 or 64 to every quality level measured
   * (docs/notes/quality.md) — more, smaller updates, without 16's per-step overhead.
   */
  public static final int DCGAN_BATCH_SIZE = 32;

  /** The recipe's images per batch. */
  public int batchSize() {
    return this == DCGAN ? DCGAN_BATCH_SIZE : TrainConfig.BATCH_SIZE; // the papers' 64 otherwise
  }

  /** The recipe's training options. */
  public GanOptions options() {
    GanOptions.Builder dcgan = GanOptions.builder();
    // The papers' recipes alternate single steps; only convmirror's default adds a second.
    GanOptions.Builder single = GanOptions.builder().generatorSteps(1);
    return switch (this) {
      case DCGAN -> dcgan.build();
      case CLASSIC ->
          single
              .adam(AdamOptions.builder(GanOptions.CLASSIC_LEARNING_RATE, GanOptions.BETA1).build())
              .average(Average.STYLEGAN)
              .build();
      case SNGAN ->
          single
              .loss(GanLoss.HINGE)
              .adam(adam(1e-4f), adam(4e-4f)) // SAGAN's two time-scales
              .build();
      case WGAN_GP ->
          single
              .loss(GanLoss.WASSERSTEIN)
              .penalty(Penalty.builder(Penalty.Kind.WGAN_GP).build())
              .discriminatorSteps(5)
              .adam(adam(1e-4f))
              .build();
    };
  }

  /** Adam with step {@code lr} and β (0, 0.9), as SNGAN, SAGAN and WGAN-GP set it. */
  private static AdamOptions adam(float lr) {
    return AdamOptions.builder(lr, 0f).beta2(0.9f).build();
  }

  /** The model the recipe trains: {@code spec} with its discriminator adapted, if it must be. */
  public ModelSpec model(ModelSpec spec) {
    return switch (this) {
      case DCGAN, CLASSIC -> spec;
      case SNGAN -> withDiscriminator(spec, true);
      case WGAN_GP -> withDiscriminator(spec, false);
    };
  }

  /** Every discriminator block without batch norm, and with spectral norm if asked. */
  private static ModelSpec withDiscriminator(ModelSpec spec, boolean spectralNorm) {
    ConvNet d = spec.declared();
    List<ConvBlock> conv =
        d.conv().stream()
            .map(
                b ->
                    b.toBuilder()
                        .bias(b.bias() || b.batchNorm()) // the bias batch norm made redundant
                        .batchNorm(false)
                        .spectralNorm(spectralNorm || b.spectralNorm())
                        .build())
            .toList();
    List<DenseBlock> dense =
        d.dense().stream()
            .map(
                b ->
                    new DenseBlock(
                        b.units(),
                        b.bias() || b.batchNorm(),
                        false,
                        spectralNorm || b.spectralNorm(),
                        b.activation(),
                        b.dropout()))
            .toList();
    return new ModelSpec(
        spec.kind(),
        spec.image(),
        spec.latent(),
        new ConvNet(d.input(), conv, dense),
        spec.mirror(),
        spec.likelihood(),
        spec.conditioning());
  }
}
