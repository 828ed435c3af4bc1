package org.convmirror.spec;

/** Which generative model a file declares: a GAN (discriminator) or a VAE (encoder). */
public enum ModelKind {
  GAN("discriminator", "generator"),
  VAE("encoder", "decoder");

  private final String declaredName;
  private final String derivedName;

  ModelKind(String declaredName, String derivedName) {
    this.declaredName = declaredName;
    this.derivedName = derivedName;
  }

  /** The name of the declared convolutional half: {@code discriminator} or {@code encoder}. */
  public String declaredName() {
    return declaredName;
  }

  /** The name of the mirrored half: {@code generator} or {@code decoder}. */
  public String derivedName() {
    return derivedName;
  }
}
