package org.convmirror.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.convmirror.data.DataSources;
import org.convmirror.data.ImageSet;
import org.convmirror.data.Split;
import org.convmirror.eval.ClassHistogram;
import org.convmirror.eval.EvalReport;
import org.convmirror.eval.Evaluator;
import org.convmirror.eval.FeatureClassifier;
import org.convmirror.run.EpochEvaluation;
import org.convmirror.run.ImageSource;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.spec.ImageShape;

/**
 * Scores generated images in a frozen classifier's features against the test split, with the
 * real-vs-real floor (training images vs the same test images, same counts) beside them.
 */
final class RunEvaluation implements EpochEvaluation, AutoCloseable {
  private static final Evaluator.Options OPTIONS = Evaluator.Options.defaults();

  /** The fewest images an evaluation scores (see {@link Evaluator.Options#minimumCount}). */
  static final int MIN_COUNT = OPTIONS.minimumCount();

  /** Refuses a count of images to score below {@link #MIN_COUNT}, naming {@code flag}. */
  static void checkCount(String flag, int count) {
    if (count < MIN_COUNT) {
      throw new UserException(
          flag
              + " must be ≥ "
              + MIN_COUNT
              + " (precision/recall compare each image with its "
              + OPTIONS.neighbours()
              + " nearest neighbours), was "
              + count);
    }
  }

  private final FeatureClassifier classifier;
  private final ImageSet reference;
  private final ImageSet realSample;
  private final int count;
  private final int every;
  private final RunDirectory run;
  private final PrintStream out;
  private final Evaluator evaluator;
  private double[][] referenceFeatures;
  private ClassHistogram referenceClasses;
  private EvalReport.Scores floor;
  private int floorCount;

  private RunEvaluation(
      FeatureClassifier classifier,
      ImageSet reference,
      ImageSet realSample,
      int count,
      int every,
      RunDirectory run,
      PrintStream out) {
    this.classifier = classifier;
    this.reference = reference;
    this.realSample = realSample;
    this.count = count;
    this.every = every;
    this.run = run;
    this.out = out;
    this.evaluator = new Evaluator(classifier, OPTIONS);
  }

  /**
   * Sets up scoring for a run's data: the reference is the test split of its dataset, the floor
   * sample its training split; {@code classifierPath} null means the shipped Fashion-MNIST one.
   */
  static RunEvaluation open(
      TrainConfig config,
      ImageShape image,
      ImageSet train,
      Path classifierPath,
      int count,
      int every,
      RunDirectory run,
      PrintStream out)
      throws IOException {
    checkCount("--eval-count", count);
    FeatureClassifier c =
        classifierPath == null
            ? FeatureClassifier.loadFashionMnist()
            : FeatureClassifier.load(classifierPath);
    int[] in = c.inputShape();
    if (in[0] != image.channels() || in[1] != image.height() || in[2] != image.width()) {
      c.close();
      throw new UserException(
          "the classifier takes "
              + in[0]
              + "×"
              + in[1]
              + "×"
              + in[2]
              + " images but the model makes "
              + image
              + "; train one for this data with "
              + "'convmirror classifier train --data DIR --out FILE' and pass --classifier FILE");
    }
    ImageSet test =
        DataSources.load(
            config.dataset(),
            config.data(),
            Split.TEST,
            image.channels(),
            image.height(),
            image.width(),
            config.seed());
    if (count > test.count() || count > train.count()) {
      c.close();
      throw new UserException(
          "--eval-count "
              + count
              + " exceeds the data: "
              + test.count()
              + " test and "
              + train.count()
              + " training images");
    }
    return new RunEvaluation(c, test.head(count), train, count, every, run, out);
  }

  @Override
  public boolean due(int epoch) {
    return every > 0 && epoch % every == 0;
  }

  @Override
  public String name() {
    return "FD";
  }

  @Override
  public double score(int epoch, ImageSource model) throws IOException {
    EvalReport report = evaluate(model.sample(count, 12345), count);
    out.print(report.format());
    if (run != null) {
      report.writeJson(run.root().resolve(String.format("evaluation-epoch-%04d.json", epoch)));
      appendCsv(run.root().resolve("evaluation.csv"), epoch, report);
    }
    return report.model().frechet();
  }

  /**
   * Scores {@code n} images (N×C×H×W in [-1, 1]). The reference features, its class histogram and
   * the real floor do not change during a run, so they are computed once, on first use, and every
   * later evaluation (e.g. each epoch of {@code --eval-every}) only scores the new images.
   */
  EvalReport evaluate(float[] generated, int n) {
    if (floor == null || floorCount != n) {
      referenceFeatures = classifier.features(reference.pixels(), reference.count());
      referenceClasses =
          ClassHistogram.of(
              classifier.predict(reference.pixels(), reference.count()), classifier.classes());
      // Real floor: a fixed shuffle of training images, as many as were generated.
      int[] pick = org.convmirror.data.BatchLoader.order(realSample.count(), 7, 0);
      float[] sample = realSample.subset(Arrays.copyOf(pick, n)).pixels();
      floor = evaluator.scores(classifier.features(sample, n), referenceFeatures);
      floorCount = n;
    }
    EvalReport.Scores model =
        evaluator.scores(classifier.features(generated, n), referenceFeatures);
    return new EvalReport(
        model,
        floor,
        ClassHistogram.of(classifier.predict(generated, n), classifier.classes()),
        referenceClasses,
        n,
        reference.count(),
        OPTIONS.seed());
  }

  static void appendCsv(Path csv, int epoch, EvalReport report) throws IOException {
    boolean fresh = !Files.exists(csv);
    String text =
        (fresh ? "epoch," + EvalReport.csvHeader() + "\n" : "")
            + epoch
            + ","
            + report.csvRow()
            + "\n";
    Files.writeString(csv, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  public void close() {
    classifier.close();
  }
}
