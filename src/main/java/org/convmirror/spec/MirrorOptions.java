package org.convmirror.spec;

/**
 * How the derived half is dressed: the DCGAN rules by default (Radford et al. 2015) — ReLU and
 * batch norm on every block but the last, whose activation is the output's.
 *
 * @param hiddenActivation activation of every derived block but the last
 * @param outputActivation activation of the last block: tanh for a GAN (pixels in [-1, 1]), sigmoid
 *     for a Bernoulli VAE
 * @param batchNorm batch norm on every block but the last
 * @param bias a bias on every derived block that no batch norm follows (the batch norm would cancel
 *     it), as a conv block's default; false: no bias anywhere, as in pytorch/examples' DCGAN
 *     generator
 * @param spectralNorm spectral norm on the derived half too (off: it belongs to the critic)
 * @param dropout dropout on the derived half's hidden blocks (off: it is a discriminator tool)
 */
public record MirrorOptions(
    Activation hiddenActivation,
    Activation outputActivation,
    boolean batchNorm,
    boolean bias,
    boolean spectralNorm,
    double dropout) {

  public MirrorOptions {
    SpecException.check(hiddenActivation != null, "hidden_activation", "must be given");
    SpecException.check(outputActivation != null, "output_activation", "must be given");
    SpecException.check(
        dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), was " + dropout);
    SpecException.check(
        !spectralNorm,
        "spectral_norm",
        "spectral norm on the derived half's transposed convolutions is not supported; it"
            + " belongs on the discriminator (set spectral_norm on its conv blocks)");
  }

  /** The DCGAN generator: ReLU, batch norm, tanh output. */
  public static MirrorOptions gan() {
    return new MirrorOptions(Activation.RELU, Activation.TANH, true, true, false, 0);
  }

  /** A VAE decoder: as the DCGAN generator, but with the output activation of the likelihood. */
  public static MirrorOptions vae(Likelihood likelihood) {
    Activation out = likelihood == Likelihood.BERNOULLI ? Activation.SIGMOID : Activation.NONE;
    return new MirrorOptions(Activation.RELU, out, true, true, false, 0);
  }

  public static MirrorOptions defaults(ModelKind kind) {
    return kind == ModelKind.GAN ? gan() : vae(Likelihood.BERNOULLI);
  }
}
