package org.convmirror.spec;

/**
 * A whole model as a file declares it: the image, the latent size, the declared convolutional half
 * and how to dress its mirror. The derived half comes from {@code Mirror.of(spec)}.
 *
 * @param likelihood the VAE decoder's observation model; {@code null} for a GAN
 * @param conditioning the class conditioning of both networks; {@code null} for an unconditional
 *     model
 */
public record ModelSpec(
    ModelKind kind,
    ImageShape image,
    int latent,
    ConvNet declared,
    MirrorOptions mirror,
    Likelihood likelihood,
    Conditioning conditioning) {

  public ModelSpec {
    SpecException.check(kind != null, "kind", "must be given");
    SpecException.check(latent >= 1, "latent", "must be ≥ 1, was " + latent);
    SpecException.check(declared != null, kind.declaredName(), "must be given");
    SpecException.check(
        declared.input().equals(image),
        kind.declaredName(),
        "input " + declared.input() + " differs from the image " + image);
    if (kind == ModelKind.VAE && likelihood == null) likelihood = Likelihood.BERNOULLI;
    // The decoder's output activation follows the likelihood: sigmoid only for Bernoulli means.
    if (mirror == null)
      mirror = kind == ModelKind.GAN ? MirrorOptions.gan() : MirrorOptions.vae(likelihood);
    if (kind == ModelKind.GAN) {
      SpecException.check(likelihood == null, "likelihood", "applies to a VAE decoder only");
    }
    if (conditioning != null && conditioning.batchNorm()) {
      SpecException.check(
          mirror.batchNorm(),
          "conditional.batch_norm",
          "conditional batch norm needs batch norm in the "
              + kind.derivedName()
              + "; set "
              + kind.derivedName()
              + ".batch_norm: true or conditional.batch_norm: false");
    }
  }

  /** An unconditional model. */
  public ModelSpec(
      ModelKind kind,
      ImageShape image,
      int latent,
      ConvNet declared,
      MirrorOptions mirror,
      Likelihood likelihood) {
    this(kind, image, latent, declared, mirror, likelihood, null);
  }

  /** Whether a label enters both networks. */
  public boolean isConditional() {
    return conditioning != null;
  }

  /** The same model conditioned by {@code c} ({@code null}: unconditional). */
  public ModelSpec withConditioning(Conditioning c) {
    return new ModelSpec(kind, image, latent, declared, mirror, likelihood, c);
  }

  /**
   * The width of the vector the derived half starts from: the latent, joined with the label
   * embedding in a conditional model.
   */
  public int derivedInput() {
    return latent + (conditioning == null ? 0 : conditioning.embedding());
  }

  /** A GAN with the DCGAN generator rules. */
  public static ModelSpec gan(ConvNet discriminator, int latent) {
    return new ModelSpec(ModelKind.GAN, discriminator.input(), latent, discriminator, null, null);
  }

  /** A Bernoulli VAE with the default decoder rules. */
  public static ModelSpec vae(ConvNet encoder, int latent) {
    return vae(encoder, latent, Likelihood.BERNOULLI);
  }

  /** A VAE with the default decoder rules for {@code likelihood}. */
  public static ModelSpec vae(ConvNet encoder, int latent, Likelihood likelihood) {
    return new ModelSpec(ModelKind.VAE, encoder.input(), latent, encoder, null, likelihood);
  }
}
