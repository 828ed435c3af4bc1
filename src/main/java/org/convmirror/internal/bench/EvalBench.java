package org.convmirror.internal.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.eval.EvalReport;
import org.convmirror.internal.eval.FeatureClassifier;
import org.convmirror.internal.eval.ReferenceCache;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.shape.Planner;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.MaxPool;

/**
 * Times {@code convmirror evaluate}'s path — {@link RunEvaluation} with the shipped classifier, the
 * test split as reference and the training split's real floor — on {@code count} generated images:
 * cold (an empty {@link ReferenceCache}), warm from the disk cache (a fresh evaluation, as the next
 * {@code convmirror evaluate} process) and warm in memory (the same evaluation again, as the next
 * epoch of {@code --eval-every}), each with its phases.
 */
public final class EvalBench {
  private EvalBench() {}

  /**
   * One evaluation.
   *
   * @param seconds wall time from opening the evaluation (classifier load included) to the report
   * @param phaseSeconds the named parts of it, and {@code other} for the rest (cache, data copies)
   */
  public record Timing(double seconds, Map<String, Double> phaseSeconds) {}

  /**
   * What the evaluations cost.
   *
   * @param identical whether all three reports hold the same numbers
   */
  public record Result(
      int count,
      Timing cold,
      Timing warmDisk,
      Timing warmMemory,
      double featureImagesPerSecond,
      boolean identical) {}

  /**
   * As {@link #run(ImageSet, ImageSet, int, Path)} on the default dataset (Fashion-MNIST's test and
   * training splits), caching in a temporary folder that is removed afterwards.
   */
  public static Result run(int count, long seed) throws IOException {
    ImageSet test = DataSources.load(null, null, Split.TEST, 1, 28, 28, seed);
    ImageSet train = DataSources.load(null, null, Split.TRAIN, 1, 28, 28, seed);
    int most = Math.min(test.count(), train.count());
    if (count > most) {
      throw new UsageException("--eval-count must be ≤ " + most + ", was " + count);
    }
    Path cache = Files.createTempDirectory("convmirror-evalbench");
    try {
      return run(test, train, count, cache);
    } finally {
      try (var files = Files.list(cache)) {
        for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(cache);
    }
  }

  /**
   * Evaluates {@code count} images made from the last training images (perturbed, so that they are
   * close to real data but not it) against {@code test}, caching in {@code cacheDir}, which must be
   * empty.
   */
  public static Result run(ImageSet test, ImageSet train, int count, Path cacheDir)
      throws IOException {
    float[] generated = perturbedTail(train, count);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Map<String, Long> cold = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    EvalReport a;
    try (RunEvaluation eval = open(test, train, count, cacheDir, quiet, cold)) {
      a = eval.evaluate(generated, count);
    }
    long t1 = System.nanoTime();
    Map<String, Long> disk = new LinkedHashMap<>();
    Map<String, Long> memory = new LinkedHashMap<>();
    EvalReport b;
    EvalReport c;
    long t2;
    try (RunEvaluation eval = open(test, train, count, cacheDir, quiet, disk)) {
      b = eval.evaluate(generated, count);
      t2 = System.nanoTime();
      eval.time((phase, ns) -> memory.merge(phase, ns, Long::sum));
      c = eval.evaluate(generated, count);
    }
    long t3 = System.nanoTime();
    double features = memory.getOrDefault("generated features", 0L) / 1e9;
    return new Result(
        count,
        timing(t1 - t0, cold),
        timing(t2 - t1, disk),
        timing(t3 - t2, memory),
        count / features,
        a.equals(b) && b.equals(c));
  }

  private static RunEvaluation open(
      ImageSet test,
      ImageSet train,
      int count,
      Path cacheDir,
      PrintStream quiet,
      Map<String, Long> phases)
      throws IOException {
    long t = System.nanoTime();
    RunEvaluation eval =
        RunEvaluation.open(
            test, train, null, count, 0, null, quiet, ReferenceCache.in(cacheDir, System.err));
    phases.put("classifier load", System.nanoTime() - t);
    eval.time((phase, ns) -> phases.merge(phase, ns, Long::sum));
    return eval;
  }

  private static Timing timing(long total, Map<String, Long> phases) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    long sum = 0;
    for (Map.Entry<String, Long> e : phases.entrySet()) {
      seconds.put(e.getKey(), e.getValue() / 1e9);
      sum += e.getValue();
    }
    seconds.put("other", (total - sum) / 1e9);
    return new Timing(total / 1e9, seconds);
  }

  /**
   * The last {@code count} training images, each blended 85:15 with uniform noise: near the data,
   * at a Fréchet distance a trained model might reach.
   */
  static float[] perturbedTail(ImageSet train, int count) {
    int size = train.imageSize();
    SplittableRandom random = new SplittableRandom(2024);
    float[] out = new float[count * size];
    for (int i = 0; i < count; i++) {
      train.copyImage(train.count() - count + i, out, i * size);
    }
    for (int p = 0; p < out.length; p++) {
      out[p] = (float) (0.85 * out[p] + 0.15 * (2 * random.nextDouble() - 1));
    }
    return out;
  }

  /** Multiply-accumulates of one image through {@link FeatureClassifier}'s network. */
  public static long classifierMacs(FeatureClassifier c) {
    int[] s = c.inputShape();
    var net =
        new ConvNet(
            ImageShape.of(s[0], s[1], s[2]),
            List.of(
                ConvBlock.builder(32, 3).activation(Activation.RELU).maxPool(MaxPool.of(2)).build(),
                ConvBlock.builder(64, 3)
                    .activation(Activation.RELU)
                    .maxPool(MaxPool.of(2))
                    .build()),
            List.of(
                DenseBlock.of(FeatureClassifier.FEATURE_DIM, false, Activation.RELU),
                DenseBlock.of(c.classes(), false, Activation.NONE)));
    return Planner.plan("classifier", net).macs();
  }
}
