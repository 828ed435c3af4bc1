package org.convmirror.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.convmirror.Training;
import org.convmirror.spec.ModelKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

  @Override
  public Integer call() throws IOException {
    boolean interactive = !quiet && System.console() != null;
    Training.Result r;
    if (resume != null) {
      r = Training.resume(resume, train.epochs, System.out, interactive);
    } else {
      Training t = training();
      List<String> command = new ArrayList<>(List.of("convmirror"));
      command.addAll(Main.arguments());
      r = t.commandLine(command).console(System.out, interactive).train();
    }
    if (r.trained()) System.out.println("done: " + r.summary());
    return 0;
  }

  /** The new run these flags describe, not yet trained ({@code spark sweep} checks its points). */
  Training training() {
    Training t = train.applyTo(Training.of(model)).threads(engine.threads);
    if (t.spec().kind() == ModelKind.GAN) t.gan(gan.options(adam));
    else t.vae(vae.options(adam));
    return t;
  }
}
