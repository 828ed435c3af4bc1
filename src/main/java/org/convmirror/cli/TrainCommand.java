package org.convmirror.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.convmirror.Training;
import org.convmirror.spec.ModelKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convmirror train}: flags to {@link Training}'s settings, nothing else. Each group of flags
 * maps onto its record ({@link TrainFlags}, {@link AdamFlags}, {@link GanFlags}, {@link VaeFlags});
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
    Training.Result r;
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
      r = Training.resume(resume, train.epochs, System.out, interactive);
    } else {
      Training t = train.applyTo(Training.of(model)).threads(engine.threads);
      boolean isGan = t.spec().kind() == ModelKind.GAN;
      String other = isGan ? "vae" : "gan";
      List<String> ignored = given.stream().filter(flagsOf(other)::contains).toList();
      if (!ignored.isEmpty()) {
        System.out.println(
            "warning: "
                + model
                + " is a "
                + t.spec().kind()
                + ", so the "
                + other.toUpperCase(Locale.ROOT)
                + " flags "
                + String.join(", ", ignored)
                + " do not apply to it");
      }
      if (isGan) t.gan(gan.options(adam));
      else t.vae(vae.options(adam));
      List<String> command = new ArrayList<>(List.of("convmirror"));
      command.addAll(Main.arguments());
      r = t.commandLine(command).console(System.out, interactive).train();
    }
    if (r.trained()) System.out.println("done: " + r.summary());
    return 0;
  }

  /** The long names of the flags of one mixin ({@code gan}, {@code vae}). */
  private List<String> flagsOf(String mixin) {
    return spec.mixins().get(mixin).options().stream().map(OptionSpec::longestName).toList();
  }
}
