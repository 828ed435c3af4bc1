package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;

/**
 * The knobs of VAE training, with their defaults and each default's reason at its constant. Start
 * from {@link #builder()}; change one with {@link #toBuilder}.
 *
 * @param adam the Adam optimizer of every block
 * @param klWeight β, the weight of the KL term (1: the ELBO itself; Higgins et al. 2017 for others)
 * @param klWarmupEpochs epochs over which β ramps linearly from 0, 0 for none
 */
public record VaeOptions(
    AdamOptions adam,
    @JsonProperty("kl_weight") float klWeight,
    @JsonProperty("kl_warmup_epochs") int klWarmupEpochs) {

  /** A larger step than a GAN's, 1e-3: a VAE descends one stationary objective. */
  public static final float LEARNING_RATE = 1e-3f;

  /** Adam's own β1, 0.9: nothing oscillates here, so the usual momentum fits. */
  public static final float BETA1 = 0.9f;

  /** Adam as above, with Adam's own β2. */
  public static final AdamOptions ADAM = AdamOptions.builder(LEARNING_RATE, BETA1).build();

  /** β = 1: the loss is the negative ELBO, a bound on −log p(x) in nats. */
  public static final float KL_WEIGHT = 1f;

  /** No warm-up: β = 1 from the first step keeps the loss the ELBO throughout. */
  public static final int KL_WARMUP_EPOCHS = 0;

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
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder().adam(adam).klWeight(klWeight).klWarmupEpochs(klWarmupEpochs);
  }

  /** β at {@code epochs} epochs done (a fraction): the KL weight, ramped over the warm-up. */
  public float beta(double epochs) {
    if (klWarmupEpochs <= 0) return klWeight;
    return (float) (klWeight * Math.min(1, epochs / klWarmupEpochs));
  }

  /** Builds a {@link VaeOptions}; every field starts at its default. */
  public static final class Builder {
    private AdamOptions adam = ADAM;
    private float klWeight = KL_WEIGHT;
    private int klWarmupEpochs = KL_WARMUP_EPOCHS;

    private Builder() {}

    public Builder adam(AdamOptions a) {
      this.adam = a;
      return this;
    }

    public Builder klWeight(float beta) {
      this.klWeight = beta;
      return this;
    }

    public Builder klWarmupEpochs(int epochs) {
      this.klWarmupEpochs = epochs;
      return this;
    }

    public VaeOptions build() {
      return new VaeOptions(adam, klWeight, klWarmupEpochs);
    }
  }
}
