package org.convmirror.internal.vae;

import static org.convmirror.internal.nn.Owned.scalar;

import ai.djl.ndarray.NDArray;
import org.convmirror.spec.Likelihood;

/**
 * The terms of the negative evidence lower bound, −ELBO = E_q[−log p(x|z)] + KL(q(z|x) ‖ N(0, I))
 * (Kingma &amp; Welling 2014, arXiv:1312.6114, eq. 3), each returned per image in nats: summed over
 * pixels or latent dimensions, one value per row of the batch.
 */
public final class VaeLoss {
  /** log 2π, the Gaussian normaliser per pixel. */
  static final float LOG_2PI = (float) Math.log(2 * Math.PI);

  private VaeLoss() {}

  /**
   * −log p(x|z) per image for decoder output {@code out} and targets {@code x} in [0, 1], both (N,
   * C, H, W). {@code out} holds logits for {@link Likelihood#BERNOULLI}, means otherwise; {@code
   * logVariance} (shape (1)) is used by {@link Likelihood#GAUSSIAN_LEARNED} only.
   */
  public static NDArray reconstruction(
      Likelihood likelihood, NDArray out, NDArray x, NDArray logVariance) {
    return switch (likelihood) {
      case BERNOULLI -> bernoulli(out, x);
      case GAUSSIAN -> gaussian(out, x);
      case GAUSSIAN_LEARNED -> gaussian(out, x, logVariance);
    };
  }

  /**
   * Bernoulli cross-entropy from logits l: Σ −[x log σ(l) + (1 − x) log(1 − σ(l))] = Σ softplus(l)
   * − x·l, which never takes the log of a saturated sigmoid.
   */
  public static NDArray bernoulli(NDArray logits, NDArray x) {
    return perImage(softplus(logits).sub(x.mul(logits)));
  }

  /** Unit-variance Gaussian: ½‖x − x̂‖² + ½·D·log 2π. */
  public static NDArray gaussian(NDArray mean, NDArray x) {
    long d = x.size() / x.getShape().get(0);
    return perImage(x.sub(mean).square()).mul(scalar(x, 0.5f)).add(0.5f * d * LOG_2PI);
  }

  /**
   * Gaussian with one learned log-variance s for all pixels: ½·e^−s‖x − x̂‖² + ½·D·(s + log 2π).
   */
  public static NDArray gaussian(NDArray mean, NDArray x, NDArray logVariance) {
    long d = x.size() / x.getShape().get(0);
    NDArray squared = perImage(x.sub(mean).square());
    return squared
        .mul(logVariance.neg().exp())
        .mul(scalar(x, 0.5f))
        .add(logVariance.add(LOG_2PI).mul(scalar(x, 0.5f * d)));
  }

  /**
   * KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²) in closed form (Kingma &amp; Welling 2014,
   * appendix B), per image from (N, latent) means and log-variances.
   */
  public static NDArray kl(NDArray mean, NDArray logVariance) {
    return logVariance
        .add(1)
        .sub(mean.square())
        .sub(logVariance.exp())
        .sum(new int[] {1})
        .mul(scalar(mean, -0.5f));
  }

  /** (N, …) → (N): the sum over everything but the batch axis. */
  static NDArray perImage(NDArray a) {
    return a.reshape(a.getShape().get(0), -1).sum(new int[] {1});
  }

  /** log(1 + eˣ) as max(x, 0) + log(1 + e^−|x|), which never overflows. */
  static NDArray softplus(NDArray x) {
    return x.maximum(scalar(x, 0)).add(x.abs().neg().exp().add(1).log());
  }
}
