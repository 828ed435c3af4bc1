package org.convmirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * convmirror is "always offline" (README): no main source may fetch anything over the network. A
 * local server for the web export's page is fine; a client is not.
 */
@Tier.Pure
class AlwaysOfflineTest {
  private static final Pattern CLIENT =
      Pattern.compile("java\\.net\\.http|HttpURLConnection|\\.openConnection\\(|\\.openStream\\(");

  @Test
  void noMainSourceIsANetworkClient() throws IOException {
    Path main = Path.of(System.getProperty("basedir", "."), "src", "main", "java");
    List<Path> sources;
    try (Stream<Path> files = Files.walk(main)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(sources.size() > 10, "found " + sources.size() + " sources under " + main);
    List<String> clients = new ArrayList<>();
    for (Path p : sources) {
      if (CLIENT.matcher(Files.readString(p)).find()) clients.add(main.relativize(p).toString());
    }
    assertEquals(List.of(), clients);
  }
}
