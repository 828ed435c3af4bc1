package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;

/**
 * The knobs of adversarial training. Defaults are convmirror's DCGAN recipe — Radford et al.'s
 * (2015) objective and Adam β1, with a step tuned for quality per second at batch 32 and an average
 * that never lags the trained generator — each with its reason at its constant below; {@link
 * GanPreset#CLASSIC} keeps pytorch/examples' numbers. Start from {@link #builder()} (or a {@link
 * GanPreset}); change one with {@link #toBuilder}.
 *
 * @param loss the objective
 * @param generator the generator's Adam
 * @param discriminator the discriminator's Adam
 * @param discriminatorSteps discriminator updates per iteration
 * @param generatorSteps generator updates per iteration once {@code generatorStepsFrom} images were
 *     seen (one before): the first on the last discriminator step's G(z), each further one on fresh
 *     latents (and, conditional, fresh labels)
 * @param generatorStepsFrom images seen before an iteration takes {@code generatorSteps} generator
 *     updates; 0 for every iteration
 * @param realLabel target for real images; below 1 is one-sided label smoothing
 * @param clip weight clipping bound for the Wasserstein critic (used by {@code wasserstein} without
 *     a gradient penalty)
 * @param penalty a gradient penalty on the discriminator
 * @param augment {@code flip} (random horizontal flips of the real images, {@link
 *     AugmentPolicy#FLIP}) and DiffAugment policies applied to real and generated images alike
 *     (Zhao et al. 2020), e.g. {@code flip,color,translation,cutout}; empty for none (see {@link
 *     AugmentPolicy})
 * @param average the generator's weight average, which grids and {@code sample} use
 */
