package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, items 2–4: {@code export --serve} serves exactly its folder (no link out of it), only
 * to a local {@code Host}, answers malformed paths 400 without exception text, and cannot be
 * stalled by clients that never finish their request. Real sockets, real symbolic links.
 */
@Tier.Pure
class WebServerTest {
  @TempDir Path tmp;
  Path site;
  Path outside;
  WebServer server;
  int port;
  final List<Socket> held = new ArrayList<>();

  @BeforeEach
  void serve() throws IOException {
    site = Files.createDirectories(tmp.resolve("site"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(site.resolve("index.html"), "<p>page</p>");
    Files.writeString(site.resolve("model.json"), "{}");
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(site.resolve("secret.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(site.resolve("etc"), outside);
    Files.createSymbolicLink(site.resolve("alias.json"), site.resolve("model.json"));
    Files.writeString(site.resolve(".tmp-model.json-1"), "half");
    server = WebServer.start(site, 0, 120);
    port = Integer.parseInt(server.url().replaceAll(".*:(\\d+)/", "$1"));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : held) s.close();
    server.close();
  }

  private String get(String target, String host) throws IOException {
    String hostLine = host == null ? "" : "Host: " + host + "\r\n";
    return raw("GET " + target + " HTTP/1.1\r\n" + hostLine + "\r\n");
  }

  private String get(String target) throws IOException {
    return get(target, "127.0.0.1:" + port);
  }

  private String raw(String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  @Test
  void servesThePageAndFilesLinkedWithinTheFolder() throws IOException {
    String page = get("/");
    assertEquals(200, status(page), page);
    assertTrue(page.contains("text/html") && page.endsWith("<p>page</p>"), page);
    assertEquals(200, status(get("/alias.json?v=1")));
    assertEquals(200, status(get("/model.json", "localhost:" + port)));
    assertEquals(200, status(get("/model.json", "[::1]:" + port)));
  }

  @Test
  void linksOutOfTheFolderAreForbidden() throws IOException {
    String secret = get("/secret.txt");
    assertEquals(403, status(secret), secret);
    assertFalse(secret.contains("secret\n") || secret.endsWith("secret"), secret);
    assertEquals(403, status(get("/etc/secret.txt")));
    assertEquals(404, status(get("/.tmp-model.json-1")), "a writer's temporary file");
    assertEquals(404, status(get("/no-such.js")));
  }

  @Test
  void foreignOrMissingHostsAreRefused() throws IOException {
    assertEquals(403, status(get("/", "evil.example")));
    assertEquals(403, status(get("/", "evil.example:" + port)));
    assertEquals(403, status(get("/", "127.0.0.1:" + (port == 1 ? 2 : port - 1))));
    assertEquals(403, status(get("/", null)));
  }

  @Test
  void malformedPathsAre400WithoutExceptionText() throws IOException {
    for (String target :
        List.of("/index.html%00", "/a%5cb", "/a\\b", "/%2e%2e/outside/secret.txt", "/%zz", "/%4")) {
      String r = get(target);
      assertEquals(400, status(r), target + ": " + r);
      assertFalse(r.contains("Exception"), r);
    }
    assertEquals(400, status(raw("GET\r\n\r\n")));
    assertEquals(405, status(raw("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")));
  }

  @Test
  void aHundredHalfOpenConnectionsDoNotStallANewClient() throws IOException {
    for (int i = 0; i < 100; i++) {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
      held.add(s);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    long start = System.nanoTime();
    String page = get("/");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, status(page), page);
    assertTrue(ms < 2_000, "the page took " + ms + " ms");
  }

  @Test
  void connectionsOverTheLimitAreAnswered503AtOnce() throws IOException {
    server.close();
    server = WebServer.start(site, 0, 3);
    port = Integer.parseInt(server.url().replaceAll(".*:(\\d+)/", "$1"));
    for (int i = 0; i < 3; i++) {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
      held.add(s);
      s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    // The three are being served (their heads are being read) once the acceptor took them.
    String busy = "";
    for (int tries = 0; tries < 50 && !busy.startsWith("HTTP/1.1 503"); tries++) {
      busy = get("/");
    }
    assertEquals(503, status(busy), busy);
    for (Socket s : held) s.close();
    held.clear();
    String page = "";
    for (int tries = 0; tries < 50 && !page.startsWith("HTTP/1.1 200"); tries++) {
      page = get("/");
    }
    assertEquals(200, status(page), "a slot freed when a client went away");
  }
}
