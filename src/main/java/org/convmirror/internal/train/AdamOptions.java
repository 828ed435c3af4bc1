package org.convmirror.internal.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;

/**
 * The settings of one Adam optimizer (Kingma &amp; Ba 2015).
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

  public AdamOptions withLearningRate(float lr) {
    return new AdamOptions(lr, beta1, beta2);
  }

  public AdamOptions withBeta1(float b1) {
    return new AdamOptions(learningRate, b1, beta2);
  }

  public AdamOptions withBeta2(float b2) {
    return new AdamOptions(learningRate, beta1, b2);
  }
}
