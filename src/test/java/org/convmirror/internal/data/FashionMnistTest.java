package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void explicitDataDirIsNeverSilentlyReplaced() {
    Path empty = dir.resolve("empty");
    DataException e =
        assertThrows(
            DataException.class,
            () -> FashionMnist.locate(empty, Split.TRAIN, List.of(), dir, URI.create("http://x/")));
    assertTrue(e.getMessage().startsWith(empty + ": no such folder;"), e.getMessage());
  }

  @Test
  void systemFolderWinsOverTheCache() {
    Path system = Idx.folder(dir.resolve("system"), 2, 2, 28, 28);
    Path cache = Idx.folder(dir.resolve("cache"), 2, 2, 28, 28);
    assertEquals(
        system,
        FashionMnist.locate(null, Split.TEST, List.of(system), cache, URI.create("http://x/")));
  }

  @Test
  void offlineFailsFastWithOneLineSayingHowToGetTheData() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI source = URI.create("http://127.0.0.1:" + closedPort + "/");
    Path cache = dir.resolve("cache");
    long start = System.nanoTime();
    DataException e =
        assertThrows(
            DataException.class,
            () ->
                FashionMnist.locate(null, Split.TRAIN, List.of(dir.resolve("sys")), cache, source));
    assertTrue((System.nanoTime() - start) / 1e9 < 10, "took too long to fail");
    String message = e.getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(
        message.startsWith(
            "Fashion-MNIST train is not in ["
                + dir.resolve("sys")
                + ", "
                + cache
                + "] and downloading "
                + source
                + "train-images-idx3-ubyte.gz failed ("),
        message);
    assertTrue(
        message.endsWith(
            "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`, or pass --data"
                + " DIR naming a folder with the IDX files"),
        message);
    assertNoPartFiles(cache);
  }

  @Test
  void downloadsIntoTheCacheVerifiesAndReusesIt() throws IOException {
    Map<String, byte[]> files =
        Map.of(
            "/t10k-images-idx3-ubyte.gz", Idx.gzip(Idx.images(3, 28, 28)),
            "/t10k-labels-idx1-ubyte.gz", Idx.gzip(Idx.labels(3)));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int[] requests = {0};
    server.createContext(
        "/",
        exchange -> {
          requests[0]++;
          byte[] body = files.get(exchange.getRequestURI().getPath());
          exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    try {
      URI source = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      Path cache = dir.resolve("cache");
      assertEquals(cache, FashionMnist.locate(null, Split.TEST, List.of(), cache, source));
      assertEquals(3, IdxFolder.read(cache, Split.TEST).count());
      assertEquals(2, requests[0]);
      FashionMnist.locate(null, Split.TEST, List.of(), cache, source);
      assertEquals(2, requests[0], "a cached copy is not downloaded again");
      assertNoPartFiles(cache);

      // The train files 404: nothing half-done may be left behind.
      DataException e =
          assertThrows(
              DataException.class,
              () -> FashionMnist.locate(null, Split.TRAIN, List.of(), cache, source));
      assertTrue(e.getMessage().contains("failed (IOException: HTTP 404 for "), e.getMessage());
      assertNoPartFiles(cache);
    } finally {
      server.stop(0);
    }
  }

  private static void assertNoPartFiles(Path cache) throws IOException {
    if (Files.isDirectory(cache)) {
      try (Stream<Path> files = Files.list(cache)) {
        assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "left a .part file");
      }
    }
  }
}
