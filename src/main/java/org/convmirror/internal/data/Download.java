package org.convmirror.internal.data;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Fetches files over HTTP into a temporary file next to their destination. */
final class Download {
  /** Short, so an offline machine fails within seconds instead of hanging. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Generous for a 26 MB file on a slow link, but bounded. */
  static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private Download() {}

  /**
   * Downloads {@code url} to a new temporary file in {@code dir} and returns it; the caller
   * verifies it and moves it into place, so a cut-off transfer never looks like a complete file.
   */
  static Path toTemp(URI url, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".download-", ".part");
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<Path> response =
          client.send(
              request,
              HttpResponse.BodyHandlers.ofFile(
                  temp,
                  java.nio.file.StandardOpenOption.WRITE,
                  java.nio.file.StandardOpenOption.TRUNCATE_EXISTING));
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " for " + url);
      }
      return temp;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Files.deleteIfExists(temp);
      throw new IOException("interrupted while downloading " + url, e);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Moves {@code temp} to {@code target} in one step, so readers never see half a file. */
  static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * The most specific message in a cause chain, e.g. the unknown host behind a ConnectException.
   */
  static String reason(Throwable e) {
    String best = e.toString();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        best = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return best;
  }
}
