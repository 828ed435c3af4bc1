package org.convmirror.spec;

/** The VAE decoder's observation model p(x|z). */
public enum Likelihood {
  /** Pixels in [0, 1] as Bernoulli means; the decoder ends in sigmoid (the usual choice). */
  BERNOULLI,
  /** Gaussian with unit variance: reconstruction is ½·squared error plus a constant. */
  GAUSSIAN,
  /** Gaussian with one learned log-variance shared by all pixels. */
  GAUSSIAN_LEARNED
}
