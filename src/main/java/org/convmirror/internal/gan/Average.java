package org.convmirror.internal.gan;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;

/**
 * The generator's weight average (Yazici et al. 2019), an exponential moving average whose
 * half-life in images ramps up with the images seen (Karras et al. 2019, StyleGAN).
 *
 * @param halfLifeImages the half-life once ramped up, in images; 0 turns averaging off (samples
 *     come from the trained generator)
 * @param rampUp the half-life is at most this fraction of the images seen so far
 */
public record Average(
    @JsonProperty("half_life_images") double halfLifeImages,
    @JsonProperty("ramp_up") double rampUp) {

  /** StyleGAN's: a half-life of 10k images, at most 5 % of the images seen. */
  public static final Average STYLEGAN = new Average(10_000, 0.05);

  /** No averaging: the average follows the generator exactly. */
  public static final Average OFF = new Average(0, 0);

  public Average {
    if (!(halfLifeImages >= 0 && Double.isFinite(halfLifeImages))) {
      throw new UsageException("--ema-half-life must be ≥ 0 images, was " + halfLifeImages);
    }
    if (!(rampUp >= 0 && Double.isFinite(rampUp))) {
      throw new UsageException("--ema-ramp must be ≥ 0, was " + rampUp);
    }
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
}
