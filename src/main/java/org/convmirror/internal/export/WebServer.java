package org.convmirror.internal.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Serves one folder on localhost, read-only, with the content types browsers insist on for
 * WebAssembly and JavaScript modules. The JDK's {@code HttpServer}: Java 17 has no ready file
 * handler ({@code SimpleFileServer} came in 18), so the handler is these few lines.
 */
public final class WebServer implements AutoCloseable {
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript",
          "mjs", "text/javascript",
          "wasm", "application/wasm",
          "json", "application/json",
          "onnx", "application/octet-stream",
          "png", "image/png");

  private final HttpServer server;
  private final Path root;

  private WebServer(HttpServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  /**
   * Starts serving {@code dir} on 127.0.0.1:{@code port} (0: any free port).
   *
   * @throws IOException naming the port when it is taken
   */
  public static WebServer start(Path dir, int port) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (BindException e) {
      throw new IOException("port " + port + " is in use; choose another with --port", e);
    }
    WebServer web = new WebServer(server, dir.toAbsolutePath().normalize());
    server.createContext("/", web::handle);
    server.start();
    return web;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8000/}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      Path file = root.resolve(path.substring(1)).normalize();
      if (path.endsWith("/")) file = file.resolve("index.html");
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      String name = file.getFileName().toString();
      String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      ex.getResponseHeaders()
          .set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      long size = Files.size(file);
      if (method.equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, size);
      try (OutputStream out = ex.getResponseBody()) {
        Files.copy(file, out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
