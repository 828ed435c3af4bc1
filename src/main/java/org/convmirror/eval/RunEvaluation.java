package org.convmirror.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.convmirror.UsageException;
import org.convmirror.data.BatchLoader;
import org.convmirror.data.ImageSet;
import org.convmirror.run.RunDirectory;
import org.convmirror.spec.ImageShape;
import org.convmirror.train.EpochEvaluation;
import org.convmirror.train.ImageSource;

/**
 * Scores generated images in a frozen classifier's features against the test split, with the
 * real-vs-real floor (training images vs the same test images, same counts) beside them.
 */
public final class RunEvaluation implements EpochEvaluation, AutoCloseable {
  private static final Evaluator.Options OPTIONS = Evaluator.Options.defaults();

  /** The fewest images an evaluation scores (see {@link Evaluator.Options#minimumCount}). */
  public static final int MIN_COUNT = OPTIONS.minimumCount();

  /** Refuses a count of images to score below {@link #MIN_COUNT}, naming {@code flag}. */
  public static void checkCount(String flag, int count) {
    if (count < MIN_COUNT) {
      throw new UsageException(
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
  private RunDirectory run;
  private PrintStream out;
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
   * Sets up scoring against a dataset's {@code test} split, with the floor sampled from its {@code
   * train} split; {@code classifierPath} null means the shipped Fashion-MNIST one.
   *
   * @param every evaluate after every this many epochs during training (0 outside training)
   * @param run where reports go during training, or null
   */
  public static RunEvaluation open(
      ImageSet test,
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
    ImageShape image = ImageShape.of(test.channels(), test.height(), test.width());
    int[] in = c.inputShape();
    if (in[0] != image.channels() || in[1] != image.height() || in[2] != image.width()) {
      c.close();
      throw new UsageException(
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
    if (count > test.count() || count > train.count()) {
      c.close();
      throw new UsageException(
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

  /** Where reports go from now on: {@code evaluation-epoch-NNNN.json} files and the console. */
  public void reportTo(RunDirectory run, PrintStream out) {
    this.run = run;
    this.out = out;
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
  public EvalReport evaluate(float[] generated, int n) {
    if (floor == null || floorCount != n) {
      computeReference();
      // Real floor: a fixed shuffle of training images, as many as were generated.
      int[] pick = BatchLoader.order(realSample.count(), 7, 0);
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

  /**
   * Mean and covariance of the reference images' features: what the Fréchet distance of a sample
   * too large for {@link #evaluate} (summarised elsewhere, e.g. in shards) is measured against.
   */
  public GaussianStats referenceStats() {
    computeReference();
    return GaussianStats.of(referenceFeatures);
  }

  private void computeReference() {
    if (referenceFeatures != null) return;
    referenceFeatures = classifier.features(reference.pixels(), reference.count());
    referenceClasses =
        ClassHistogram.of(
            classifier.predict(reference.pixels(), reference.count()), classifier.classes());
  }

  /** Appends a row for {@code epoch} to an {@code evaluation.csv}, with a header when new. */
  public static void appendCsv(Path csv, int epoch, EvalReport report) throws IOException {
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
