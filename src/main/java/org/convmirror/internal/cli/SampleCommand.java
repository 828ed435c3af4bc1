package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convmirror.internal.job.SampleFolder;
import org.convmirror.internal.model.GanFamily;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.spec.ImageShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convmirror sample}: images from a trained generator, as a grid, PNGs and .npy. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Draw images from a trained GAN generator or VAE decoder.",
      "Writes a grid PNG, a NumPy .npy array (N, C, H, W) float32 in [0, 1], optional individual PNGs and a latent interpolation strip.",
      "A conditional model takes --class; without it image i is of class i mod classes and grid.png shows one row per class."
    })
final class SampleCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "RUN_DIR|CHECKPOINT",
      description = "A run directory (latest checkpoint) or a checkpoint directory.")
  Path source;

  @Option(
      names = "--count",
      defaultValue = "64",
      description = "Images to draw. Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seeds the latent vectors. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: RUN_DIR/sampled/seed-SEED).")
  Path out;

  @Option(names = "--png", description = "Also write every image as its own PNG.")
  boolean png;

  @Option(
      names = "--steps",
      defaultValue = "10",
      description = "Images per interpolation row. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(
      names = "--class",
      paramLabel = "NAME|INDEX",
      description =
          "Conditional model: draw every image of this class (a class name of the training data,"
              + " e.g. sneaker, or its index).")
  String className;

  @Option(
      names = "--raw",
      description = "GAN: use the trained generator instead of its weight average (EMA).")
  boolean raw;

  @Mixin ThreadsOption engine;

  @Override
  public Integer call() throws IOException {
    SampleFolder.Settings s = new SampleFolder.Settings(count, seed, LoadedModel.ANY, steps, png);
    SampleFolder.checkOut(out);
    EngineSetup.configure(engine.threads);
    try (LoadedModel model = SavedModel.open(source).forSampling(raw, System.err)) {
      if (className != null) {
        s = new SampleFolder.Settings(count, seed, model.classIndex(className), steps, png);
      }
      Path dir =
          out != null
              ? out
              : new RunLayout(model.runDirectory()).sampled(SampleFolder.defaultName(s));
      if (model.config().gan() != null) {
        System.out.println("from " + GanFamily.whySampling(raw, model.config().gan().average()));
      }
      SampleFolder.write(model, s, dir, System.out);
      ImageShape image = model.image();
      int label = s.label();
      System.out.printf(
          Locale.ROOT,
          "wrote %d samples%s to %s: samples.npy (%d, %d, %d, %d) float32 in [0, 1], grid.png,"
              + " interpolation.png%s%n",
          count,
          label < 0 ? "" : " of class " + label + " (" + model.conditioning().name(label) + ")",
          dir,
          count,
          image.channels(),
          image.height(),
          image.width(),
          png ? ", images/*.png" : "");
    }
    return 0;
  }
}
