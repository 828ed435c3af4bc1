package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class MetricsLogTest {
  @TempDir Path dir;
  static final List<String> COLS = List.of("epoch", "iteration", "d_loss", "g_loss");

  private Path writeFour() throws IOException {
    Path csv = dir.resolve("losses.csv");
    try (MetricsLog log = MetricsLog.create(csv, COLS)) {
      for (int i = 1; i <= 4; i++) {
        log.append(1, i, 0.5 / i, 2.25);
      }
    }
    return csv;
  }

  @Test
  void writesHeaderAndRows() throws IOException {
    Path csv = writeFour();
    List<String> lines = Files.readAllLines(csv);
    assertEquals("epoch,iteration,d_loss,g_loss", lines.get(0));
    assertEquals("1,1,0.5,2.25", lines.get(1));
    assertEquals("1,4,0.125,2.25", lines.get(4));
    MetricsTable t = MetricsLog.read(csv);
    assertEquals(4, t.size());
    assertArrayEquals(new double[] {1, 2, 3, 4}, t.column("iteration"));
    assertThrows(IllegalArgumentException.class, () -> t.column("nope"));
  }

  @Test
  void resumeDropsRowsAfterCheckpointAndTornTail() throws IOException {
    Path csv = writeFour();
    // A killed run: rows past the checkpoint plus half a line.
    Files.writeString(csv, "1,5,0.1,2.0\n1,6,0.", StandardOpenOption.APPEND);
    try (MetricsLog log = MetricsLog.resume(csv, COLS, "iteration", 3)) {
      log.append(1, 4, 9, 9);
    }
    assertEquals(
        List.of(
            "epoch,iteration,d_loss,g_loss",
            "1,1,0.5,2.25",
            "1,2,0.25,2.25",
            "1,3,0.16666666666666666,2.25",
            "1,4,9,9"),
        Files.readAllLines(csv));
  }

  @Test
  void resumeDropsPartialLastLineEvenWhenItsKeyIsOld() throws IOException {
    Path csv = writeFour();
    Files.writeString(csv, "1,5,0.1", StandardOpenOption.APPEND); // torn, no newline
    try (MetricsLog log = MetricsLog.resume(csv, COLS, "iteration", 100)) {
      log.append(1, 5, 1, 1);
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(6, lines.size());
    assertEquals("1,5,1,1", lines.get(5));
  }

  @Test
  void resumeRefusesGarbageBeforeTheLastRowAndChangesNothing() throws IOException {
    Path csv = writeFour();
    Files.writeString(csv, "\0\0\0\0\n1,6,0.1,2.0\n", StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(csv);
    IOException e =
        assertThrows(IOException.class, () -> MetricsLog.resume(csv, COLS, "iteration", 100));
    assertTrue(e.getMessage().contains(csv + " line 6 is malformed ('????'"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(csv));
  }

  @Test
  void resumeCutsAMalformedLastRowWithItsNewline() throws IOException {
    Path csv = writeFour();
    Files.writeString(csv, "1,5,0.1\n", StandardOpenOption.APPEND);
    try (MetricsLog log = MetricsLog.resume(csv, COLS, "iteration", 100)) {
      assertEquals(COLS, log.columns());
    }
    assertEquals(5, Files.readAllLines(csv).size());
  }

  @Test
  void resumeWithTornHeaderOrMissingFileStartsFresh() throws IOException {
    Path csv = dir.resolve("x.csv");
    Files.writeString(csv, "epoch,itera");
    MetricsLog.resume(csv, COLS, "iteration", 0).close();
    assertEquals(List.of("epoch,iteration,d_loss,g_loss"), Files.readAllLines(csv));
    Path missing = dir.resolve("missing.csv");
    MetricsLog.resume(missing, COLS, "iteration", 0).close();
    assertEquals(1, Files.readAllLines(missing).size());
  }

  @Test
  void resumeRejectsDifferentColumns() throws IOException {
    Path csv = writeFour();
    IOException e =
        assertThrows(
            IOException.class,
            () -> MetricsLog.resume(csv, List.of("epoch", "iteration"), "iteration", 2));
    assertTrue(e.getMessage().contains("expected epoch,iteration"), e.getMessage());
  }

  @Test
  void readIgnoresTornLastLineOfALiveRun() throws IOException {
    Path csv = writeFour();
    Files.writeString(csv, "1,5,0.", StandardOpenOption.APPEND);
    assertEquals(4, MetricsLog.read(csv).size());
  }

  @Test
  void rowWidthIsChecked() throws IOException {
    try (MetricsLog log = MetricsLog.create(dir.resolve("w.csv"), COLS)) {
      assertThrows(IllegalArgumentException.class, () -> log.append(1, 2));
    }
  }
}
