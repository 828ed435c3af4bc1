package org.convmirror.internal.export;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Serves exactly one folder on localhost, read-only, with the content types browsers insist on for
 * WebAssembly and JavaScript modules: only regular files whose real path lies inside the folder (a
 * link out of it is 403), only to a {@code Host} of 127.0.0.1, localhost or [::1] with this port
 * (DNS rebinding), one request per connection, each connection's head read under a deadline and the
 * connections bounded, so that no client can stall the others.
 *
 * <p>Written on a plain {@link ServerSocket}: the JDK's {@code HttpServer} reads request heads on
 * its one dispatcher thread, and its timeouts and connection limit are JVM-wide system properties
 * read once ({@code sun.net.httpserver.*}), not settings of a server.
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

  /** How long one read of a request head may wait, and how long the whole head may take. */
  static final int READ_TIMEOUT_MS = 5_000;

  static final long HEAD_DEADLINE_MS = 10_000;

  /** Connections served at once; more are answered 503 at once and closed. */
  static final int MAX_CONNECTIONS = 256;

  private final ServerSocket socket;
  private final Path root;
  private final Set<String> hosts;
  private final Semaphore slots;
  private final ExecutorService workers = Executors.newCachedThreadPool(WebServer::daemon);

  private WebServer(ServerSocket socket, Path root, int maxConnections) {
    this.socket = socket;
    this.root = root;
    int port = socket.getLocalPort();
    this.hosts =
        new java.util.LinkedHashSet<>(
            java.util.List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port));
    this.slots = new Semaphore(maxConnections);
  }

  /**
   * Starts serving {@code dir} on 127.0.0.1:{@code port} (0: any free port).
   *
   * @throws IOException naming the port when it is taken
   */
  public static WebServer start(Path dir, int port) throws IOException {
    return start(dir, port, MAX_CONNECTIONS);
  }

  static WebServer start(Path dir, int port, int maxConnections) throws IOException {
    Path root = dir.toRealPath();
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
    } catch (BindException e) {
      socket.close();
      throw new IOException("port " + port + " is in use; choose another with --port", e);
    }
    WebServer web = new WebServer(socket, root, maxConnections);
    daemon(web::accept).start();
    return web;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8000/}. */
  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/";
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "convmirror-web");
    t.setDaemon(true);
    return t;
  }

  private void accept() {
    while (!socket.isClosed()) {
      Socket c;
      try {
        c = socket.accept();
      } catch (IOException closed) {
        return;
      }
      if (!slots.tryAcquire()) {
        try (c) {
          c.setSoTimeout(READ_TIMEOUT_MS);
          answer(c.getOutputStream(), 503, "too many connections");
        } catch (IOException ignored) {
          // the client went away: nothing to answer
        }
        continue;
      }
      workers.execute(
          () -> {
            try (c) {
              serve(c);
            } catch (IOException ignored) {
              // a client that closed, timed out or broke its request gets nothing more
            } finally {
              slots.release();
            }
          });
    }
  }

  private void serve(Socket c) throws IOException {
    c.setSoTimeout(READ_TIMEOUT_MS);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAD_DEADLINE_MS);
    InputStream in = new BufferedInputStream(c.getInputStream());
    OutputStream out = c.getOutputStream();
    WebRequest r;
    try {
      r = WebRequest.read(in, deadline, hosts);
    } catch (WebRequest.Refused e) {
      answer(out, e.status, e.getMessage());
      return;
    } catch (WebRequest.TooSlow e) {
      answer(out, 408, "request head not complete in time");
      return;
    }
    Path file = file(r.path());
    if (file == null) {
      answer(out, 404, "not found");
      return;
    }
    if (!file.startsWith(root)) {
      answer(out, 403, "outside the served folder");
      return;
    }
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    // The real path, opened without following a link swapped in since it was resolved.
    try (InputStream body =
        Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = Files.size(file);
      head(out, 200, TYPES.getOrDefault(ext, "application/octet-stream"), size);
      if (r.method().equals("GET")) body.transferTo(out);
      out.flush();
    } catch (java.nio.file.FileSystemException gone) {
      answer(out, 404, "not found");
    }
  }

  /**
   * The real path of the regular file a request path names (its folder's {@code index.html} for a
   * folder), or null if there is none; dot-files (the writers' temporary files) are not served.
   */
  private Path file(String path) throws IOException {
    Path p = root.resolve(path.substring(1)).normalize();
    if (path.endsWith("/")) p = p.resolve("index.html");
    if (!p.startsWith(root)) return null;
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) return null;
    }
    try {
      Path real = p.toRealPath();
      if (!real.startsWith(root)) return real; // the caller answers 403
      return Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
    } catch (java.nio.file.FileSystemException e) {
      return null;
    }
  }

  private static void head(OutputStream out, int status, String type, long length)
      throws IOException {
    String h =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + length
            + "\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff"
            + "\r\nConnection: close\r\n\r\n";
    out.write(h.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A short plain-text answer naming what was wrong; never an exception's text. */
  private static void answer(OutputStream out, int status, String why) throws IOException {
    byte[] body =
        (status + " " + reason(status) + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
    head(out, status, "text/plain; charset=utf-8", body.length);
    out.write(body);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      default -> "Service Unavailable";
    };
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a listening socket that is already closed
    }
    workers.shutdownNow();
  }
}
