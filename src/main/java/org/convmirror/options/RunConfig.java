package org.convmirror.options;

import org.convmirror.error.UsageException;
import org.convmirror.spec.ModelKind;

/**
 * The resolved configuration of a training run as {@code run.json} records it: what every run
 * shares, and the options of its objective — {@code gan} for a GAN, {@code vae} for a VAE, the
 * other one null. Make one with {@link #gan} or {@link #vae}; change one with {@link #toBuilder}.
 */
public record RunConfig(String kind, TrainConfig train, GanOptions gan, VaeOptions vae) {

  public RunConfig {
    if (train == null) throw new UsageException("run configuration without 'train' settings");
    if ("gan".equals(kind) == (gan == null) || "vae".equals(kind) == (vae == null)) {
      throw new UsageException(
          "a run configuration needs kind gan with gan options or kind vae with vae options, was "
              + kind);
    }
  }

  /** A GAN run. */
  public static RunConfig gan(TrainConfig train, GanOptions options) {
    return new Builder(train).gan(options).build();
  }

  /** A VAE run. */
  public static RunConfig vae(TrainConfig train, VaeOptions options) {
    return new Builder(train).vae(options).build();
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(train);
    return gan != null ? b.gan(gan) : b.vae(vae);
  }

  /** Whether this is a GAN ({@code gan}) or a VAE run. */
  public ModelKind modelKind() {
    return "gan".equals(kind) ? ModelKind.GAN : ModelKind.VAE;
  }

  /** Builds a {@link RunConfig}: the shared settings and one objective's options. */
  public static final class Builder {
    private TrainConfig train;
    private GanOptions gan;
    private VaeOptions vae;

    private Builder(TrainConfig train) {
      this.train = train;
    }

    public Builder train(TrainConfig t) {
      this.train = t;
      return this;
    }

    /** A GAN's options (and no VAE's). */
    public Builder gan(GanOptions options) {
      this.gan = options;
      this.vae = null;
      return this;
    }

    /** A VAE's options (and no GAN's). */
    public Builder vae(VaeOptions options) {
      this.vae = options;
      this.gan = null;
      return this;
    }

    public RunConfig build() {
      return new RunConfig(gan != null ? "gan" : "vae", train, gan, vae);
    }
  }
}
