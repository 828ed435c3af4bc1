package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.job.TrainJob;
import org.convmirror.internal.job.TrainPlan;
import org.convmirror.spec.ModelKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convmirror train}: flags to a {@link TrainPlan}, nothing else. Each group of flags maps
 * onto its record ({@link TrainFlags}, {@link AdamFlags}, {@link GanFlags}, {@link VaeFlags});
 * every option left out keeps the default documented at its field.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a GAN (generator mirrored from a declared discriminator) or a VAE (decoder mirrored).",
      "With no options: the default DCGAN on Fashion-MNIST for 5 epochs."
    })
final class TrainCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = "dcgan28",
      paramLabel = "NAME|FILE",
      description = "Built-in model (dcgan28, vae28, dcgan64) or a model file. Default: dcgan28.")
  String model;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a run.")
  Path resume;

  @Option(
      names = "--seeds",
      split = ",",
      paramLabel = "S1,S2,...",
      description =
          "One run per seed (NAME-seedS), each scored on --score-count images; prints mean ± std.")
  List<Long> seeds;

  @Option(
      names = "--score-count",
      paramLabel = "N",
      description = "With --seeds: images scored per run. Default: 10000.")
  int scoreCount = 10_000;

  @Option(names = "--quiet", description = "Log lines instead of a live progress bar.")
  boolean quiet;

  @Mixin TrainFlags train;
  @Mixin AdamFlags adam;
  @Mixin GanFlags gan;
  @Mixin VaeFlags vae;
  @Mixin ThreadsOption engine;
  @Spec CommandSpec spec;

  /** What a resumed run takes from the command line; it keeps every other setting it recorded. */
  private static final Set<String> RESUME_APPLIES =
      Set.of("--resume", "--epochs", "--quiet", "--verbose", "--help", "--version");

  @Override
  public Integer call() throws IOException {
    boolean interactive = !quiet && System.console() != null;
    List<String> given =
        spec.commandLine().getParseResult().matchedOptions().stream()
            .map(OptionSpec::longestName)
            .toList();
    if (resume != null) {
      List<String> ignored = given.stream().filter(f -> !RESUME_APPLIES.contains(f)).toList();
      if (!ignored.isEmpty()) {
        System.out.println(
            "warning: --resume continues "
                + resume
                + " with the settings it recorded, so it does not apply "
                + String.join(", ", ignored)
                + " (only --epochs and --quiet apply to a resumed run)");
      }
      report(TrainJob.resume(resume, train.epochs, System.out, interactive));
      return 0;
    }
    TrainPlan t = configure();
    warnAboutFlagsOfTheOtherKind(t.spec().kind(), given);
    if (seeds == null) {
      report(TrainJob.train(t, System.out, interactive));
    } else {
      // Checked here, before any run trains; the scoring's own check names --eval-count.
      if (scoreCount < 2) {
        throw new UsageException(
            "--score-count must be ≥ 2 (images scored per run), was " + scoreCount);
      }
      SeedRuns.train(seeds, this::configure, train, scoreCount, interactive);
    }
    return 0;
  }

  /** A fresh {@link TrainPlan} with every flag applied. */
  TrainPlan configure() {
    TrainPlan t = TrainPlan.of(model);
    if (gan.preset() != null) t.preset(gan.preset()); // refuses a VAE; before the flags it sets
    train.applyTo(t);
    t.train().threads(engine.threads);
    if (t.spec().kind() == ModelKind.GAN) t.gan(gan.options(adam, t.ganOptions()));
    else t.vae(vae.options(adam));
    List<String> command = new ArrayList<>(List.of("convmirror"));
    command.addAll(Main.arguments());
    return t.commandLine(command);
  }

  /** A GAN given VAE flags, or a VAE given GAN flags: name them, as they change nothing. */
  private void warnAboutFlagsOfTheOtherKind(ModelKind kind, List<String> given) {
    String other = kind == ModelKind.GAN ? "vae" : "gan";
    List<String> mine =
        spec.mixins().get(other).options().stream().map(OptionSpec::longestName).toList();
    List<String> ignored = given.stream().filter(mine::contains).toList();
    if (!ignored.isEmpty()) {
      System.out.println(
          "warning: "
              + model
              + " is a "
              + kind
              + ", so the "
              + other.toUpperCase(Locale.ROOT)
              + " flags "
              + String.join(", ", ignored)
              + " do not apply to it");
    }
  }

  private static void report(TrainJob.Outcome r) {
    if (r.trained()) System.out.println("done: " + r.summary());
  }
}
