package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.eval.ClassifierTraining;
import org.convmirror.internal.eval.FeatureClassifier;
import org.convmirror.internal.nn.EngineSetup;
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

  /** Trains a classifier on a folder of IDX files (train and t10k splits, with labels). */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description =
          "Train a feature classifier on labelled IDX data and save it (.params + .json).")
  static final class Train implements Callable<Integer> {
    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Folder with the four IDX files. Default: ${DEFAULT-VALUE}.")
    Path data = ClassifierTraining.DEFAULT_DATA;

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
      try (FeatureClassifier c =
          ClassifierTraining.train(data, out, epochs, seed, command, System.out)) {
        System.out.printf("saved %s (test accuracy %.4f)%n", out, c.info().testAccuracy());
      }
      return 0;
    }
  }
}
