package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.convmirror.internal.testing.ChildJvm;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, case 12: a killed writer (e.g. {@code sample} writing samples.npy) leaves its temp
 * file; the next write of that file in that folder removes it, but never a live writer's.
 */
@Tier.Process
class AbandonedTempsTest {
  @TempDir Path dir;

  private static List<Path> temps(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
    }
  }

  /** Starts a child that writes {@code f} and stays in the middle of it. */
  private ChildJvm writer(Path f) throws Exception {
    Path started = dir.resolve("started-" + System.nanoTime());
    ChildJvm child =
        ChildJvm.start(AtomicFilesTest.SlowWriter.class, f.toString(), started.toString());
    for (int i = 0; i < 3000 && !Files.exists(started); i++) Thread.sleep(10);
    assertTrue(Files.exists(started), "child never started writing");
    Thread.sleep(1100); // older than the grace a just-created temp file gets
    return child;
  }

  @Test
  void aKilledWritersTempIsRemovedByTheNextWrite() throws Exception {
    Path f = dir.resolve("samples.npy");
    try (ChildJvm child = writer(f)) {
      child.kill();
    }
    List<Path> left = temps(dir);
    assertEquals(1, left.size(), "SIGKILL cannot be caught: the temp file stays");
    assertTrue(left.get(0).getFileName().toString().startsWith(".tmp-samples.npy-"));

    AtomicFiles.writeString(f, "new");
    assertEquals("new", Files.readString(f));
    assertEquals(List.of(), temps(dir));
  }

  @Test
  void aLiveWritersTempIsKept() throws Exception {
    Path f = dir.resolve("samples.npy");
    try (ChildJvm child = writer(f)) {
      List<Path> live = temps(dir);
      assertEquals(1, live.size());
      AtomicFiles.writeString(f, "mine");
      assertEquals(live, temps(dir), "the other process is still writing it");
      // Another file's temps are not this write's business either.
      AtomicFiles.writeString(dir.resolve("grid.png"), "x");
      assertEquals(live, temps(dir));
    }
  }
}
