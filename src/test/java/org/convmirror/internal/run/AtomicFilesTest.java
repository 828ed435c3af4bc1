package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesAndReplaces() throws IOException {
    Path f = dir.resolve("sub/a.txt");
    AtomicFiles.writeString(f, "one");
    assertEquals("one", Files.readString(f));
    AtomicFiles.write(f, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
    AtomicFiles.write(f, out -> out.write("three".getBytes(StandardCharsets.UTF_8)));
    assertEquals("three", Files.readString(f));
    assertEquals(List.of(f), list(f.getParent()));
  }

  @Test
  void permissionsFollowTheUmaskNotTempFileDefaults() throws IOException {
    Path f = dir.resolve("shared.txt");
    AtomicFiles.writeString(f, "x");
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }
  }

  @Test
  void failingCallbackLeavesOldFileAndNoLitter() throws IOException {
    Path f = dir.resolve("a.txt");
    AtomicFiles.writeString(f, "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      out.write("half of the new con".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk on fire");
                    }));
    assertEquals("disk on fire", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(List.of(f), list(dir));
  }

  @Test
  void runtimeExceptionAlsoCleansUp() throws IOException {
    Path f = dir.resolve("b.txt");
    assertThrows(
        UncheckedIOException.class,
        () ->
            AtomicFiles.write(
                f,
                out -> {
                  throw new UncheckedIOException(new IOException("boom"));
                }));
    assertFalse(Files.exists(f));
    assertEquals(List.of(), list(dir));
  }

  @Test
  void callbackClosingTheStreamIsHarmless() throws IOException {
    Path f = dir.resolve("c.txt");
    AtomicFiles.write(
        f,
        out -> {
          out.write('x');
          out.close();
        });
    assertEquals("x", Files.readString(f));
  }

  /** Kills a child JVM in the middle of a slow write: the target must still hold the old data. */
  @Test
  @Tier.Process
  void sigkillMidWriteLeavesOldFile() throws Exception {
    Path f = dir.resolve("victim.txt");
    AtomicFiles.writeString(f, "old");
    Path started = dir.resolve("started");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SlowWriter.class.getName(),
                f.toString(),
                started.toString())
            .redirectErrorStream(true)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(started) && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(20);
      }
      assertTrue(Files.exists(started), "child never started writing");
      p.destroyForcibly(); // SIGKILL on POSIX
      p.waitFor(10, TimeUnit.SECONDS);
    } finally {
      p.destroyForcibly();
    }
    assertEquals("old", Files.readString(f));
  }

  /** Child process body for {@link #sigkillMidWriteLeavesOldFile}. */
  public static final class SlowWriter {
    public static void main(String[] args) throws Exception {
      AtomicFiles.write(
          Path.of(args[0]),
          out -> {
            out.write("new but incomplete".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Files.createFile(Path.of(args[1]));
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
  }

  static List<Path> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }
}
