package org.convmirror.internal.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Fashion-MNIST (all 70,000 images: train, then test) written as tinted RGB PNGs of any size in one
 * sub-folder per class ({@code 0-t-shirt-top}, …, {@code 9-ankle-boot}): a colour image folder for
 * tests, benchmarks and the README, generated rather than committed.
 *
 * <p>Each image gets its own tint: a hue drawn within ±36° of its class's hue (classes sit 36°
 * apart, so neighbours overlap), saturation in [0.55, 1], full brightness, multiplying the gray
 * garment on its black ground. Colour is thus a cue to the class, as in photographs, but not a
 * label: a generator must learn shape and colour together, and a classifier trained on the folder
 * cannot score by colour alone. Past 70,000 images the garments repeat in new tints.
 */
public final class TintedFashionMnist {
  /** The class sub-folders, in label order (their sorted order). */
  public static final List<String> FOLDERS =
      IntStream.range(0, FashionMnist.CLASS_NAMES.size())
          .mapToObj(
              i ->
                  i
                      + "-"
                      + FashionMnist.CLASS_NAMES
                          .get(i)
                          .toLowerCase(Locale.ROOT)
                          .replaceAll("[^a-z]+", "-"))
          .toList();

  private TintedFashionMnist() {}

  /**
   * Writes {@code count} images of {@code side}×{@code side} under {@code out} (new or empty) from
   * the Fashion-MNIST files in {@code fashionDir} (null: the installed or cached copy).
   */
  public static void write(
      Path fashionDir,
      Path out,
      int count,
      int side,
      long seed,
      int threads,
      LongFunction<DataAccess.Meter> progress)
      throws IOException {
    if (count < 1) throw new DataException("--count must be ≥ 1, was " + count);
    if (side < 28) throw new DataException("--size must be ≥ 28 (the garments' size), was " + side);
    if (Files.exists(out) && (!Files.isDirectory(out) || hasEntries(out))) {
      throw new DataException(out + " exists and is not an empty folder; name a new folder");
    }
    ImageSet train = FashionMnist.load(fashionDir, Split.TRAIN);
    ImageSet test = FashionMnist.load(fashionDir, Split.TEST);
    for (String folder : FOLDERS) Files.createDirectories(out.resolve(folder));
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    DataAccess.Meter meter = progress.apply(count);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      int chunk = 256;
      List<Future<?>> jobs = new java.util.ArrayList<>();
      for (int from = 0; from < count; from += chunk) {
        int start = from;
        int end = Math.min(count, from + chunk);
        jobs.add(
            pool.submit(
                () -> {
                  for (int i = start; i < end; i++) writeOne(train, test, out, i, side, seed);
                  meter.step(end - start);
                }));
      }
      for (Future<?> job : jobs) job.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
      meter.finish();
    }
  }

  private static void writeOne(
      ImageSet train, ImageSet test, Path out, int i, int side, long seed) {
    int s = i % (train.count() + test.count());
    ImageSet from = s < train.count() ? train : test;
    int j = s < train.count() ? s : s - train.count();
    BufferedImage image = tinted(from.image(j), from.label(j), side, seed, i);
    Path file = out.resolve(FOLDERS.get(from.label(j))).resolve(String.format("%06d.png", i));
    try {
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 28×28 gray garment (floats in [-1, 1]) tinted for image {@code i} and resized. */
  static BufferedImage tinted(float[] gray, int label, int side, long seed, long i) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(seed, i));
    float hue = (float) ((label * 36 + (r.nextDouble() * 72 - 36)) / 360.0);
    float saturation = (float) (0.55 + 0.45 * r.nextDouble());
    Color tint = new Color(Color.HSBtoRGB(hue - (float) Math.floor(hue), saturation, 1f));
    BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < 28 * 28; p++) {
      float v = ImageSet.toUnitRange(gray[p]);
      int rgb =
          Math.round(v * tint.getRed()) << 16
              | Math.round(v * tint.getGreen()) << 8
              | Math.round(v * tint.getBlue());
      small.setRGB(p % 28, p / 28, rgb);
    }
    BufferedImage big = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = big.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(small, 0, 0, side, side, null);
    g.dispose();
    return big;
  }

  private static boolean hasEntries(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }
}
