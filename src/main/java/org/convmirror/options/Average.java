package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;

/**
 * The generator's weight average (Yazici et al. 2019), an exponential moving average whose
 * half-life in images ramps up with the images seen (Karras et al. 2019, StyleGAN). Make one with
 * {@link #builder()}.
 *
 * @param halfLifeImages the half-life once ramped up, in images; 0 turns averaging off (samples
 *     come from the trained generator)
 * @param rampUp the half-life is at most this fraction of the images seen so far
 */
public record Average(
    @JsonProperty("half_life_images") double halfLifeImages,
    @JsonProperty("ramp_up") double rampUp) {

  /** StyleGAN's half-life, 10k images: long enough to smooth, short enough to follow training. */
  public static final int HALF_LIFE_IMAGES = 10_000;

  /** StyleGAN's ramp: at most 5 % of the images seen, so early weights fade fast. */
  public static final double RAMP_UP = 0.05;

  /** StyleGAN's average, as above. */
  public static final Average STYLEGAN = builder().build();

  /** No averaging: the average follows the generator exactly. */
  public static final Average OFF = builder().halfLifeImages(0).rampUp(0).build();

  public Average {
    if (!(halfLifeImages >= 0 && Double.isFinite(halfLifeImages))) {
      throw new UsageException("--ema-half-life must be ≥ 0 images, was " + halfLifeImages);
    }
    if (!(rampUp >= 0 && Double.isFinite(rampUp))) {
      throw new UsageException("--ema-ramp must be ≥ 0, was " + rampUp);
    }
  }

  /** StyleGAN's average (not {@link GanOptions#AVERAGE}), to be changed. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this average. */
  public Builder toBuilder() {
    return builder().halfLifeImages(halfLifeImages).rampUp(rampUp);
  }

  /** Whether there is an average at all. */
  public boolean on() {
    return halfLifeImages > 0;
  }

  /** The weight of the old average after a step of {@code batch} images. */
  public float decay(long imagesSeen, int batch) {
    double halfLife = rampUp > 0 ? Math.min(halfLifeImages, imagesSeen * rampUp) : halfLifeImages;
    return halfLife <= 0 ? 0f : (float) Math.pow(0.5, batch / halfLife);
  }

  /** Builds an {@link Average}. */
  public static final class Builder {
    private double halfLifeImages = HALF_LIFE_IMAGES;
    private double rampUp = RAMP_UP;

    private Builder() {}

    public Builder halfLifeImages(double images) {
      this.halfLifeImages = images;
      return this;
    }

    public Builder rampUp(double fraction) {
      this.rampUp = fraction;
      return this;
    }

    public Average build() {
      return new Average(halfLifeImages, rampUp);
    }
  }
}
