package org.convmirror.internal.vae;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;
import org.convmirror.internal.train.AdamOptions;

/**
 * The knobs of VAE training, with their defaults and each default's reason at its constant.
 *
 * @param adam the Adam optimizer of every block
 * @param klWeight β, the weight of the KL term (1: the ELBO itself; Higgins et al. 2017 for others)
 * @param klWarmupEpochs epochs over which β ramps linearly from 0, 0 for none
 */
public record VaeOptions(
    AdamOptions adam,
    @JsonProperty("kl_weight") float klWeight,
    @JsonProperty("kl_warmup_epochs") int klWarmupEpochs) {

  /** Adam's own defaults with a larger step than a GAN's: a VAE has one stationary objective. */
  public static final AdamOptions ADAM = new AdamOptions(1e-3f, 0.9f, AdamOptions.BETA2);

  /** β = 1: the loss is the negative ELBO, a bound on −log p(x) in nats. */
  public static final float KL_WEIGHT = 1f;

  public VaeOptions {
    if (adam == null) throw new UsageException("the VAE needs Adam settings");
    if (!(klWeight >= 0 && Float.isFinite(klWeight))) {
      throw new UsageException("--kl-weight must be ≥ 0, was " + klWeight);
    }
    if (klWarmupEpochs < 0) {
      throw new UsageException("--kl-warmup must be ≥ 0, was " + klWarmupEpochs);
    }
  }

  /** Every field at its default. */
  public static VaeOptions defaults() {
    return new VaeOptions(ADAM, KL_WEIGHT, 0);
  }

  public VaeOptions withAdam(AdamOptions a) {
    return new VaeOptions(a, klWeight, klWarmupEpochs);
  }

  public VaeOptions withKlWeight(float beta) {
    return new VaeOptions(adam, beta, klWarmupEpochs);
  }

  public VaeOptions withKlWarmupEpochs(int epochs) {
    return new VaeOptions(adam, klWeight, epochs);
  }

  /** β at {@code epochs} epochs done (a fraction): the KL weight, ramped over the warm-up. */
  public float beta(double epochs) {
    if (klWarmupEpochs <= 0) return klWeight;
    return (float) (klWeight * Math.min(1, epochs / klWarmupEpochs));
  }
}
