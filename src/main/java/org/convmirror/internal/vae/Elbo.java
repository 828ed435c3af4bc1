package org.convmirror.internal.vae;

/**
 * The two terms of a negative ELBO, each in nats per image: the expected reconstruction −log p(x|z)
 * and KL(q(z|x) ‖ p(z)).
 */
public record Elbo(double reconstruction, double kl) {

  /** −ELBO = reconstruction + KL, the bound on −log p(x) that the paper reports. */
  public double negative() {
    return reconstruction + kl;
  }

  /** The training objective with the KL weighted by β (β = 1 is the ELBO; Higgins et al. 2017). */
  public double loss(double beta) {
    return reconstruction + beta * kl;
  }

  public boolean finite() {
    return Double.isFinite(reconstruction) && Double.isFinite(kl);
  }
}
