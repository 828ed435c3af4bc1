package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;

/**
 * The settings of one Adam optimizer (Kingma &amp; Ba 2015). Each objective has its own defaults
 * ({@link GanOptions#ADAM}, {@link VaeOptions#ADAM}); change them with {@link #toBuilder}.
 *
 * @param learningRate the step size
 * @param beta1 the first-moment decay
 * @param beta2 the second-moment decay
 */
public record AdamOptions(
    @JsonProperty("learning_rate") float learningRate, float beta1, float beta2) {

  /** Adam's own β2, which every recipe here keeps. */
  public static final float BETA2 = 0.999f;

  public AdamOptions {
    if (!(learningRate > 0 && Float.isFinite(learningRate))) {
      throw new UsageException("--lr must be a positive number, was " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new UsageException("--beta1 must be in [0, 1), was " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new UsageException("--beta2 must be in [0, 1), was " + beta2);
    }
  }

  /** Adam with step {@code learningRate} and decays {@code beta1} and {@link #BETA2}. */
  public static Builder builder(float learningRate, float beta1) {
    Builder b = new Builder();
    b.learningRate = learningRate;
    b.beta1 = beta1;
    return b;
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return builder(learningRate, beta1).beta2(beta2);
  }

  /** Builds an {@link AdamOptions}. */
  public static final class Builder {
    private float learningRate;
    private float beta1;
    private float beta2 = BETA2;

    private Builder() {}

    public Builder learningRate(float lr) {
      this.learningRate = lr;
      return this;
    }

    public Builder beta1(float b1) {
      this.beta1 = b1;
      return this;
    }

    public Builder beta2(float b2) {
      this.beta2 = b2;
      return this;
    }

    public AdamOptions build() {
      return new AdamOptions(learningRate, beta1, beta2);
    }
  }
}
