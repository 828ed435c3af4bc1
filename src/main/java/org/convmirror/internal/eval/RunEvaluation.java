package org.convmirror.internal.eval;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.BatchLoader;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.StreamFiles;
import org.convmirror.internal.train.EpochEvaluation;
import org.convmirror.internal.train.ImageSource;
import org.convmirror.internal.train.PhaseTimer;
import org.convmirror.spec.ImageShape;

/**
 * Scores generated images in a frozen classifier's features against the test split, with the
 * real-vs-real floor (training images vs the same test images, same counts) beside them.
 */
public final class RunEvaluation implements EpochEvaluation, AutoCloseable {
  private static final Evaluator.Options OPTIONS = Evaluator.Options.defaults();
  private static final long FLOOR_SHUFFLE = 7;

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
  private final ReferenceCache cache;
  private PreparedReference prepared;
  private PhaseTimer timer = PhaseTimer.NONE;

  private RunEvaluation(
      FeatureClassifier classifier,
      ImageSet reference,
      ImageSet realSample,
      int count,
      int every,
      RunDirectory run,
      PrintStream out,
      ReferenceCache cache) {
    this.classifier = classifier;
    this.reference = reference;
    this.realSample = realSample;
    this.count = count;
    this.every = every;
    this.run = run;
    this.out = out;
    this.evaluator = new Evaluator(classifier, OPTIONS);
    this.cache = cache;
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
    return open(test, train, classifierPath, count, every, run, out, ReferenceCache.standard());
  }

  /**
   * As {@link #open(ImageSet, ImageSet, Path, int, int, RunDirectory, PrintStream)}, keeping what
   * does not depend on the generated images in {@code cache}.
   */
  public static RunEvaluation open(
      ImageSet test,
      ImageSet train,
      Path classifierPath,
      int count,
      int every,
      RunDirectory run,
      PrintStream out,
      ReferenceCache cache)
      throws IOException {
    checkCount("--eval-count", count);
    FeatureClassifier c =
        classifierPath == null ? Classifiers.loadFashionMnist() : Classifiers.load(classifierPath);
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
    return new RunEvaluation(c, test.head(count), train, count, every, run, out, cache);
  }

