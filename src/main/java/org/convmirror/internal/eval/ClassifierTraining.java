package org.convmirror.internal.eval;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.convmirror.internal.data.IdxFolder;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;

/**
 * Trains the Fashion-MNIST (or MNIST) feature classifier from the four IDX files of a dataset
 * directory and saves it with its provenance; the entry point behind {@code convmirror classifier
 * train}.
 */
public final class ClassifierTraining {
  /** Where Fashion-MNIST is installed on the project's machines. */
  public static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");

  /** Epochs of the shipped classifier: ≥ 90% test accuracy within a few minutes on 2 cores. */
  public static final int DEFAULT_EPOCHS = 5;

  public static final long DEFAULT_SEED = 20240611L;

  private ClassifierTraining() {}

  /**
   * Trains on {@code train-*-ubyte.gz}, measures accuracy on {@code t10k-*-ubyte.gz}, saves weights
   * to {@code out} and provenance to its {@code .json} sidecar, and returns the classifier.
   */
  public static FeatureClassifier train(
      Path dataDir, Path out, int epochs, long seed, String command, PrintStream log)
      throws IOException {
    Path trainImages = dataDir.resolve("train-images-idx3-ubyte.gz");
    Path trainLabels = dataDir.resolve("train-labels-idx1-ubyte.gz");
    Path testImages = dataDir.resolve("t10k-images-idx3-ubyte.gz");
    Path testLabels = dataDir.resolve("t10k-labels-idx1-ubyte.gz");
    ImageSet train = IdxFolder.read(dataDir, Split.TRAIN);
    int[] trainY = train.labels();
    ImageSet test = IdxFolder.read(dataDir, Split.TEST);
    int[] testY = test.labels();
    log.printf(
        "training %s on %d images of %d×%d for %d epochs, seed %d%n",
        FeatureClassifier.ARCHITECTURE, train.count(), train.height(), train.width(), epochs, seed);
    long started = System.nanoTime();
    FeatureClassifier classifier = FeatureClassifier.create(1, train.height(), train.width(), 10);
    classifier.train(train.pixels(), trainY, epochs, seed, progress(log, started));
    double trainingSeconds = seconds(started);
    double accuracy = classifier.accuracy(test.pixels(), testY);
    log.printf("test accuracy %.4f after %.0f s%n", accuracy, trainingSeconds);
    String dataset =
        String.format(
            "%s: %s sha256=%s, %s sha256=%s; test accuracy on %s (%d images)",
            dataDir.getFileName(),
            trainImages.getFileName(),
            sha256(trainImages),
            trainLabels.getFileName(),
            sha256(trainLabels),
            testImages.getFileName(),
            test.count());
    classifier.withInfo(
        info(classifier, dataset, accuracy, epochs, seed, trainingSeconds, command));
    classifier.save(out);
    log.printf("saved %s and %s%n", out, ClassifierInfo.sidecarOf(out));
    return classifier;
  }

  /**
   * {@code ClassifierTraining [--data DIR] [--out FILE.params] [--epochs N] [--seed S]}: trains and
   * saves; defaults reproduce the shipped classifier.
   */
  public static void main(String[] args) throws IOException {
    Path data = DEFAULT_DATA;
    Path out = Path.of("fashion-mnist-classifier.params");
    int epochs = DEFAULT_EPOCHS;
    long seed = DEFAULT_SEED;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String command =
        "mvn -B -q -o package -DskipTests && java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 "
            + "-cp 'target/classes:target/lib/*' org.convmirror.internal.eval.ClassifierTraining"
            + " --data "
            + data
            + " --out "
            + out
            + " --epochs "
            + epochs
            + " --seed "
            + seed;
    try (FeatureClassifier ignored = train(data, out, epochs, seed, command, System.out)) {
      // trained and saved
    }
  }

  /** Logs every 100th step and the last, with the seconds since {@code started}. */
  static java.util.function.Consumer<FeatureClassifier.Progress> progress(
      PrintStream log, long started) {
    return p -> {
      if (p.step() % 100 == 0 || p.step() == p.steps()) {
        log.printf(
            "epoch %d/%d step %d/%d loss %.4f (%.0f s)%n",
            p.epoch(), p.epochs(), p.step(), p.steps(), p.loss(), seconds(started));
      }
    };
  }

  /** The provenance a trained classifier is saved with. */
  static ClassifierInfo info(
      FeatureClassifier classifier,
      String dataset,
      double accuracy,
      int epochs,
      long seed,
      double trainingSeconds,
      String command) {
    return new ClassifierInfo(
        FeatureClassifier.ARCHITECTURE + classifier.classes(),
        classifier.inputShape(),
        classifier.classes(),
        FeatureClassifier.FEATURE_DIM,
        dataset,
        accuracy,
        epochs,
        ClassifierTrainingLoop.BATCH,
        ClassifierTrainingLoop.LEARNING_RATE,
        seed,
        Math.round(trainingSeconds),
        Instant.now().toString(),
        command,
        String.format(
            "DJL %s, %s %s, Java %s",
            Engine.getDjlVersion(),
            Engine.getInstance().getEngineName(),
            Engine.getInstance().getVersion(),
            System.getProperty("java.version")));
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
