package org.convmirror.internal.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.convmirror.error.UsageException;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.run.DiskFullException;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.run.OutputLock;
import org.convmirror.internal.run.Progress;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.run.StagedFolder;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.Randomness;
import org.convmirror.spec.ImageShape;

/**
 * A sample of a trained model written into a folder, as {@code convmirror sample} writes it: {@code
 * samples.npy} (N, C, H, W) float32 in [0, 1], streamed chunk by chunk; {@code grid.png} of the
 * first 64 (one row per class for a conditional model asked for no class); {@code
 * interpolation.png}, eight walks through latent space; and with {@code png} every image as its own
 * PNG in {@code images/}.
 */
public final class SampleFolder {
  /** Rows of the interpolation strip. */
  static final int WALKS = 8;

  /** Images of the grid, from the head of the sample. */
  static final int GRID = 64;

  private SampleFolder() {}

  /**
   * What to draw.
   *
   * @param count images
   * @param seed the latent vectors' seed: image i is latent vector i of it
   * @param label a class of a conditional model, or {@link LoadedModel#ANY} for image i of class i
   *     mod classes
   * @param steps images per interpolation walk
   * @param png also every image as its own PNG
   */
  /** The most images one interpolation walk draws: its strip is already 256 images wide. */
  public static final int MAX_STEPS = 256;

  public record Settings(int count, long seed, int label, int steps, boolean png) {
    public Settings {
      if (count < 1) throw new UsageException("--count must be ≥ 1, was " + count);
      if (steps < 2 || steps > MAX_STEPS) {
        throw new UsageException(
            "--steps must be 2 to " + MAX_STEPS + " (images per interpolation walk), was " + steps);
      }
    }
  }

  /** The folder {@code sample} uses by default: {@code seed-0}, or {@code seed-0-class-7}. */
  public static String defaultName(Settings s) {
    return "seed-" + s.seed() + (s.label() == LoadedModel.ANY ? "" : "-class-" + s.label());
  }

  /**
   * Draws the sample into {@code dir} (made if absent), with a progress line on {@code console}.
   */
  public static void write(LoadedModel model, Settings s, Path dir, PrintStream console)
      throws IOException {
    checkOut(dir);
    if (s.label() != LoadedModel.ANY) model.checkLabel(s.label());
    ImageShape image = model.image();
    // samples.npy's floats, and as much again for the PNGs (they compress, but noise does not).
    long bytes = (long) s.count() * image.size() * Float.BYTES * (s.png() ? 2 : 1);
    DiskFullException.requireSpace(
        dir,
        bytes,
        "sample --count " + s.count(),
        "lower --count" + (s.png() ? " or drop --png" : ""));
    try (OutputLock lock = OutputLock.acquire(dir, "--out");
        StagedFolder stage = StagedFolder.open(dir)) {
      try {
        draw(model, s, stage.path(), console);
      } catch (IOException e) {
        throw stage.named(e);
      }
      stage.publish();
      removeStaleImages(dir.resolve("images"), s.png() ? s.count() : 0);
    }
  }

  private static void draw(LoadedModel model, Settings s, Path dir, PrintStream console)
      throws IOException {
    ImageShape image = model.image();
    int per = image.size();
    float[] first = new float[Math.min(s.count(), GRID) * per];
    Progress bar =
        Progress.builder(console)
            .total(s.count())
            .optLabel("sampling")
            .optUnit("img")
            .optInteractive(System.console() != null)
            .optPercentStep(25)
            .build();
    Npy.write(
        dir.resolve("samples.npy"),
        new long[] {s.count(), image.channels(), image.height(), image.width()},
        sink ->
            model.sample(
                s.count(),
                s.seed(),
                s.label(),
                (done, n, x) -> {
                  sink.write(x, 0, x.length);
                  if (done * per < first.length) {
                    System.arraycopy(
                        x, 0, first, done * per, Math.min(x.length, first.length - done * per));
                  }
                  if (s.png()) writePngs(dir.resolve("images"), x, n, done, image);
                  bar.step(n);
                }));
    bar.finish();
    if (model.conditioning() != null && s.label() == LoadedModel.ANY) {
      classGrid(model, s.seed()).write(dir.resolve("grid.png"));
    } else {
      grid(first, first.length / per, image).write(dir.resolve("grid.png"));
    }
    interpolation(model, s).write(RunLayout.interpolationFile(dir));
  }

