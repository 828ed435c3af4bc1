package org.convmirror.internal.eval;

import java.util.Arrays;
import org.convmirror.internal.train.PhaseTimer;

/**
 * Scores generated images against reference images in a {@link FeatureClassifier}'s feature space —
 * Fréchet distance, KID, improved precision/recall and the predicted-class histogram — and, given a
 * second real sample, the same scores for real-vs-real as the floor to read them against.
 */
public final class Evaluator {
  private final FeatureClassifier classifier;
  private final Options options;
  private PhaseTimer timer = PhaseTimer.NONE;

  /**
   * Settings of the metrics.
   *
   * @param kidSubsets KID subsets to average (reference code: 100)
   * @param kidSubsetSize KID subset size, clipped to the set sizes (reference code: 1000)
   * @param neighbours k of the precision/recall radii (paper: 3)
   * @param seed seed of the KID subsets
   */
  public record Options(int kidSubsets, int kidSubsetSize, int neighbours, long seed) {
    /** The settings of the papers' reference code. */
    public static Options defaults() {
      return new Options(100, 1000, 3, 0);
    }

    /** The fewest images a score needs: precision/recall's k neighbours plus the image itself. */
    public int minimumCount() {
      return Math.max(2, neighbours + 1);
    }
  }

  public Evaluator(FeatureClassifier classifier, Options options) {
    this.classifier = classifier;
    this.options = options;
  }

  /** From now on, reports the wall time of each part of the scoring to {@code timer}. */
  public void time(PhaseTimer timer) {
    this.timer = timer;
  }

  /** Scores {@code nGenerated} generated images against {@code nReference} reference images. */
  public EvalReport evaluate(float[] generated, int nGenerated, float[] reference, int nReference) {
    return evaluate(generated, nGenerated, reference, nReference, null, 0);
  }

  /**
   * As {@link #evaluate(float[], int, float[], int)}, plus the real-vs-real floor: the first {@code
   * nGenerated} images of {@code realSample} (e.g. shuffled training images when the reference is
   * the test set) scored against the same reference, so both rows share every sample count.
   *
   * @throws IllegalArgumentException if {@code realSample} has fewer than {@code nGenerated} images
   */
  public EvalReport evaluate(
      float[] generated,
      int nGenerated,
      float[] reference,
      int nReference,
      float[] realSample,
      int nRealSample) {
    if (realSample != null && nRealSample < nGenerated) {
      throw new IllegalArgumentException(
          "the real floor sample must hold ≥ "
              + nGenerated
              + " images (the generated count), had "
              + nRealSample);
    }
    FeatureClassifier.Outputs real = classifier.outputs(reference, nReference);
    FeatureClassifier.Outputs made = classifier.outputs(generated, nGenerated);
    Reference prepared = reference(real.features(), nGenerated);
    EvalReport.Scores floor = null;
    if (realSample != null) {
      int size = realSample.length / nRealSample;
      float[] sample = Arrays.copyOf(realSample, nGenerated * size);
      floor = scores(classifier.outputs(sample, nGenerated).features(), prepared);
    }
    return new EvalReport(
        scores(made.features(), prepared),
        floor,
        ClassHistogram.of(made.predicted(), classifier.classes()),
        ClassHistogram.of(real.predicted(), classifier.classes()),
        nGenerated,
        nReference,
        options.seed());
  }

  /**
   * Everything the scores need from the reference set that does not depend on the generated images
   * (only on how many there are, through KID's subsets): computed once and kept across evaluations.
   *
   * @param manifold the reference features with their norms and k-NN radii (precision/recall)
   * @param stats their mean and covariance (Fréchet distance)
   * @param kidDraw KID's subsets of a generated set of {@code generatedCount} and the reference
   * @param kidSelfSums KID's kernel sums of each reference subset with itself
   */
  record Reference(
      PrecisionRecall.Manifold manifold,
      GaussianStats stats,
      int generatedCount,
      KernelInceptionDistance.Draw kidDraw,
      double[] kidSelfSums) {
    /** The reference features, {@code n × d}. */
    double[][] features() {
      return manifold.points();
    }
  }

  /** Prepares {@code features} as the reference of generated sets of {@code generatedCount}. */
  Reference reference(double[][] features, int generatedCount) {
    KernelInceptionDistance.Draw draw = kidDraw(generatedCount, features.length);
    int d = features[0].length;
    var selfSums = new SubsetSums(draw.y(), draw.y(), features.length, d, true);
    PrecisionRecall pr = new PrecisionRecall(options.neighbours());
    PrecisionRecall.Radii radii = pr.radii(features);
    timer.time("reference pass", () -> Gram.rows(features, features, both(radii, selfSums)));
    GaussianStats stats = timer.time("Fréchet", () -> GaussianStats.of(features));
    return new Reference(radii.manifold(), stats, generatedCount, draw, selfSums.totals());
  }

  /** All feature-space scores of {@code generated} against {@code reference}. */
  public EvalReport.Scores scores(double[][] generated, double[][] reference) {
    return scores(generated, reference(reference, generated.length));
  }

  /**
   * All feature-space scores of {@code generated} against a prepared reference: two passes over
   * inner products, the generated set with itself (its k-NN radii, KID's generated sums) and with
   * the reference (precision/recall's comparisons, KID's cross sums).
   */
  EvalReport.Scores scores(double[][] generated, Reference reference) {
    if (generated.length != reference.generatedCount()) {
      throw new IllegalArgumentException(
          "the reference was prepared for "
              + reference.generatedCount()
              + " generated images, got "
              + generated.length);
    }
    double[][] real = reference.features();
    PrecisionRecall pr = new PrecisionRecall(options.neighbours());
    pr.check(real, generated);
    KernelInceptionDistance.Draw draw = reference.kidDraw();
    int d = real[0].length;
    var selfSums = new SubsetSums(draw.x(), draw.x(), generated.length, d, true);
    PrecisionRecall.Radii radii = pr.radii(generated);
    timer.time("self pass", () -> Gram.rows(generated, generated, both(radii, selfSums)));
    var crossSums = new SubsetSums(draw.x(), draw.y(), generated.length, d, false);
    PrecisionRecall.Cross cross = pr.cross(reference.manifold(), radii.manifold());
    timer.time("cross pass", () -> Gram.rows(generated, real, both(cross, crossSums)));
    var kid = kid().score(draw, selfSums.totals(), reference.kidSelfSums(), crossSums.totals());
    var p = cross.score();
    double fd =
        timer.time(
            "Fréchet",
            () -> FrechetDistance.between(GaussianStats.of(generated), reference.stats()));
    return new EvalReport.Scores(
        fd, kid.mean(), kid.std(), p.precision(), p.recall(), p.density(), p.coverage());
  }

  /** KID's subsets of {@code generatedCount} generated and {@code referenceCount} real images. */
  KernelInceptionDistance.Draw kidDraw(int generatedCount, int referenceCount) {
    return kid().draw(generatedCount, referenceCount);
  }

  private KernelInceptionDistance kid() {
    return new KernelInceptionDistance(
        options.kidSubsets(), options.kidSubsetSize(), options.seed());
  }

  private static Gram.RowSink both(Gram.RowSink a, Gram.RowSink b) {
    return (row, dots, offset) -> {
      a.accept(row, dots, offset);
      b.accept(row, dots, offset);
    };
  }
}
