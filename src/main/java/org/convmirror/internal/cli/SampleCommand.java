package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convmirror.Images;
import org.convmirror.TrainedModel;
import org.convmirror.error.UsageException;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.run.Progress;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.Randomness;
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
    if (count < 1) throw new UsageException("--count must be ≥ 1, was " + count);
    if (steps < 2) throw new UsageException("--steps must be ≥ 2, was " + steps);
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException(
          "--out " + out + " is a file, not a folder; give a folder for the samples to go in");
    }
    EngineSetup.configure(engine.threads);
    try (TrainedModel model = TrainedModel.open(source, raw)) {
      int label = className == null ? -1 : model.classIndex(className);
      Path dir =
          out != null ? out : new RunLayout(model.runDirectory()).sampled(folder(model, label));
      Files.createDirectories(dir);
      ImageShape image = model.spec().image();
      int per = image.size();
      float[] first = new float[Math.min(count, 64) * per];
      Progress bar =
          Progress.builder(System.out)
              .total(count)
              .optLabel("sampling")
              .optUnit("img")
              .optInteractive(System.console() != null)
              .optPercentStep(25)
              .build();
      Npy.write(
          dir.resolve("samples.npy"),
          new long[] {count, image.channels(), image.height(), image.width()},
          sink ->
              draw(
                  model,
                  label,
                  (done, chunk) -> {
                    float[] x = chunk.pixels();
                    sink.write(x, 0, x.length);
                    if (done * per < first.length) {
                      System.arraycopy(
                          x, 0, first, done * per, Math.min(x.length, first.length - done * per));
                    }
                    if (png) writePngs(dir.resolve("images"), x, chunk.count(), done, image);
                    bar.step(chunk.count());
                  }));
      bar.finish();
      int shown = first.length / per;
      if (model.conditioning() != null && label < 0) {
        classGrid(model, image).write(dir.resolve("grid.png"));
      } else {
        new Images(first, shown, image)
            .writeGrid(dir.resolve("grid.png"), GanSampler.scale(image.height()));
      }
      interpolation(model, image, label).write(dir.resolve("interpolation.png"));
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

  /** The {@code --count} images, all of class {@code label} if one was asked for (≥ 0). */
  private void draw(TrainedModel model, int label, TrainedModel.ChunkSink sink) throws IOException {
    if (label < 0) model.sample(count, seed, sink);
    else model.sample(count, seed, label, sink);
  }

  /** {@code seed-0}, or {@code seed-0-class-7} for one class. */
  private String folder(TrainedModel model, int label) {
    return "seed-" + seed + (label < 0 ? "" : "-class-" + label);
  }

  /**
   * One row per class, one column per latent vector (the sample's first ten): what each class looks
   * like, and what a latent vector keeps across classes.
   */
  private ImageGrid classGrid(TrainedModel model, ImageShape image) {
    int latent = model.latentSize();
    ClassLabels.Grid g =
        ClassLabels.Grid.of(
            Randomness.latents(seed, 0, ClassLabels.GRID_COLUMNS, latent),
            latent,
            model.conditioning().classes());
    float[] x = model.decode(g.z(), g.labels(), g.count()).pixels();
    return ImageGrid.of(
            new ImageBatch(x, g.count(), image.channels(), image.height(), image.width()))
        .optRange(0, 1)
        .optCols(g.cols())
        .optScale(GanSampler.scale(image.height()));
  }

  /**
   * Eight rows, each walking the great circle between two latent vectors (White 2016); in a
   * conditional model all of {@code label}'s class, or row r of class r mod classes.
   */
  private ImageGrid interpolation(TrainedModel model, ImageShape image, int label) {
    int latent = model.latentSize();
    int rows = 8;
    java.util.Random r = new java.util.Random(seed + 1);
    float[] z = new float[rows * steps * latent];
    for (int row = 0; row < rows; row++) {
      double[] a = gaussian(r, latent);
      double[] b = gaussian(r, latent);
      double omega =
          Math.acos(Math.max(-1, Math.min(1, dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)))));
      for (int s = 0; s < steps; s++) {
        double t = s / (double) (steps - 1);
        double wa = omega < 1e-6 ? 1 - t : Math.sin((1 - t) * omega) / Math.sin(omega);
        double wb = omega < 1e-6 ? t : Math.sin(t * omega) / Math.sin(omega);
        for (int k = 0; k < latent; k++)
          z[(row * steps + s) * latent + k] = (float) (wa * a[k] + wb * b[k]);
      }
    }
    int[] labels = null;
    if (model.conditioning() != null) {
      labels = new int[rows * steps];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = label >= 0 ? label : (i / steps) % model.conditioning().classes();
      }
    }
    float[] x = model.decode(z, labels, rows * steps).pixels();
    return ImageGrid.of(
            new ImageBatch(x, rows * steps, image.channels(), image.height(), image.width()))
        .optRange(0, 1)
        .optCols(steps)
        .optScale(GanSampler.scale(image.height()));
  }

  private static double[] gaussian(java.util.Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  private static void writePngs(Path dir, float[] x, int n, int offset, ImageShape s)
      throws IOException {
    Files.createDirectories(dir);
    int per = s.size();
    for (int i = 0; i < n; i++) {
      float[] one = java.util.Arrays.copyOfRange(x, i * per, (i + 1) * per);
      ImageGrid.of(new ImageBatch(one, 1, s.channels(), s.height(), s.width()))
          .optRange(0, 1)
          .optPadding(0, 0)
          .write(dir.resolve(String.format(Locale.ROOT, "%05d.png", offset + i)));
    }
  }
}