  /** Removes the numbered PNGs of an earlier, larger sample, so images/ is this sample's alone. */
  private static void removeStaleImages(Path images, int keep) throws IOException {
    if (!Files.isDirectory(images, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (var files = Files.newDirectoryStream(images, "[0-9][0-9][0-9][0-9][0-9]*.png")) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        String digits = n.substring(0, n.length() - 4);
        if (digits.chars().allMatch(Character::isDigit)
            && (digits.length() > 9 || Integer.parseInt(digits) >= keep)) {
          Files.delete(f);
        }
      }
    }
  }

  /** Refuses, in one line, an output folder that is a file. */
  public static void checkOut(Path dir) {
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException(
          "--out " + dir + " is a file, not a folder; give a folder for the samples to go in");
    }
  }

  private static ImageGrid grid(float[] x, int n, ImageShape s) {
    return ImageGrid.of(new ImageBatch(x, n, s.channels(), s.height(), s.width()))
        .optRange(0, 1)
        .optScale(GanSampler.scale(s.height()));
  }

  /**
   * One row per class, one column per latent vector (the sample's first ten): what each class looks
   * like, and what a latent vector keeps across classes.
   */
  private static ImageGrid classGrid(LoadedModel model, long seed) {
    int latent = model.latentSize();
    ClassLabels.Grid g =
        ClassLabels.Grid.of(
            Randomness.latents(seed, 0, ClassLabels.GRID_COLUMNS, latent),
            latent,
            model.conditioning().classes());
    return grid(model.decode(g.z(), g.labels(), g.count()), g.count(), model.image())
        .optCols(g.cols());
  }

  /**
   * Eight rows, each walking the great circle between two latent vectors (White 2016); in a
   * conditional model all of the asked class, or row r of class r mod classes.
   */
  private static ImageGrid interpolation(LoadedModel model, Settings s) {
    int latent = model.latentSize();
    int steps = s.steps();
    Random r = new Random(s.seed() + 1);
    float[] z = new float[WALKS * steps * latent];
    for (int row = 0; row < WALKS; row++) {
      double[] a = gaussian(r, latent);
      double[] b = gaussian(r, latent);
      double omega =
          Math.acos(Math.max(-1, Math.min(1, dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)))));
      for (int k = 0; k < steps; k++) {
        double t = k / (double) (steps - 1);
        double wa = omega < 1e-6 ? 1 - t : Math.sin((1 - t) * omega) / Math.sin(omega);
        double wb = omega < 1e-6 ? t : Math.sin(t * omega) / Math.sin(omega);
        for (int i = 0; i < latent; i++) {
          z[(row * steps + k) * latent + i] = (float) (wa * a[i] + wb * b[i]);
        }
      }
    }
    int[] labels = null;
    if (model.conditioning() != null) {
      labels = new int[WALKS * steps];
      int classes = model.conditioning().classes();
      for (int i = 0; i < labels.length; i++) {
        labels[i] = s.label() != LoadedModel.ANY ? s.label() : (i / steps) % classes;
      }
    }
    int n = WALKS * steps;
    return grid(model.decode(z, labels, n), n, model.image()).optCols(steps);
  }

  private static double[] gaussian(Random r, int n) {
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
      float[] one = Arrays.copyOfRange(x, i * per, (i + 1) * per);
      ImageGrid.of(new ImageBatch(one, 1, s.channels(), s.height(), s.width()))
          .optRange(0, 1)
          .optPadding(0, 0)
          .write(dir.resolve(String.format(Locale.ROOT, "%05d.png", offset + i)));
    }
  }
}