  /** From now on, reports the wall time of each part of an evaluation to {@code timer}. */
  public void time(PhaseTimer timer) {
    this.timer = timer;
    evaluator.time(timer);
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
      report.writeJson(run.layout().evaluation(epoch));
      appendCsv(run.layout().evaluationCsv(), epoch, report);
    }
    return report.model().frechet();
  }

  /**
   * Scores {@code n} images (N×C×H×W in [-1, 1]). The reference features, its class histogram and
   * the real floor do not change during a run, so they are computed once, on first use, or read
   * from the {@link ReferenceCache}, and every later evaluation (e.g. each epoch of {@code
   * --eval-every}) only scores the new images.
   */
  public EvalReport evaluate(float[] generated, int n) {
    prepareReference(n);
    FeatureClassifier.Outputs made =
        timer.time("generated features", () -> classifier.outputs(generated, n));
    return report(made.features(), made.predicted(), n);
  }

  /** The overall scores of a conditional model's images and its per-class ones. */
  public record Conditional(EvalReport overall, ClassReport byClass) {}

  /**
   * Scores {@code n} images of a conditional model (N×C×H×W in [-1, 1]), image i generated for
   * class {@code labels[i]}: everything {@link #evaluate(float[], int)} reports, and per class the
   * classifier's agreement with the requested class and the Fréchet distance against that class's
   * test images, each beside its real-data floor.
   *
   * @param names the model's classes (index = label)
   */
  public Conditional evaluate(float[] generated, int[] labels, int n, List<String> names) {
    if (!reference.hasLabels()) {
      throw new UsageException(
          "per-class scores need the test split's labels; " + reference.source() + " has none");
    }
    prepareReference(n);
    FeatureClassifier.Outputs outputs = classifier.outputs(generated, n);
    EvalReport overall = report(outputs.features(), outputs.predicted(), n);
    int[] wanted = Arrays.copyOf(labels, n);
    ClassScoring.Scored made =
        new ClassScoring.Scored(outputs.features(), outputs.predicted(), wanted);
    ClassScoring.Scored real =
        new ClassScoring.Scored(
            prepared.reference().features(), prepared.predicted(), reference.labels());
    ClassReport byClass =
        ClassScoring.of(
            names,
            made,
            real,
            classFloor(made, names.size()),
            classifier.classes() == names.size());
    return new Conditional(overall, byClass);
  }

  /**
   * Per class, as many training images of the class as were generated for it (from the same fixed
   * shuffle as the overall floor), in the classifier's view.
   */
  private ClassScoring.Scored classFloor(ClassScoring.Scored made, int classes) {
    if (!realSample.hasLabels()) {
      throw new UsageException(
          "per-class scores need the training split's labels; "
              + realSample.source()
              + " has none");
    }
    int[] want = new int[classes];
    for (int c = 0; c < classes; c++) want[c] = made.count(c);
    List<Integer> pick = new java.util.ArrayList<>();
    for (int i : BatchLoader.order(realSample.count(), FLOOR_SHUFFLE, 0)) {
      int y = realSample.label(i);
      if (y >= 0 && y < classes && want[y] > 0) {
        want[y]--;
        pick.add(i);
      }
    }
    ImageSet chosen = realSample.subset(pick.stream().mapToInt(Integer::intValue).toArray());
    FeatureClassifier.Outputs outputs = classifier.outputs(chosen.pixels(), chosen.count());
    return new ClassScoring.Scored(outputs.features(), outputs.predicted(), chosen.labels());
  }

  /** The reference prepared and the real floor scored for {@code n} generated images. */
  private void prepareReference(int n) {
    if (prepared == null || prepared.reference().generatedCount() != n) {
      prepared = cache.get(cacheKey(n), evaluator, () -> prepare(n));
    }
  }

  private PreparedReference prepare(int n) {
    FeatureClassifier.Outputs real =
        timer.time(
            "reference features", () -> classifier.outputs(reference.pixels(), reference.count()));
    Evaluator.Reference prepared = evaluator.reference(real.features(), n);
    // Real floor: a fixed shuffle of training images, as many as were generated.
    int[] pick = BatchLoader.order(realSample.count(), FLOOR_SHUFFLE, 0);
    float[] sample = realSample.subset(Arrays.copyOf(pick, n)).pixels();
    double[][] floorFeatures = timer.time("floor features", () -> classifier.features(sample, n));
    EvalReport.Scores floor = evaluator.scores(floorFeatures, prepared);
    return new PreparedReference(real.predicted(), prepared, floor);
  }

  /**
   * Everything the prepared reference depends on, or null when the classifier's weights have no
   * known origin.
   */
  private String cacheKey(int n) {
    if (classifier.weightsHash() == null) return null;
    Engine engine = Engine.getInstance();
    return String.join(
        "\n",
        "code " + ReferenceCache.codeHash(),
        "classifier sha256:" + classifier.weightsHash(),
        "engine " + engine.getEngineName() + " " + engine.getVersion(),
        "reference " + reference.identity(),
        "floor " + realSample.identity() + " shuffled by seed " + FLOOR_SHUFFLE,
        "generated " + n,
        "metrics " + OPTIONS);
  }

  private EvalReport report(double[][] features, int[] predicted, int n) {
    EvalReport.Scores model = evaluator.scores(features, prepared.reference());
    return new EvalReport(
        model,
        prepared.floor(),
        ClassHistogram.of(predicted, classifier.classes()),
        ClassHistogram.of(prepared.predicted(), classifier.classes()),
        n,
        reference.count(),
        OPTIONS.seed());
  }

  /**
   * Mean and covariance of the reference images' features: what the Fréchet distance of a sample
   * too large for {@link #evaluate} (summarised elsewhere, e.g. in shards) is measured against.
   */
  public GaussianStats referenceStats() {
    if (prepared != null) return prepared.reference().stats();
    return GaussianStats.of(classifier.features(reference.pixels(), reference.count()));
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
    StreamFiles.appendString(csv, text);
  }

  @Override
  public void close() {
    classifier.close();
  }
}
