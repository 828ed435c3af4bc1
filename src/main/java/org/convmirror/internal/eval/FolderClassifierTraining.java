package org.convmirror.internal.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.convmirror.internal.data.BatchLoader;
import org.convmirror.internal.data.DataAccess;
import org.convmirror.internal.data.DataException;
import org.convmirror.internal.data.ImageFolder;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.spec.ImageShape;

/**
 * Trains the feature classifier on an image folder whose sub-folders are its classes, at a model's
 * image shape, so that images of that shape can be scored ({@code evaluate --classifier}). One
 * image in seven, drawn by the seed, is held out for the test accuracy (Fashion-MNIST's 10,000 of
 * 70,000); images are read from the folder's cache a batch at a time, never all at once.
 */
public final class FolderClassifierTraining {
  /** One image in this many is held out. */
  static final int HELD_OUT = 7;

  private FolderClassifierTraining() {}

  /** Trains on {@code folder} at {@code shape}, saves to {@code out} (+ .json), returns it. */
  public static FeatureClassifier train(
      Path folder,
      ImageShape shape,
      Path out,
      int epochs,
      long seed,
      String command,
      PrintStream log,
      DataAccess access)
      throws IOException {
    ImageSet all =
        ImageFolder.read(folder, shape.channels(), shape.height(), shape.width(), access);
    int classes = all.classNames().size();
    if (!all.hasLabels() || classes < 2) {
      throw new DataException(
          folder
              + ": a classifier needs classes, one sub-folder per class holding all its images"
              + " (found "
              + (all.hasLabels() ? "only one" : "images outside sub-folders")
              + ")");
    }
    int n = all.count();
    int held = n / HELD_OUT;
    if (held < 1) {
      throw new DataException(folder + ": " + n + " images are too few to hold one in seven out");
    }
    int[] order = BatchLoader.order(n, seed, 0);
    ImageSet test = all.subset(Arrays.copyOfRange(order, 0, held));
    ImageSet train = all.subset(Arrays.copyOfRange(order, held, n));
    log.printf(
        "training %s on %d images of %s (%d classes) for %d epochs, seed %d; %d held out%n",
        FeatureClassifier.ARCHITECTURE,
        train.count(),
        train.shape(),
        classes,
        epochs,
        seed,
        test.count());
    long started = System.nanoTime();
    FeatureClassifier classifier =
        FeatureClassifier.create(shape.channels(), shape.height(), shape.width(), classes);
    try {
      classifier.train(train, epochs, seed, ClassifierTraining.progress(log, started));
      double seconds = ClassifierTraining.seconds(started);
      double accuracy = accuracy(classifier, test);
      log.printf("test accuracy %.4f after %.0f s%n", accuracy, seconds);
      String dataset =
          String.format(
              "%s, %d training images; test accuracy on %d held out (one in %d, seed %d)",
              all.identity(), train.count(), test.count(), HELD_OUT, seed);
      classifier.withInfo(
          ClassifierTraining.info(classifier, dataset, accuracy, epochs, seed, seconds, command));
      classifier.save(out);
    } catch (IOException | RuntimeException e) {
      classifier.close();
      throw e;
    }
    log.printf("saved %s and %s%n", out, ClassifierInfo.sidecarOf(out));
    return classifier;
  }

  /** Accuracy on {@code test}, a thousand images at a time. */
  private static double accuracy(FeatureClassifier c, ImageSet test) {
    int[] labels = test.labels();
    int correct = 0;
    for (int from = 0; from < test.count(); from += 1000) {
      int k = Math.min(1000, test.count() - from);
      int[] range = new int[k];
      for (int i = 0; i < k; i++) range[i] = from + i;
      int[] predicted = c.predict(test.subset(range).pixels(), k);
      for (int i = 0; i < k; i++) correct += predicted[i] == labels[from + i] ? 1 : 0;
    }
    return (double) correct / test.count();
  }
}
