package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeSampler;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.ImageShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convmirror reconstruct}: a VAE run's test images next to their reconstructions. */
@Command(
    name = "reconstruct",
    mixinStandardHelpOptions = true,
    description = {
      "Encode test images with a trained VAE and decode them again.",
      "Writes a grid of the images above their reconstructions and, optionally, a walk through latent space between two of them."
    })
final class ReconstructCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "RUN_DIR|CHECKPOINT",
      description = "A VAE run directory (latest checkpoint) or a checkpoint directory.")
  Path runDir;

  @Option(
      names = "--count",
      defaultValue = "8",
      paramLabel = "N",
      description = "Test images to reconstruct (from the first). Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(
      names = "--interpolate",
      arity = "2",
      paramLabel = "I",
      description = "Two test-image indices: decode --steps images between their latent means.")
  int[] interpolate;

  @Option(
      names = "--steps",
      defaultValue = "10",
      description = "Images in the interpolation strip. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where the PNGs go. Default: RUN_DIR/reconstructions.")
  Path out;

  @Mixin ThreadsOption engine;

  @Override
  public Integer call() throws IOException {
    if (count < 1) throw new UsageException("--count must be ≥ 1, was " + count);
    EngineSetup.configure(engine.threads);
    try (LoadedModel trained = SavedModel.open(runDir).forSampling(false, System.err)) {
      VaeModel model = trained.vae();
      Path dir = out != null ? out : new RunLayout(trained.runDirectory()).reconstructions();
      TrainConfig c = trained.config().train();
      ImageShape s = trained.spec().image();
      ImageSet test =
          DataSources.load(
              c.dataset(), c.data(), Split.TEST, s.channels(), s.height(), s.width(), c.seed());
      Files.createDirectories(dir);
      int scale = VaeSampler.scale(s.height());
      int cols = Math.min(count, 8);
      ImageBatch grid = VaeSampler.reconstructions(model, test, count, cols);
      Path gridFile = dir.resolve("reconstructions.png");
      ImageGrid.of(grid).optRange(0, 1).optCols(cols).optScale(scale).write(gridFile);
      System.out.println("wrote " + gridFile);
      if (interpolate != null) {
        int i = interpolate[0];
        int j = interpolate[1];
        for (int k : interpolate) {
          if (k < 0 || k >= test.count()) {
            throw new UsageException(
                "--interpolate index "
                    + k
                    + " is outside the test split's 0.."
                    + (test.count() - 1));
          }
        }
        ImageBatch strip =
            model.classes() == 0
                ? VaeSampler.interpolation(model, test.image(i), test.image(j), steps)
                : VaeSampler.interpolation(
                    model, test.image(i), test.label(i), test.image(j), test.label(j), steps);
        Path stripFile = dir.resolve(String.format(Locale.ROOT, "interpolate-%d-%d.png", i, j));
        ImageGrid.writeStrip(stripFile, strip, 0, 1, scale);
        System.out.println("wrote " + stripFile);
      }
    }
    return 0;
  }
}
