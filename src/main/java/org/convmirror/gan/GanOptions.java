package org.convmirror.gan;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.UsageException;

/**
 * The knobs of adversarial training. Defaults are the DCGAN recipe (Radford et al. 2015), each with
 * its reason at its constant below.
 *
 * @param loss the objective
 * @param learningRate Adam's step size for both networks
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param discriminatorSteps discriminator updates per generator update
 * @param realLabel target for real images; below 1 is one-sided label smoothing
 * @param clip weight clipping bound for the Wasserstein critic
 */
public record GanOptions(
    GanLoss loss,
    @JsonProperty("learning_rate") float learningRate,
    float beta1,
    float beta2,
    @JsonProperty("discriminator_steps") int discriminatorSteps,
    @JsonProperty("real_label") float realLabel,
    float clip) {

  /** Non-saturating BCE on logits: DCGAN's objective, numerically safe. */
  public static final GanLoss LOSS = GanLoss.BCE;

  /** DCGAN's Adam step, tuned for batches of 64–128. */
  public static final float LEARNING_RATE = 2e-4f;

  /** 0.5, not Adam's 0.9: DCGAN found momentum 0.9 made training oscillate. */
  public static final float BETA1 = 0.5f;

  public static final float BETA2 = 0.999f;

  /** One: DCGAN alternates single steps; 5 is the Wasserstein critic's choice. */
  public static final int DISCRIMINATOR_STEPS = 1;

  /** No label smoothing by default; 0.9 is the common one-sided choice (Salimans et al. 2016). */
  public static final float REAL_LABEL = 1f;

  /** The Wasserstein GAN paper's bound (Arjovsky et al. 2017). */
  public static final float CLIP = 0.01f;

  public GanOptions {
    check(loss != null, "--loss must be given");
    check(
        learningRate > 0 && Float.isFinite(learningRate),
        "--lr must be a positive number, was " + learningRate);
    check(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1), was " + beta1);
    check(beta2 >= 0 && beta2 < 1, "--beta2 must be in [0, 1), was " + beta2);
    check(
        discriminatorSteps >= 1 && discriminatorSteps <= 100,
        "--d-steps must be in 1..100, was " + discriminatorSteps);
    check(realLabel > 0.5f && realLabel <= 1, "--real-label must be in (0.5, 1], was " + realLabel);
    check(clip > 0, "--clip must be > 0, was " + clip);
  }

  /** The DCGAN recipe. */
  public static GanOptions dcgan() {
    return builder().build();
  }

  /** Every field at its default. */
  public static Builder builder() {
    return new Builder();
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new UsageException(message);
  }

  /** Builds {@link GanOptions}, starting from the defaults. */
  public static final class Builder {
    private GanLoss loss = LOSS;
    private float learningRate = LEARNING_RATE;
    private float beta1 = BETA1;
    private float beta2 = BETA2;
    private int discriminatorSteps = DISCRIMINATOR_STEPS;
    private float realLabel = REAL_LABEL;
    private float clip = CLIP;

    private Builder() {}

    public Builder loss(GanLoss loss) {
      this.loss = loss;
      return this;
    }

    public Builder learningRate(float lr) {
      this.learningRate = lr;
      return this;
    }

    public Builder beta1(float beta1) {
      this.beta1 = beta1;
      return this;
    }

    public Builder beta2(float beta2) {
      this.beta2 = beta2;
      return this;
    }

    public Builder discriminatorSteps(int steps) {
      this.discriminatorSteps = steps;
      return this;
    }

    public Builder realLabel(float target) {
      this.realLabel = target;
      return this;
    }

    public Builder clip(float bound) {
      this.clip = bound;
      return this;
    }

    public GanOptions build() {
      return new GanOptions(loss, learningRate, beta1, beta2, discriminatorSteps, realLabel, clip);
    }
  }
}
