package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.testing.ChildJvm;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, case 1: one writer per run directory, between real processes. */
@Tier.Process
class RunLockTest {
  @TempDir Path runs;

  private Path newRun(String name) throws IOException {
    try (RunDirectory r = RunDirectory.create(runs, name)) {
      r.writeRunInfo(
          Provenance.capture(List.of("test"), 1, "synthetic", EngineSetup.describe()),
          Map.of("model", "m"));
      return r.root();
    }
  }

  @Test
  void aSecondProcessIsRefusedWithTheHoldersPidUntilTheHolderIsKilled() throws Exception {
    Path run = newRun("busy");
    try (ChildJvm holder = ChildJvm.start(RunDirectoryHolder.class, "hold", run.toString())) {
      assertEquals("locked", holder.readLine(30));
      String pid = Long.toString(holder.pid());
      assertEquals(pid, Files.readString(run.resolve("run.lock")).strip());

      IOException resume = assertThrows(IOException.class, () -> RunDirectory.openForResume(run));
      assertEquals(
          "run "
              + run
              + " is in use by process "
              + pid
              + " (it holds "
              + run.resolve("run.lock")
              + "); two processes must not write one run: wait for it to finish or stop it (kill "
              + pid
              + "), then try again",
          resume.getMessage());
      IOException create = assertThrows(IOException.class, () -> RunDirectory.create(runs, "busy"));
      assertTrue(create.getMessage().contains("in use by process " + pid), create.getMessage());

      // Readers (sample, evaluate) need no lock and change nothing.
      try (RunDirectory reader = RunDirectory.openForReading(run)) {
        assertEquals(Map.of("model", "m"), reader.readConfig(Map.class));
      }

      holder.kill(); // SIGKILL: the kernel drops the lock, the stale run.lock stays
      try (RunDirectory again = RunDirectory.openForResume(run)) {
        assertTrue(again.resumed());
        assertEquals(
            Long.toString(ProcessHandle.current().pid()),
            Files.readString(run.resolve("run.lock")).strip());
      }
    }
  }

  @Test
  void withinOneJvmTheLockIsSharedAndLeavesWithTheLastHolder() throws Exception {
    Path run = newRun("shared");
    RunDirectory a = RunDirectory.openForResume(run);
    RunDirectory b = RunDirectory.openForResume(run);
    a.close();
    assertTrue(probe(run).startsWith("refused: run " + run + " is in use by process "));
    b.close();
    assertEquals("locked", probe(run));
  }

  @Test
  void twoProcessesCreatingOneNamedRunCannotBothHaveIt() throws Exception {
    try (RunDirectory mine = RunDirectory.create(runs, "fresh")) {
      String refusal = probe("create", mine.root());
      assertTrue(
          refusal.startsWith(
              "refused: run "
                  + mine.root()
                  + " is in use by process "
                  + ProcessHandle.current().pid()),
          refusal);
    }
    assertEquals("locked", probe("create", runs.resolve("fresh")), "empty and free again");
  }

  private static String probe(Path run) throws Exception {
    return probe("try", run);
  }

  private static String probe(String mode, Path run) throws Exception {
    try (ChildJvm child = ChildJvm.start(RunDirectoryHolder.class, mode, run.toString())) {
      String line = child.readLine(30);
      assertEquals(0, child.waitFor(30));
      return line;
    }
  }
}
