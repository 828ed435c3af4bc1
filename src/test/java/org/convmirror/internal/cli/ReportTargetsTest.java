package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code convmirror report} takes for runs: a run, a folder, a sweep, a seeds table. */
@Tier.Engine
class ReportTargetsTest {
  @TempDir Path tmp;

  private Path run(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("run.json"), "{\"format\": \"convmirror-run/2\"}");
    return dir;
  }

  @Test
  void eachKindOfTargetNamesItsRuns() throws Exception {
    Path a = run(tmp.resolve("runs/a"));
    Path b = run(tmp.resolve("runs/b"));
    Files.createDirectories(tmp.resolve("runs/not-a-run"));
    assertEquals(List.of(a), ReportCommand.expand(a));
    assertEquals(List.of(a, b), ReportCommand.expand(tmp.resolve("runs")), "a folder of runs");
    assertEquals(List.of(a, b), ReportCommand.expand(tmp), "a sweep keeps its runs in runs/");

    Path csv =
        Files.writeString(tmp.resolve("runs/x-seeds.csv"), "run,epoch,frechet\nb,1,3.5\na,1,4\n");
    assertEquals(
        List.of(b.toAbsolutePath(), a.toAbsolutePath()), ReportCommand.expand(csv), "its order");

    Files.writeString(csv, "run,epoch,frechet\nc,1,3.5\n");
    UsageException gone =
        org.junit.jupiter.api.Assertions.assertThrows(
            UsageException.class, () -> ReportCommand.expand(csv));
    assertTrue(
        gone.getMessage().contains("names run") && gone.getMessage().contains("not there"),
        gone.getMessage());
  }

  @Test
  void somethingElseIsOneLineAndExitTwo() {
    PlanCommandTest.Result r = PlanCommandTest.run("report", tmp.resolve("missing").toString());
    assertEquals(Main.USAGE, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("is not a run directory, a folder of runs"), r.err());
    PlanCommandTest.Result bench =
        PlanCommandTest.run("report", tmp.toString(), tmp.toString(), "--bench", "2");
    assertEquals(Main.USAGE, bench.code(), bench.err());
  }
}
