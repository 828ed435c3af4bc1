package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.IdxFolder;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.eval.ClassifierTraining;
import org.convmirror.internal.eval.FeatureClassifier;
import org.convmirror.internal.eval.FolderClassifierTraining;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.DecodeProgress;
import org.convmirror.internal.run.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code convmirror classifier train}: the frozen feature extractor for evaluation. */
@Command(
    name = "classifier",
    mixinStandardHelpOptions = true,
    description = "Train the feature classifiers that 'evaluate' scores images with.",
    subcommands = {ClassifierCommand.Train.class})
final class ClassifierCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Trains a classifier on a folder of IDX files (train and t10k splits, with labels), or on an
   * image folder with one sub-folder per class.
   */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Train a feature classifier and save it (.params + .json): on labelled IDX data (train and",
        "t10k files), or on an image folder with one sub-folder per class at a model's image shape",
        "(--model or --size; one image in seven held out for the test accuracy)."
      })
  static final class Train implements Callable<Integer> {
    @Option(
        names = "--data",
        paramLabel = "DIR",
        description =
            "Folder with the four IDX files, or an image folder. Default: ${DEFAULT-VALUE}.")
    Path data = ClassifierTraining.DEFAULT_DATA;

    @Option(
        names = "--model",
        paramLabel = "NAME|FILE",
        description = "Image folders: classify this model's image shape (e.g. dcgan64).")
    String model;

    @Option(
        names = "--size",
        paramLabel = "CxHxW",
        description = "Image folders: or this shape (3x64x64). Default: 3x64x64.")
    String size;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "Where to write the weights (.params); the .json goes beside it.")
    Path out;

    @Option(names = "--epochs", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--seed", defaultValue = "20240611", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin ThreadsOption engine;

    @Override
    public Integer call() throws IOException {
      if (epochs < 1) throw new UsageException("--epochs must be ≥ 1, was " + epochs);
      EngineSetup.configure(engine.threads);
      String command = "convmirror " + String.join(" ", Main.arguments());
      boolean idx = IdxFolder.holds(data, Split.TRAIN);
      if (idx && (model != null || size != null)) {
        throw new UsageException(
            data + " holds IDX files, whose shape is their own; leave out --model and --size");
      }
      try (FeatureClassifier c =
          idx || !Files.isDirectory(data)
              ? ClassifierTraining.train(data, out, epochs, seed, command, System.out)
              : FolderClassifierTraining.train(
                  data,
                  DataCommand.shape(model, size),
                  out,
                  epochs,
                  seed,
                  command,
                  System.out,
                  DecodeProgress.access(System.out, Progress.detectInteractive()))) {
        System.out.printf("saved %s (test accuracy %.4f)%n", out, c.info().testAccuracy());
      }
      return 0;
    }
  }
}
