package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole CLI on tiny synthetic data: train, resume, sample, and a SIGKILL mid-epoch. */
@Tier.Process
class TrainSmokeTest {

  private static PlanCommandTest.Result run(String... args) {
    return PlanCommandTest.run(args);
  }

  private static double[] iterations(Path run) throws Exception {
    MetricsTable t = MetricsLog.read(run.resolve("losses.csv"));
    return t.column("iteration");
  }

  @Test
  void trainResumeSample(@TempDir Path tmp) throws Exception {
    PlanCommandTest.Result r =
        run(
            "train",
            "--data",
            "synthetic:96",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--runs",
            tmp.toString(),
            "--name",
            "smoke",
            "--quiet",
            "--checkpoint-every",
            "2");
    assertEquals(0, r.code(), r.err() + r.out());
    Path run = tmp.resolve("smoke");
    for (String f :
        List.of(
            "run.json",
            "config.yaml",
            "losses.csv",
            "losses.png",
            "samples/epoch-0001.png",
            "checkpoints/LATEST")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    assertEquals(6, iterations(run).length);
    assertTrue(r.out().contains("epoch 1/1"), r.out());

    r = run("train", "--resume", run.toString(), "--epochs", "1", "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("epoch 2/2"), r.out());
    double[] it = iterations(run);
    assertEquals(12, it.length);
    for (int i = 0; i < it.length; i++) assertEquals(i + 1, it[i], 0);
    assertTrue(Files.exists(run.resolve("samples/epoch-0002.png")));

    r = run("sample", run.toString(), "--count", "20", "--out", tmp.resolve("s").toString());
    assertEquals(0, r.code(), r.err());
    Npy.Array a = Npy.read(tmp.resolve("s/samples.npy"));
    assertArrayEquals(new long[] {20, 1, 28, 28}, a.shape());
    for (float v : a.data()) assertTrue(v >= 0 && v <= 1);
    assertTrue(Files.exists(tmp.resolve("s/grid.png")));
    assertTrue(Files.exists(tmp.resolve("s/interpolation.png")));

    r =
        run(
            "evaluate",
            tmp.resolve("s/samples.npy").toString(),
            "--data",
            "synthetic:64",
            "--count",
            "20");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Fréchet distance"), r.out());
    assertTrue(Files.exists(tmp.resolve("s/samples.evaluation.json")));

    r = run("evaluate", run.toString(), "--count", "20");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(run.resolve("evaluation-epoch-0002.json")));
    assertTrue(Files.exists(run.resolve("evaluation.csv")));
  }

  @Test
  void evalEveryKeepsTheBestCheckpoint(@TempDir Path tmp) throws Exception {
    PlanCommandTest.Result r =
        run(
            "train",
            "--data",
            "synthetic:96",
            "--epochs",
            "2",
            "--batch-size",
            "16",
            "--runs",
            tmp.toString(),
            "--name",
            "e",
            "--quiet",
            "--eval-every",
            "1",
            "--eval-count",
            "20");
    assertEquals(0, r.code(), r.err() + r.out());
    Path run = tmp.resolve("e");
    assertTrue(r.out().contains("FD"), r.out());
    assertTrue(Files.exists(run.resolve("checkpoints/best/MANIFEST.json")));
    assertTrue(Files.exists(run.resolve("checkpoints/best.json")));
    assertEquals(
        3, Files.readAllLines(run.resolve("evaluation.csv")).size(), "header + one row per epoch");
    r =
        run(
            "sample",
            run.resolve("checkpoints/best").toString(),
            "--count",
            "4",
            "--out",
            tmp.resolve("b").toString());
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void badInputsAreOneLineAndExitTwo(@TempDir Path tmp) {
    PlanCommandTest.Result r = run("train", "--resume", tmp.resolve("nope").toString());
    assertEquals(2, r.code());
    assertEquals(
        "convmirror: not a convmirror run directory: " + tmp.resolve("nope") + " does not exist",
        r.err().strip());
    r = run("train", "--data", tmp.resolve("missing.gz").toString(), "--runs", tmp.toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    r = run("train", "--data", "synthetic:8", "--loss", "wgan-gp", "--runs", tmp.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--loss must be one of"), r.err());
  }

  /** SIGKILL in the middle of an epoch, then resume: no corrupt file, losses continue. */
  @Test
  void killedMidEpochResumesFromTheLastCheckpoint(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("killed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "train",
                "--data",
                "synthetic:1600",
                "--epochs",
                "1",
                "--batch-size",
                "16",
                "--runs",
                tmp.toString(),
                "--name",
                "killed",
                "--quiet",
                "--checkpoint-every",
                "5",
                "--threads",
                "1"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    Path latest = run.resolve("checkpoints/LATEST");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline
          && !(Files.exists(latest) && Files.readString(latest).compareTo("step-0000010") >= 0)) {
        Thread.sleep(50);
      }
      assertTrue(
          Files.exists(latest),
          "no checkpoint before the deadline: " + Files.readString(tmp.resolve("child.log")));
      p.destroyForcibly(); // SIGKILL
      p.waitFor(10, TimeUnit.SECONDS);
    } finally {
      p.destroyForcibly();
    }
    double[] before = iterations(run);
    assertTrue(before.length < 100, "killed before the epoch ended");
    PlanCommandTest.Result r = run("train", "--resume", run.toString(), "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("resuming"), r.out());
    double[] it = iterations(run);
    assertEquals(100, it.length, "one row per iteration, none lost or repeated");
    for (int i = 0; i < it.length; i++) assertEquals(i + 1, it[i], 0);
    double[] d = MetricsLog.read(run.resolve("losses.csv")).column("d_loss");
    for (double v : d) assertTrue(Double.isFinite(v));
    assertEquals("step-0000100", Files.readString(latest).strip());
  }
}
