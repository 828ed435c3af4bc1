package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.testing.ChildJvm;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, case 1, end to end: two processes training one run (a {@code train --name} into a run
 * in use, then twice two {@code train --resume} started together). One refuses in one line naming
 * the other's PID, the other finishes, and losses.csv holds every iteration exactly once.
 */
@Tier.Process
class ConcurrentResumeTest {
  private static final int PER_EPOCH = 4; // synthetic:64 at batch 16

  @TempDir Path tmp;

  private ChildJvm train(String name, String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of("train", "--data", "synthetic:64", "--batch-size", "16", "--threads", "1"));
    all.addAll(List.of(args));
    all.add("--quiet");
    return ChildJvm.startLogged(
        tmp.resolve(name + ".out"),
        tmp.resolve(name + ".err"),
        Main.class,
        all.toArray(String[]::new));
  }

  private String err(String name) throws Exception {
    return ChildJvm.text(tmp.resolve(name + ".err"));
  }

  private void assertRefused(String name, int code, long holder) throws Exception {
    assertEquals(2, code, err(name));
    List<String> lines = err(name).lines().toList();
    assertEquals(1, lines.size(), "one line: " + lines);
    assertTrue(
        lines
            .get(0)
            .matches(
                "convmirror: run .* is in use by process "
                    + (holder < 0 ? "\\d+" : Long.toString(holder))
                    + " \\(it holds .*run.lock\\); .*"),
        lines.get(0));
  }

  @Test
  void oneRefusesTheOtherFinishesAndNoIterationIsLostOrRepeated() throws Exception {
    Path runs = tmp.resolve("runs");
    Path run = runs.resolve("r");
    int epochs = 0;

    // Round 1, in order: a second 'train' into the run that A is creating and training.
    try (ChildJvm a = train("a1", "--runs", runs.toString(), "--name", "r", "--epochs", "2")) {
      for (int i = 0;
          i < 3000
              && !ChildJvm.text(run.resolve("run.lock")).strip().equals(Long.toString(a.pid()));
          i++) {
        Thread.sleep(10);
      }
      try (ChildJvm b = train("b1", "--runs", runs.toString(), "--name", "r", "--epochs", "1")) {
        assertRefused("b1", b.waitFor(120), a.pid());
      }
      assertEquals(0, a.waitFor(120), err("a1"));
      epochs += 2;
    }

    // Rounds 2 and 3, started together: whoever locks first trains.
    for (int round = 2; round <= 3; round++) {
      try (ChildJvm a = train("a" + round, "--resume", run.toString(), "--epochs", "1");
          ChildJvm b = train("b" + round, "--resume", run.toString(), "--epochs", "1")) {
        int ca = a.waitFor(120);
        int cb = b.waitFor(120);
        assertTrue(
            ca == 0 || cb == 0, "one of them trains: " + err("a" + round) + err("b" + round));
        if (ca != 0) assertRefused("a" + round, ca, b.pid());
        if (cb != 0) assertRefused("b" + round, cb, a.pid());
        epochs +=
            (ca == 0 ? 1 : 0) + (cb == 0 ? 1 : 0); // both, if one ended before the other began
      }
    }

    double[] it = MetricsLog.read(run.resolve("losses.csv")).column("iteration");
    assertEquals(PER_EPOCH * epochs, it.length, "one row per iteration");
    for (int i = 0; i < it.length; i++) assertEquals(i + 1, it[i], 0, "row " + i);
    assertTrue(Files.exists(run.resolve("run.lock")));
  }
}
