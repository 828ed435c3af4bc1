package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.convmirror.error.UsageException;
import org.convmirror.internal.export.ExportedNetwork;
import org.convmirror.internal.export.ModelSource;
import org.convmirror.internal.export.Network;
import org.convmirror.internal.export.OnnxExport;
import org.convmirror.internal.export.TorchExport;
import org.convmirror.internal.export.WebExport;
import org.convmirror.internal.export.WebServer;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.spec.ModelKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convmirror export}: a trained network as ONNX, PyTorch files or a web page. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a trained network as ONNX, safetensors, a torch folder or a web page.",
      "ONNX is opset 17 with a dynamic batch; safetensors keeps PyTorch state_dict names and",
      "comes with a plain torch.nn model.py; the web page runs the generator in the browser.",
      "Images are in [0, 1]."
    })
final class ExportCommand implements Callable<Integer> {
  static final List<String> FORMATS = List.of("onnx", "safetensors", "torch", "web");

  @Parameters(
      index = "0",
      paramLabel = "RUN_DIR|CHECKPOINT",
      description = "A run directory (latest checkpoint) or a checkpoint directory.")
  Path source;

  @Option(
      names = "--format",
      defaultValue = "onnx",
      description = "onnx, safetensors, torch or web. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--network",
      paramLabel = "NAME",
      description =
          "generator or discriminator (GAN), decoder or encoder (VAE). Default: the generator or"
              + " decoder.")
  String network;

  @Option(
      names = "--raw",
      description = "GAN generator: the trained weights instead of their average (EMA).")
  boolean raw;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: RUN_DIR/exported/NETWORK-FORMAT).")
  Path out;

  @Option(names = "--serve", description = "With --format web: serve the page on localhost.")
  boolean serve;

  @Option(
      names = "--port",
      defaultValue = "8000",
      description = "Port for --serve (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Mixin ThreadsOption engine;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(fmt)) {
      throw new UsageException("--format must be one of " + FORMATS + ", was '" + format + "'");
    }
    if (serve && !fmt.equals("web")) throw new UsageException("--serve needs --format web");
    if (port < 0 || port > 65535) throw new UsageException("--port must be in [0, 65535]");
    EngineSetup.configure(engine.threads);
    ModelSource src = ModelSource.open(source);
    ModelKind kind = src.spec().kind();
    Network which = network == null ? Network.derived(kind) : Network.parse(network, kind);
    if (raw && which != Network.GENERATOR) {
      throw new UsageException(
          "--raw chooses between a GAN generator's weights; not for the " + which.cliName());
    }
    if (fmt.equals("web") && !which.isDerived()) {
      throw new UsageException(
          "--format web draws images with the "
              + Network.derived(kind).cliName()
              + "; export the "
              + which.cliName()
              + " as onnx, safetensors or torch");
    }
    Path dir = out != null ? out : new RunLayout(src.root()).exported(which.cliName() + "-" + fmt);
    ExportedNetwork net = src.export(which, raw, System.err);
    Files.createDirectories(dir);
    String from =
        String.format(
            Locale.ROOT,
            "%s of %s, checkpoint %s (%s), %,d parameters",
            which.cliName(),
            net.metadata().get("model"),
            net.metadata().get("checkpoint"),
            net.metadata().get("weights"),
            net.parameterCount());
    switch (fmt) {
      case "onnx" -> {
        Path file = dir.resolve(which.cliName() + ".onnx");
        OnnxExport.write(net, file);
        System.out.println("wrote " + file + ": " + from);
        System.out.println(
            "  ONNX opset 17, " + net.inputSignature() + " -> " + net.outputSignature());
      }
      case "safetensors", "torch" -> {
        List<Path> files = TorchExport.write(net, dir, fmt.equals("torch"));
        System.out.println("wrote " + dir + ": " + names(files) + "; " + from);
        System.out.println(
            "  python3 -c \"import model; net = model.load('.')\" in that folder: "
                + net.inputSignature()
                + " -> "
                + net.outputSignature());
        if (files.stream().anyMatch(f -> f.endsWith("sample.py"))) {
          System.out.println("  python3 sample.py --count 64 --out samples.png writes a grid");
        }
      }
      default -> {
        String ort = WebExport.write(net, dir);
        System.out.println(
            "wrote "
                + dir
                + ": index.html, "
                + which.cliName()
                + ".onnx, model.json, ort/"
                + " (onnxruntime-web "
                + ort
                + "); "
                + from);
        if (serve) return serve(dir, port);
        System.out.println(
            "  serve it over HTTP (browsers refuse WebAssembly from file://): add --serve, or"
                + " python3 -m http.server -d "
                + dir);
      }
    }
    return 0;
  }

  /** Serves {@code dir} until the process is stopped (Ctrl-C). */
  private static int serve(Path dir, int port) throws IOException, InterruptedException {
    WebServer server = WebServer.start(dir, port);
    System.out.println("serving " + dir + " at " + server.url() + " (Ctrl-C to stop)");
    System.out.flush();
    new CountDownLatch(1).await();
    return 0;
  }

  private static String names(List<Path> files) {
    return String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList());
  }
}
