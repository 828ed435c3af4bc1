package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convmirror.TinyModels;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.testing.ChildJvm;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: a run that stopped says why in its report — a divergence with its line and the
 * checkpoint kept from before it; a kill (no end-of-run record, no live writer) with the checkpoint
 * to resume from — made from what is on disk.
 */
@Tier.Process
class ReportStopsTest {
  @TempDir Path tmp;

  @Test
  void aDivergedRunsReportShowsTheStopLineAndTheKeptCheckpoint() throws Exception {
    Path model = TinyModels.ganFile(tmp);
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--model",
            model.toString(),
            "--lr",
            "1e9",
            "--data",
            "synthetic:320",
            "--batch-size",
            "16",
            "--epochs",
            "20",
            "--checkpoint-every",
            "10",
            "--runs",
            tmp.toString(),
            "--name",
            "big",
            "--quiet");
    assertEquals(1, r.code(), r.err() + r.out());
    String line = r.err().strip();
    Matcher m =
        Pattern.compile("convmirror: (training diverged at .*; kept (\\S+), the last.*)")
            .matcher(line);
    assertTrue(m.matches(), line);
    Path run = tmp.resolve("big");
    String kept = run.relativize(Path.of(m.group(2))).toString();

    String written = Files.readString(run.resolve("report.html")); // by the stopping process
    assertStopped(written, "diverged", m.group(1), kept);
    assertTrue(written.contains("class=\"mark\""), "the stop is marked on the curves");

    Files.delete(run.resolve("report.html"));
    PlanCommandTest.Result again = PlanCommandTest.run("report", run.toString());
    assertEquals(0, again.code(), again.err());
    assertStopped(Files.readString(run.resolve("report.html")), "diverged", m.group(1), kept);
  }

  @Test
  void aRunKilledMidEpochIsReportedFromWhatIsOnDisk() throws Exception {
    Path model = TinyModels.ganFile(tmp);
    Path run = tmp.resolve("k");
    try (ChildJvm child =
        ChildJvm.startLogged(
            tmp.resolve("out"),
            tmp.resolve("err"),
            Main.class,
            "train",
            "--model",
            model.toString(),
            "--data",
            "synthetic:480",
            "--batch-size",
            "16",
            "--epochs",
            "500",
            "--checkpoint-every",
            "7",
            "--threads",
            "1",
            "--quiet",
            "--runs",
            tmp.toString(),
            "--name",
            "k")) {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!(Files.exists(run.resolve("report.html")) && rows(run) > 40)) {
        assertTrue(child.alive(), "training ended early: " + ChildJvm.text(tmp.resolve("err")));
        assertTrue(System.nanoTime() < deadline, "no report after an epoch within 2 minutes");
        Thread.sleep(20);
      }
      child.kill();
    }
    assertTrue(Files.readString(run.resolve("outcome.json")).contains("\"training\""));
    PlanCommandTest.Result r = PlanCommandTest.run("report", run.toString());
    assertEquals(0, r.code(), r.err());
    String html = Files.readString(run.resolve("report.html"));
    String latest = "checkpoints/" + Files.readString(run.resolve("checkpoints/LATEST")).strip();
    assertTrue(html.contains("class=\"status killed\""), "status");
    assertTrue(html.contains("left no end-of-run record: it was killed"), "why");
    assertTrue(
        html.contains("Resume from <code id=\"stop-checkpoint\">" + latest + "</code>"),
        "the checkpoint to resume: " + latest);
    assertTrue(html.contains("convmirror train --resume " + run), "how");
    int rows = rows(run);
    assertTrue(
        html.contains("data-name=\"d_loss\" data-points=\"" + rows + "\""),
        "every iteration on disk is drawn: " + rows);
    assertFalse(html.contains("id=\"stop-message\""), "a kill leaves no line of its own");
  }

  private static int rows(Path run) throws Exception {
    Path csv = run.resolve("losses.csv");
    return Files.exists(csv) ? MetricsLog.read(csv).size() : 0;
  }

  private static void assertStopped(String html, String status, String line, String kept) {
    assertTrue(html.contains("class=\"status " + status + "\""), "status " + status);
    assertTrue(
        html.contains("<pre class=\"message\" id=\"stop-message\">" + escape(line) + "</pre>"),
        "the stop line: " + line);
    assertTrue(html.contains("<code id=\"stop-checkpoint\">" + kept + "</code>"), "kept " + kept);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
