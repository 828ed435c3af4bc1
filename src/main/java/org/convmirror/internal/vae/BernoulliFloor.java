package org.convmirror.internal.vae;

import org.convmirror.internal.data.ImageSet;

/**
 * The lowest Bernoulli reconstruction term any decoder can reach on continuous pixels: the
 * cross-entropy of the data with itself, Σ −[x log x + (1 − x) log(1 − x)] per image in nats. With
 * grey levels strictly between 0 and 1 this is far above zero, so a Bernoulli −ELBO is read against
 * it rather than against 0.
 */
public final class BernoulliFloor {
  private BernoulliFloor() {}

  /** The mean over {@code data}'s images of their self cross-entropy, pixels mapped to [0, 1]. */
  public static double nats(ImageSet data) {
    if (data.count() == 0) return 0;
    float[] image = new float[data.imageSize()];
    double total = 0;
    for (int i = 0; i < data.count(); i++) {
      data.copyImage(i, image, 0);
      for (float v : image) total += entropy(ImageSet.toUnitRange(v));
    }
    return total / data.count();
  }

  /** −[x log x + (1 − x) log(1 − x)], with 0·log 0 = 0. */
  static double entropy(double x) {
    x = Math.min(1, Math.max(0, x)); // float rounding may step just outside [0, 1]
    double h = 0;
    if (x > 0) h -= x * Math.log(x);
    if (x < 1) h -= (1 - x) * Math.log(1 - x);
    return h;
  }
}
