package org.convmirror.internal.bench;

import java.util.Random;
import org.convmirror.internal.eval.EvalReport;
import org.convmirror.internal.eval.Evaluator;
import org.convmirror.internal.eval.FeatureClassifier;

/**
 * Times {@code convmirror evaluate}'s two parts on {@code count} images against as many reference
 * images: the classifier's features (images/s) and the metrics on them (Fréchet distance, KID,
 * precision/recall, density/coverage; seconds).
 */
public final class EvalBench {
  private EvalBench() {}

  /** What the evaluation cost. */
  public record Result(
      int count, double featureSeconds, double imagesPerSecond, double metricSeconds) {}

  /** Features of {@code 2·count} random images (generated and reference), then the metrics. */
  public static Result run(FeatureClassifier classifier, int count, long seed) {
    int[] s = classifier.inputShape();
    int size = s[0] * s[1] * s[2];
    Random r = new Random(seed);
    float[] generated = new float[count * size];
    float[] reference = new float[count * size];
    for (int i = 0; i < generated.length; i++) {
      generated[i] = r.nextFloat() * 2 - 1;
      reference[i] = r.nextFloat() * 2 - 1;
    }
    classifier.features(generated, Math.min(count, 100)); // warm-up
    long t0 = System.nanoTime();
    double[][] g = classifier.features(generated, count);
    double[][] ref = classifier.features(reference, count);
    long t1 = System.nanoTime();
    EvalReport.Scores scores =
        new Evaluator(classifier, Evaluator.Options.defaults()).scores(g, ref);
    long t2 = System.nanoTime();
    if (!Double.isFinite(scores.frechet())) throw new IllegalStateException("FD " + scores);
    double features = (t1 - t0) / 1e9;
    return new Result(count, features, 2 * count / features, (t2 - t1) / 1e9);
  }
}
