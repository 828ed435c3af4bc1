package org.convmirror.gan;

/**
 * The knobs of adversarial training; defaults are the DCGAN recipe (Radford et al. 2015).
 *
 * @param loss the objective (non-saturating BCE on logits by default)
 * @param learningRate Adam's step size for both networks (2e-4: DCGAN's, tuned for batch 64–128)
 * @param beta1 Adam's first-moment decay (0.5: DCGAN found 0.9 oscillates)
 * @param beta2 Adam's second-moment decay
 * @param discriminatorSteps discriminator updates per generator update (5 is WGAN's choice)
 * @param realLabel target for real images; below 1 is one-sided label smoothing (0.9 is common)
 * @param clip weight clipping bound for the Wasserstein critic (0.01, Arjovsky et al.)
 */
public record GanOptions(
    GanLoss loss,
    float learningRate,
    float beta1,
    float beta2,
    int discriminatorSteps,
    float realLabel,
    float clip) {

  public GanOptions {
    if (loss == null) throw new IllegalArgumentException("loss must be given");
    if (!(learningRate > 0))
      throw new IllegalArgumentException("--lr must be > 0, was " + learningRate);
    if (!(beta1 >= 0 && beta1 < 1))
      throw new IllegalArgumentException("--beta1 must be in [0, 1), was " + beta1);
    if (!(beta2 >= 0 && beta2 < 1))
      throw new IllegalArgumentException("--beta2 must be in [0, 1), was " + beta2);
    if (discriminatorSteps < 1)
      throw new IllegalArgumentException("--d-steps must be ≥ 1, was " + discriminatorSteps);
    if (!(realLabel > 0.5f && realLabel <= 1))
      throw new IllegalArgumentException("--real-label must be in (0.5, 1], was " + realLabel);
    if (!(clip > 0)) throw new IllegalArgumentException("--clip must be > 0, was " + clip);
  }

  public static GanOptions dcgan() {
    return new GanOptions(GanLoss.BCE, 2e-4f, 0.5f, 0.999f, 1, 1f, 0.01f);
  }
}
