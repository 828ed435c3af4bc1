package org.convmirror.internal.gan;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.Flip;
import org.convmirror.internal.nn.DiffAugment;
import org.convmirror.internal.train.AdamOptions;

/**
 * The knobs of adversarial training. Defaults are the DCGAN recipe (Radford et al. 2015), each with
 * its reason at its constant below.
 *
 * @param loss the objective
 * @param generator the generator's Adam
 * @param discriminator the discriminator's Adam
 * @param discriminatorSteps discriminator updates per generator update
 * @param realLabel target for real images; below 1 is one-sided label smoothing
 * @param clip weight clipping bound for the Wasserstein critic (used by {@code wasserstein} without
 *     a gradient penalty)
 * @param penalty a gradient penalty on the discriminator
 * @param augment {@code flip} (random horizontal flips of the real images, see {@link Flip}) and
 *     DiffAugment policies applied to real and generated images alike (Zhao et al. 2020), e.g.
 *     {@code flip,color,translation,cutout}; empty for none
 * @param average the generator's weight average, which grids and {@code sample} use
 */
public record GanOptions(
    GanLoss loss,
    AdamOptions generator,
    AdamOptions discriminator,
    @JsonProperty("discriminator_steps") int discriminatorSteps,
    @JsonProperty("real_label") float realLabel,
    float clip,
    Penalty penalty,
    String augment,
    Average average) {

  /** Non-saturating BCE on logits: DCGAN's objective, numerically safe. */
  public static final GanLoss LOSS = GanLoss.BCE;

  /**
   * DCGAN's Adam for both networks: step 2e-4, tuned for batches of 64–128, and β1 0.5, not 0.9:
   * DCGAN found momentum 0.9 made training oscillate.
   */
  public static final AdamOptions ADAM = new AdamOptions(2e-4f, 0.5f, AdamOptions.BETA2);

  /** One: DCGAN alternates single steps; 5 is the Wasserstein critic's choice. */
  public static final int DISCRIMINATOR_STEPS = 1;

  /** No label smoothing by default; 0.9 is the common one-sided choice (Salimans et al. 2016). */
  public static final float REAL_LABEL = 1f;

  /** The Wasserstein GAN paper's bound (Arjovsky et al. 2017). */
  public static final float CLIP = 0.01f;

  /** No augmentation: DiffAugment pays off when data is scarce (Zhao et al. 2020). */
  public static final String AUGMENT = "";

  /** StyleGAN's ramped average (see {@link Average#STYLEGAN}). */
  public static final Average AVERAGE = Average.STYLEGAN;

  public GanOptions {
    // Fields a run recorded before they existed read as null: give them their defaults.
    if (penalty == null) penalty = Penalty.NONE;
    if (augment == null) augment = AUGMENT;
    if (average == null) average = AVERAGE;
    check(loss != null, "--loss must be given");
    check(generator != null && discriminator != null, "both networks need Adam settings");
    check(
        discriminatorSteps >= 1 && discriminatorSteps <= 100,
        "--d-steps must be in 1..100, was " + discriminatorSteps);
    check(realLabel > 0.5f && realLabel <= 1, "--real-label must be in (0.5, 1], was " + realLabel);
    check(clip > 0 && Float.isFinite(clip), "--clip must be > 0, was " + clip);
    checkAugment(augment);
  }

  /** The DCGAN recipe. */
  public static GanOptions dcgan() {
    return new GanOptions(
        LOSS, ADAM, ADAM, DISCRIMINATOR_STEPS, REAL_LABEL, CLIP, Penalty.NONE, AUGMENT, AVERAGE);
  }

  public GanOptions withLoss(GanLoss l) {
    return new GanOptions(
        l,
        generator,
        discriminator,
        discriminatorSteps,
        realLabel,
        clip,
        penalty,
        augment,
        average);
  }

  /** Both networks' Adam settings changed by {@code change}. */
  public GanOptions withAdam(java.util.function.UnaryOperator<AdamOptions> change) {
    return withAdam(change.apply(generator), change.apply(discriminator));
  }

  /** The generator's and the discriminator's Adam settings (two time-scales when they differ). */
  public GanOptions withAdam(AdamOptions g, AdamOptions d) {
    return new GanOptions(
        loss, g, d, discriminatorSteps, realLabel, clip, penalty, augment, average);
  }

  public GanOptions withDiscriminatorSteps(int steps) {
    return new GanOptions(
        loss, generator, discriminator, steps, realLabel, clip, penalty, augment, average);
  }

  public GanOptions withRealLabel(float target) {
    return new GanOptions(
        loss,
        generator,
        discriminator,
        discriminatorSteps,
        target,
        clip,
        penalty,
        augment,
        average);
  }

  public GanOptions withClip(float bound) {
    return new GanOptions(
        loss,
        generator,
        discriminator,
        discriminatorSteps,
        realLabel,
        bound,
        penalty,
        augment,
        average);
  }

  public GanOptions withPenalty(Penalty p) {
    return new GanOptions(
        loss, generator, discriminator, discriminatorSteps, realLabel, clip, p, augment, average);
  }

  public GanOptions withAugment(String policies) {
    return new GanOptions(
        loss,
        generator,
        discriminator,
        discriminatorSteps,
        realLabel,
        clip,
        penalty,
        policies,
        average);
  }

  public GanOptions withAverage(Average a) {
    return new GanOptions(
        loss, generator, discriminator, discriminatorSteps, realLabel, clip, penalty, augment, a);
  }

  /** Refuses an unknown policy in one line: flip is the loader's, the others DiffAugment's. */
  private static void checkAugment(String policies) {
    for (String name : Flip.without(policies).split(",")) {
      try {
        DiffAugment.of(name);
      } catch (UsageException e) {
        throw new UsageException(
            "unknown --augment policy '"
                + name.strip()
                + "' in '"
                + policies
                + "'; use a comma-separated list of flip, color, translation, cutout");
      }
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new UsageException(message);
  }
}
