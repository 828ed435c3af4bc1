package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.BatchLoader;
import org.convmirror.internal.data.DataAccess;
import org.convmirror.internal.data.FolderInspection;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.TintedFashionMnist;
import org.convmirror.internal.run.DecodeProgress;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.Progress;
import org.convmirror.spec.ImageShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convmirror data}: look at an image folder before training on it, or make one. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Inspect an image folder (and decode it into the cache), or write an example one.",
    subcommands = {DataCommand.Inspect.class, DataCommand.Example.class})
final class DataCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Images found and skipped, sizes, modes, classes, the cache, and a contact sheet. */
  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description = {
        "Report what an image folder holds at the model's image shape: images found, files",
        "skipped and why, sizes and colour modes, classes (sub-folders) with counts, and the",
        "decoded cache (hit, miss, stale; decoding it now if needed, so training starts at once);",
        "writes a contact sheet of random images as the model will see them."
      })
  static final class Inspect implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The image folder.")
    Path folder;

    @Option(
        names = "--model",
        paramLabel = "NAME|FILE",
        description = "Inspect at this model's image shape (built-in name or model file).")
    String model;

    @Option(
        names = "--size",
        paramLabel = "CxHxW",
        description = "Or this shape: 3x64x64, 1x28x28, 64x64 (RGB) or 64. Default: 3x64x64.")
    String size;

    @Option(
        names = "--sheet",
        paramLabel = "FILE",
        description = "Contact sheet PNG. Default: FOLDER-contact-sheet.png here.")
    Path sheet;

    @Option(names = "--samples", defaultValue = "64", description = "Images on the sheet.")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Picks the sheet's images.")
    long seed;

    @Option(
        names = "--list",
        paramLabel = "N",
        defaultValue = "20",
        description = "Skipped files, other files and classes listed. Default: ${DEFAULT-VALUE}.")
    int list;

    @Option(
        names = "--threads",
        defaultValue = "0",
        description = "Decoding threads (0: one per core).")
    int threads;

    @Option(names = "--rebuild", description = "Decode again even if the cache is up to date.")
    boolean rebuild;

    @Override
    public Integer call() throws IOException {
      if (samples < 1) throw new UsageException("--samples must be ≥ 1, was " + samples);
      if (list < 0) throw new UsageException("--list must be ≥ 0, was " + list);
      if (threads < 0) throw new UsageException("--threads must be ≥ 0, was " + threads);
      ImageShape shape = shape(model, size);
      DataAccess access =
          DecodeProgress.access(System.out, Progress.detectInteractive()).withThreads(threads);
      FolderInspection inspection =
          FolderInspection.of(
              folder, shape.channels(), shape.height(), shape.width(), access, rebuild);
      System.out.print(inspection.text(list));
      Path out = sheet != null ? sheet : Path.of(name(folder) + "-contact-sheet.png");
      int n = writeSheet(inspection.images(), out);
      System.out.printf(
          Locale.ROOT, "%-8s %s (%d random images as the model sees them)%n", "sheet", out, n);
      return 0;
    }

    private int writeSheet(ImageSet images, Path out) throws IOException {
      int n = Math.min(samples, images.count());
      int[] pick = Arrays.copyOf(BatchLoader.order(images.count(), seed, 0), n);
      int size = images.imageSize();
      float[] pixels = new float[n * size];
      for (int k = 0; k < n; k++) images.copyImage(pick[k], pixels, k * size);
      ImageBatch batch =
          new ImageBatch(pixels, n, images.channels(), images.height(), images.width());
      ImageGrid.of(batch).optRange(-1, 1).optScale(images.height() < 48 ? 2 : 1).write(out);
      return n;
    }

    private static String name(Path folder) {
      Path abs = folder.toAbsolutePath().normalize();
      return abs.getFileName() == null ? "folder" : abs.getFileName().toString();
    }
  }

  /** Fashion-MNIST written as tinted RGB PNGs in class sub-folders, to try image folders on. */
  @Command(
      name = "example",
      mixinStandardHelpOptions = true,
      description = {
        "Write Fashion-MNIST as tinted 64x64 RGB PNGs in one sub-folder per class: a colour image",
        "folder to try 'data inspect', 'train --data' and 'classifier train' on."
      })
  static final class Example implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Where to write (new or empty).")
    Path out;

    @Option(
        names = "--count",
        defaultValue = "70000",
        description =
            "Images; past 70000 the shapes repeat in new tints. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--size", defaultValue = "64", description = "Side in pixels. Default: 64.")
    int side;

    @Option(names = "--seed", defaultValue = "0", description = "Seeds the tints. Default: 0.")
    long seed;

    @Option(
        names = "--fashion-mnist",
        paramLabel = "DIR",
        description = "Fashion-MNIST's IDX files. Default: the installed or cached copy.")
    Path source;

    @Option(names = "--threads", defaultValue = "0", description = "Threads (0: one per core).")
    int threads;

    @Override
    public Integer call() throws IOException {
      TintedFashionMnist.write(
          source, out, count, side, seed, threads, DecodeProgress.writing(System.out));
      System.out.printf(
          Locale.ROOT, "wrote %d images of 3×%d×%d under %s%n", count, side, side, out);
      return 0;
    }
  }

  /** The shape of {@code --model} or {@code --size}, or dcgan64's 3×64×64. */
  static ImageShape shape(String model, String size) {
    if (model != null && size != null) {
      throw new UsageException("give --model or --size, not both");
    }
    if (model != null) return ModelFiles.resolve(model).image();
    if (size == null) return ImageShape.of(3, 64, 64);
    String[] parts = size.toLowerCase(Locale.ROOT).split("[x×]");
    try {
      int[] v = Arrays.stream(parts).mapToInt(p -> Integer.parseInt(p.strip())).toArray();
      ImageShape s =
          switch (v.length) {
            case 1 -> ImageShape.of(3, v[0], v[0]);
            case 2 -> ImageShape.of(3, v[0], v[1]);
            case 3 -> ImageShape.of(v[0], v[1], v[2]);
            default -> null;
          };
      if (s != null && (s.channels() == 1 || s.channels() == 3)) return s;
    } catch (RuntimeException e) {
      // falls through to the one-line refusal
    }
    throw new UsageException(
        "--size "
            + size
            + ": use CxHxW with C 1 or 3 and H, W ≥ 1 (3x64x64), HxW (64x64) or H (64)");
  }
}
