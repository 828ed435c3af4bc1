package org.convmirror.internal.export;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.convmirror.error.UsageException;
import org.convmirror.internal.run.OutputLock;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.run.StagedFolder;
import org.convmirror.spec.ModelKind;

/**
 * {@code convmirror export} as a library: one network of a trained model written as ONNX,
 * safetensors (with a plain torch {@code model.py}), a torch folder (with {@code sample.py}) or a
 * web page that runs the generator in the browser.
 */
public final class Exporter {
  /** The formats {@code --format} takes. */
  public static final List<String> FORMATS = List.of("onnx", "safetensors", "torch", "web");

  private Exporter() {}

  /**
   * What to export.
   *
   * @param source a run directory (its latest checkpoint) or a checkpoint directory
   * @param format one of {@link #FORMATS}, any case
   * @param network {@code generator}, {@code discriminator}, {@code decoder} or {@code encoder};
   *     null for the generator or decoder
   * @param raw a GAN generator's trained weights instead of their average
   * @param out the folder, or null for {@code RUN_DIR/exported/NETWORK-FORMAT}
   */
  public record Request(Path source, String format, String network, boolean raw, Path out) {
    public Request {
      String given = format;
      format = format.toLowerCase(Locale.ROOT);
      if (!FORMATS.contains(format)) {
        throw new UsageException("--format must be one of " + FORMATS + ", was '" + given + "'");
      }
    }
  }

  /**
   * What was written.
   *
   * @param files the files written, for the formats that list them (safetensors, torch)
   * @param runtime the onnxruntime-web version the page loads ({@code web} only)
   */
  public record Written(
      Path dir,
      Network network,
      String format,
      ExportedNetwork net,
      List<Path> files,
      String runtime) {

    /** One line: which network of which model, from which checkpoint, how large. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s of %s, checkpoint %s (%s), %,d parameters",
          network.cliName(),
          net.metadata().get("model"),
          net.metadata().get("checkpoint"),
          net.metadata().get("weights"),
          net.parameterCount());
    }
  }

  /** Exports as {@code r} asks; checkpoint fallbacks are reported to {@code warnings}. */
  public static Written export(Request r, PrintStream warnings) throws IOException {
    ModelSource src = ModelSource.open(r.source());
    ModelKind kind = src.spec().kind();
    Network which = r.network() == null ? Network.derived(kind) : Network.parse(r.network(), kind);
    if (r.raw() && which != Network.GENERATOR) {
      throw new UsageException(
          "--raw chooses between a GAN generator's weights; not for the " + which.cliName());
    }
    if (r.format().equals("web") && !which.isDerived()) {
      throw new UsageException(
          "--format web draws images with the "
              + Network.derived(kind).cliName()
              + "; export the "
              + which.cliName()
              + " as onnx, safetensors or torch");
    }
    Path dir =
        r.out() != null
            ? r.out()
            : new RunLayout(src.root()).exported(which.cliName() + "-" + r.format());
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException(
          "--out " + dir + " is a file, not a folder; give a folder for the export to go in");
    }
    ExportedNetwork net = src.export(which, r.raw(), warnings);
    // Written aside and moved in whole (a planted link is replaced, not followed; a full disk
    // leaves the previous export as it was); the lock keeps a second export out meanwhile.
    try (OutputLock lock = OutputLock.acquire(dir, "--out");
        StagedFolder stage = StagedFolder.open(dir)) {
      Written w;
      try {
        w = write(r, which, net, stage.path());
      } catch (IOException e) {
        throw stage.named(e);
      }
      stage.publish("index.html");
      return new Written(
          dir,
          w.network(),
          w.format(),
          w.net(),
          w.files().stream().map(stage::target).toList(),
          w.runtime());
    }
  }

  private static Written write(Request r, Network which, ExportedNetwork net, Path dir)
      throws IOException {
    return switch (r.format()) {
      case "onnx" -> {
        Path file = dir.resolve(which.cliName() + ".onnx");
        OnnxExport.write(net, file);
        yield new Written(dir, which, r.format(), net, List.of(file), null);
      }
      case "safetensors", "torch" -> {
        List<Path> files = TorchExport.write(net, dir, r.format().equals("torch"));
        yield new Written(dir, which, r.format(), net, files, null);
      }
      default -> new Written(dir, which, r.format(), net, List.of(), WebExport.write(net, dir));
    };
  }
}
