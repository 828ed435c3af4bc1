package org.convmirror.internal.eval;

import java.util.Arrays;

/**
 * Scores generated images against reference images in a {@link FeatureClassifier}'s feature space —
 * Fréchet distance, KID, improved precision/recall and the predicted-class histogram — and, given a
 * second real sample, the same scores for real-vs-real as the floor to read them against.
 */
public final class Evaluator {
  private final FeatureClassifier classifier;
  private final Options options;

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
    double[][] referenceFeatures = classifier.features(reference, nReference);
    double[][] generatedFeatures = classifier.features(generated, nGenerated);
    EvalReport.Scores floor = null;
    if (realSample != null) {
      if (nRealSample < nGenerated) {
        throw new IllegalArgumentException(
            "the real floor sample must hold ≥ "
                + nGenerated
                + " images (the generated count), had "
                + nRealSample);
      }
      int size = realSample.length / nRealSample;
      float[] sample = Arrays.copyOf(realSample, nGenerated * size);
      floor = scores(classifier.features(sample, nGenerated), referenceFeatures);
    }
    return new EvalReport(
        scores(generatedFeatures, referenceFeatures),
        floor,
        ClassHistogram.of(classifier.predict(generated, nGenerated), classifier.classes()),
        ClassHistogram.of(classifier.predict(reference, nReference), classifier.classes()),
        nGenerated,
        nReference,
        options.seed());
  }

  /** All feature-space scores of {@code generated} against {@code reference}. */
  public EvalReport.Scores scores(double[][] generated, double[][] reference) {
    var kid =
        new KernelInceptionDistance(options.kidSubsets(), options.kidSubsetSize(), options.seed())
            .between(generated, reference);
    var pr = new PrecisionRecall(options.neighbours()).between(reference, generated);
    return new EvalReport.Scores(
        FrechetDistance.between(generated, reference),
        kid.mean(),
        kid.std(),
        pr.precision(),
        pr.recall(),
        pr.density(),
        pr.coverage());
  }
}
