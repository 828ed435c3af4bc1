package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.convmirror.error.UsageException;
import org.convmirror.internal.export.ExportedNetwork;
import org.convmirror.internal.export.Exporter;
import org.convmirror.internal.export.WebServer;
import org.convmirror.internal.nn.EngineSetup;
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
    Exporter.Request request = new Exporter.Request(source, format, network, raw, out);
    if (serve && !request.format().equals("web")) {
      throw new UsageException("--serve needs --format web");
    }
    if (port < 0 || port > 65535) throw new UsageException("--port must be in [0, 65535]");
    EngineSetup.configure(engine.threads);
    Exporter.Written w = Exporter.export(request, System.err);
    ExportedNetwork net = w.net();
    String name = w.network().cliName();
    switch (w.format()) {
      case "onnx" -> {
        System.out.println("wrote " + w.files().get(0) + ": " + w.describe());
        System.out.println(
            "  ONNX opset 17, " + net.inputSignature() + " -> " + net.outputSignature());
      }
      case "safetensors", "torch" -> {
        System.out.println("wrote " + w.dir() + ": " + names(w.files()) + "; " + w.describe());
        System.out.println(
            "  python3 -c \"import model; net = model.load('.')\" in that folder: "
                + net.inputSignature()
                + " -> "
                + net.outputSignature());
        if (w.files().stream().anyMatch(f -> f.endsWith("sample.py"))) {
          System.out.println(
              "  python3 sample.py --count 64 --out samples.png"
                  + (net.conditional() ? " [--class NAME|INDEX]" : "")
                  + " writes a grid");
        }
      }
      default -> {
        System.out.println(
            "wrote "
                + w.dir()
                + ": index.html, "
                + name
                + ".onnx, model.json, ort/ (onnxruntime-web "
                + w.runtime()
                + "); "
                + w.describe());
        if (serve) return serve(w.dir(), port);
        System.out.println(
            "  serve it over HTTP (browsers refuse WebAssembly from file://): add --serve, or"
                + " python3 -m http.server -d "
                + w.dir());
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