public record GanOptions(
    GanLoss loss,
    AdamOptions generator,
    AdamOptions discriminator,
    @JsonProperty("discriminator_steps") int discriminatorSteps,
    @JsonProperty("generator_steps") int generatorSteps,
    @JsonProperty("generator_steps_from") long generatorStepsFrom,
    @JsonProperty("real_label") float realLabel,
    float clip,
    Penalty penalty,
    String augment,
    Average average) {

  /** Non-saturating BCE on logits: DCGAN's objective, numerically safe. */
  public static final String LOSS_ID = "bce";

  /** The loss {@link #LOSS_ID} names. */
  public static final GanLoss LOSS = GanLoss.of(LOSS_ID);

  /**
   * 6e-4 for both networks, three times DCGAN's 2e-4: with batches of 32 it reached every quality
   * level on Fashion-MNIST sooner than 2e-4–1.6e-3 at batches 16–64 (docs/notes/quality.md).
   */
  public static final float LEARNING_RATE = 6e-4f;

  /** pytorch/examples' step, 2e-4, tuned for batches of 64–128; {@link GanPreset#CLASSIC}'s. */
  public static final float CLASSIC_LEARNING_RATE = 2e-4f;

  /** DCGAN's β1, 0.5 and not 0.9: DCGAN found momentum 0.9 made training oscillate. */
  public static final float BETA1 = 0.5f;

  /** DCGAN's Adam as above, with Adam's own β2, for both networks. */
  public static final AdamOptions ADAM = AdamOptions.builder(LEARNING_RATE, BETA1).build();

  /** One: DCGAN alternates single steps; 5 is the Wasserstein critic's choice. */
  public static final int DISCRIMINATOR_STEPS = 1;

  /**
   * Two once {@link #GENERATOR_STEPS_FROM} images were seen: a second generator update on fresh
   * latents made the five-epoch Fréchet distance on Fashion-MNIST 14–19 % lower on each of three
   * seeds (7.45 ± 0.42 → 6.26 ± 0.24), at ~1.5× the seconds per image (docs/notes/quality.md).
   */
  public static final int GENERATOR_STEPS = 2;

  /**
   * 120,000 images (two epochs of Fashion-MNIST): before that a single step reaches each quality
   * level sooner by the clock (the second step pays per epoch, not per second, early on).
   */
  public static final long GENERATOR_STEPS_FROM = 120_000;

  /** No label smoothing by default; 0.9 is the common one-sided choice (Salimans et al. 2016). */
  public static final float REAL_LABEL = 1f;

  /** The Wasserstein GAN paper's bound (Arjovsky et al. 2017). */
  public static final float CLIP = 0.01f;

  /** No gradient penalty: DCGAN's batch-normed discriminator trains without one. */
  public static final Penalty PENALTY = Penalty.NONE;

  /** No augmentation: DiffAugment pays off when data is scarce (Zhao et al. 2020). */
  public static final String AUGMENT = "";

  /**
   * StyleGAN's 10k-image half-life with a 1 % ramp, not 5 %: early in training the generator
   * improves faster than a 5 % ramp forgets, so that average scored worse than the trained
   * generator after one epoch; at 1 % it follows the generator early and smooths it late.
   */
  public static final double RAMP_UP = 0.01;

  /** The average as above. */
  public static final Average AVERAGE = Average.builder().rampUp(RAMP_UP).build();

  public GanOptions {
    // Fields a run recorded before they existed read as null: give them their defaults.
    if (penalty == null) penalty = PENALTY;
    if (augment == null) augment = AUGMENT;
    if (average == null) average = Average.STYLEGAN; // what those runs trained with
    if (generatorSteps == 0) generatorSteps = 1; // absent: those runs took one G step
    check(loss != null, "--loss must be given");
    check(generator != null && discriminator != null, "both networks need Adam settings");
    check(
        discriminatorSteps >= 1 && discriminatorSteps <= 100,
        "--d-steps must be in 1..100, was " + discriminatorSteps);
    check(
        generatorSteps >= 1 && generatorSteps <= 100,
        "--g-steps must be in 1..100, was " + generatorSteps);
    check(generatorStepsFrom >= 0, "--g-steps-from must be ≥ 0 images, was " + generatorStepsFrom);
    check(realLabel > 0.5f && realLabel <= 1, "--real-label must be in (0.5, 1], was " + realLabel);
    check(clip > 0 && Float.isFinite(clip), "--clip must be > 0, was " + clip);
    AugmentPolicy.check(augment); // refuses an unknown policy in one line
  }

  /** The DCGAN recipe, every field at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder()
        .loss(loss)
        .adam(generator, discriminator)
        .discriminatorSteps(discriminatorSteps)
        .generatorSteps(generatorSteps, generatorStepsFrom)
        .realLabel(realLabel)
        .clip(clip)
        .penalty(penalty)
        .augment(augment)
        .average(average);
  }

  /** Generator updates in an iteration that starts after {@code imagesSeen} images. */
  public int generatorStepsAt(long imagesSeen) {
    return imagesSeen >= generatorStepsFrom ? generatorSteps : 1;
  }

  /**
   * Generator updates in the first {@code iterations} iterations of {@code imagesPerIteration}
   * images each: the generator's Adam step count when a run resumes there.
   */
  public long generatorUpdates(long iterations, long imagesPerIteration) {
    if (iterations == 0) return 0;
    long single = Math.min(iterations, -Math.floorDiv(-generatorStepsFrom, imagesPerIteration));
    return single + (iterations - single) * generatorSteps;
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new UsageException(message);
  }

  /** Builds a {@link GanOptions}; every field starts at its default. */
  public static final class Builder {
    private GanLoss loss = LOSS;
    private AdamOptions generator = ADAM;
    private AdamOptions discriminator = ADAM;
    private int discriminatorSteps = DISCRIMINATOR_STEPS;
    private int generatorSteps = GENERATOR_STEPS;
    private long generatorStepsFrom = GENERATOR_STEPS_FROM;
    private float realLabel = REAL_LABEL;
    private float clip = CLIP;
    private Penalty penalty = PENALTY;
    private String augment = AUGMENT;
    private Average average = AVERAGE;

    private Builder() {}

    public Builder loss(GanLoss l) {
      this.loss = l;
      return this;
    }

    /** The same Adam for both networks. */
    public Builder adam(AdamOptions both) {
      return adam(both, both);
    }

    /** The generator's and the discriminator's Adam (two time-scales when they differ). */
    public Builder adam(AdamOptions g, AdamOptions d) {
      this.generator = g;
      this.discriminator = d;
      return this;
    }

    public Builder discriminatorSteps(int steps) {
      this.discriminatorSteps = steps;
      return this;
    }

    /** {@code steps} generator updates in every iteration. */
    public Builder generatorSteps(int steps) {
      return generatorSteps(steps, 0);
    }

    /** {@code steps} generator updates in each iteration that starts after {@code from} images. */
    public Builder generatorSteps(int steps, long from) {
      this.generatorSteps = steps;
      this.generatorStepsFrom = from;
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

    public Builder penalty(Penalty p) {
      this.penalty = p;
      return this;
    }

    public Builder augment(String policies) {
      this.augment = policies;
      return this;
    }

    public Builder average(Average a) {
      this.average = a;
      return this;
    }

    public GanOptions build() {
      return new GanOptions(
          loss,
          generator,
          discriminator,
          discriminatorSteps,
          generatorSteps,
          generatorStepsFrom,
          realLabel,
          clip,
          penalty,
          augment,
          average);
    }
  }
}
