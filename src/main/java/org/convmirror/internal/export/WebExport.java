package org.convmirror.internal.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.run.AtomicFiles;

/**
 * A self-contained static web page that runs a generator or decoder in the browser: {@code
 * index.html} (latent sliders, "new sample", an interpolation strip), the ONNX model, {@code
 * model.json} describing it, and onnxruntime-web's WebAssembly build in {@code ort/}. Nothing comes
 * from a CDN: the runtime files are the ones the build installed from {@code
 * src/main/web/package-lock.json} ({@code tools/web-runtime.sh}) and carries on the classpath under
 * {@code org/convmirror/internal/export/web/ort/}.
 */
public final class WebExport {
  /** The onnxruntime-web files the page loads, as the build puts them on the classpath. */
  static final List<String> RUNTIME =
      List.of(
          "ort.wasm.min.js",
          "ort-wasm-simd-threaded.mjs",
          "ort-wasm-simd-threaded.wasm",
          "package.json");

  private static final String RESOURCES = "/org/convmirror/internal/export/web/";

  private WebExport() {}

  /** Writes the page for {@code net} into {@code dir}; returns the onnxruntime-web version. */
  public static String write(ExportedNetwork net, Path dir) throws IOException {
    if (!net.network().isDerived()) {
      throw new UsageException(
          "the web page draws images: export a generator or decoder, not the "
              + net.network().cliName());
    }
    // The page comes last: a kill or a full disk before it leaves the previous page whole (each
    // file is replaced atomically), never a new page without its model.
    Path ort = Files.createDirectories(dir.resolve("ort"));
    for (String f : RUNTIME) copy(RESOURCES + "ort/" + f, ort.resolve(f));
    String onnx = net.network().cliName() + ".onnx";
    OnnxExport.write(net, dir.resolve(onnx));
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode m = json.createObjectNode();
    m.put("network", net.network().cliName());
    m.put("model", net.metadata().getOrDefault("model", "model"));
    m.put("onnx", onnx);
    m.put("input", OnnxExport.LATENT);
    m.put("output", OnnxExport.IMAGE);
    m.put("latent", net.latent());
    ObjectNode image = m.putObject("image");
    image.put("channels", net.image().channels());
    image.put("height", net.image().height());
    image.put("width", net.image().width());
    if (net.conditional()) {
      // The class picker's names (numbers when the classes have none) and the label input.
      var names = m.putArray("labels");
      for (int y = 0; y < net.classes(); y++) names.add(net.spec().conditioning().name(y));
      m.put("label", OnnxExport.LABEL);
    } else {
      m.putNull("labels");
    }
    m.put("about", about(net));
    AtomicFiles.write(dir.resolve("model.json"), json.writeValueAsBytes(m));
    copy(RESOURCES + "index.html", dir.resolve("index.html"));
    return json.readTree(ort.resolve("package.json").toFile()).path("version").asText("?");
  }

  private static String about(ExportedNetwork net) {
    var meta = net.metadata();
    String from =
        meta.containsKey("run")
            ? " from "
                + meta.get("run")
                + ", "
                + meta.get("checkpoint")
                + " ("
                + meta.get("weights")
                + ")"
            : "";
    return net.inputSignature() + " → " + net.outputSignature() + from;
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = WebExport.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            "onnxruntime-web is not on the classpath ("
                + resource
                + "); build convmirror with mvn package, which installs it with npm ci");
      }
      AtomicFiles.copy(in, target);
    }
  }
}
