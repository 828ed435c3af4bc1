package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.convmirror.TinyModels;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.testing.ChildJvm;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's randomised kill test: a real {@code train} process of a tiny GAN SIGKILLed at least
 * {@value #KILLS} times at random moments — in its first seconds, while it resumes, while it writes
 * a checkpoint, between iterations — and resumed each time (or, if a kill came before run.json,
 * trained again under its name), then resumed to the end. Its losses.csv and epochs.csv equal an
 * uninterrupted run's in every column but the seconds, and its final checkpoint holds the same
 * bytes.
 */
@Tier.Process
class KillResumeTest {
  static final int KILLS = 20;
  static final int ITERATIONS = 300; // synthetic:480 at batch 16: 30 an epoch, 10 epochs
  static final long SEED = 13; // of the kill moments; printed on failure

  @TempDir Path tmp;

  private Path model;

  private enum Moment {
    /** 0–2 s after the start: JVM and engine start, loading and verifying a checkpoint. */
    EARLY,
    /** Just after the run said it resumed: cutting the CSVs, replaying them, the first batch. */
    RESUMING,
    /** As soon as a checkpoint's temp directory appears: in the middle of writing it. */
    CHECKPOINT,
    /** After 1–60 new rows of losses.csv (written at least once a second). */
    ROWS
  }

  private List<String> job(Path runs) {
    return List.of(
        "--model",
        model.toString(),
        "--data",
        "synthetic:480",
        "--batch-size",
        "16",
        "--epochs",
        "10",
        "--checkpoint-every",
        "4",
        "--threads",
        "1",
        "--quiet",
        "--runs",
        runs.toString(),
        "--name",
        "r");
  }

  private ChildJvm start(Path run, int life) throws IOException {
    List<String> args = new ArrayList<>(List.of("train"));
    if (Files.exists(run.resolve("run.json"))) {
      args.addAll(List.of("--resume", run.toString(), "--quiet"));
    } else {
      args.addAll(job(run.getParent())); // killed before run.json: the name must be free
    }
    return ChildJvm.startLogged(
        tmp.resolve(life + ".out"),
        tmp.resolve(life + ".err"),
        Main.class,
        args.toArray(String[]::new));
  }

  private static int rows(Path run) throws IOException {
    Path csv = run.resolve("losses.csv");
    if (!Files.exists(csv)) return 0;
    try (Stream<String> lines = Files.lines(csv)) {
      return (int) Math.max(0, lines.count() - 1);
    }
  }

  /** The temp directories in checkpoints/: there while a checkpoint is written. */
  private static List<Path> temps(Path run) {
    List<Path> t = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(run.resolve("checkpoints"), ".tmp-*")) {
      s.forEach(t::add);
    } catch (IOException e) {
      // not there yet
    }
    return t;
  }

  /** Waits for {@code moment}; false if the child ended first. */
  private boolean await(
      ChildJvm child, Moment moment, Path run, Path out, Random random, List<Path> left)
      throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    int rows0 = rows(run);
    int more = 1 + random.nextInt(60);
    long early = System.nanoTime() + (long) (random.nextDouble() * 2e9);
    while (System.nanoTime() < deadline) {
      if (!child.alive()) return false;
      boolean now =
          switch (moment) {
            case EARLY -> System.nanoTime() >= early;
            case RESUMING -> ChildJvm.text(out).contains("resuming");
            case CHECKPOINT -> !left.containsAll(temps(run));
            case ROWS -> rows(run) >= rows0 + more;
          };
      if (now) {
        if (moment == Moment.RESUMING) Thread.sleep(random.nextInt(100));
        return true;
      }
      if (moment == Moment.CHECKPOINT) Thread.onSpinWait(); // a small checkpoint takes ms
      else Thread.sleep(1);
    }
    throw new AssertionError(moment + " did not come within 120 s");
  }

  @Test
  void everyKillResumesToTheUninterruptedRun() throws Exception {
    model = TinyModels.ganFile(tmp);
    Path straight = tmp.resolve("straight");
    try (ChildJvm s =
        ChildJvm.startLogged(
            tmp.resolve("straight.out"),
            tmp.resolve("straight.err"),
            Main.class,
            Stream.concat(Stream.of("train"), job(straight).stream()).toArray(String[]::new))) {
      assertEquals(0, s.waitFor(300), ChildJvm.text(tmp.resolve("straight.err")));
    }

    Path run = tmp.resolve("killed").resolve("r");
    Files.createDirectories(run.getParent());
    Random random = new Random(SEED);
    List<String> log = new ArrayList<>();
    int kills = 0;
    int midWrite = 0;
    int midResume = 0;
    for (int life = 0; kills < KILLS; life++) {
      Moment moment = Moment.values()[life % Moment.values().length];
      if (moment == Moment.RESUMING && !Files.exists(run.resolve("run.json"))) {
        moment = Moment.EARLY; // a fresh start: nothing to resume
      }
      Path out = tmp.resolve(life + ".out");
      List<Path> left = temps(run); // by an earlier kill, until the next save removes them
      try (ChildJvm child = start(run, life)) {
        if (!await(child, moment, run, out, random, left)) {
          int code = child.waitFor(10);
          throw new AssertionError(
              "life "
                  + life
                  + " ended by itself with "
                  + code
                  + " (seed "
                  + SEED
                  + "): "
                  + ChildJvm.text(tmp.resolve(life + ".err"))
                  + "\n"
                  + String.join("\n", log));
        }
        child.kill();
      }
      kills++;
      boolean wrote = !left.containsAll(temps(run));
      boolean resumed = ChildJvm.text(out).contains("resuming");
      midWrite += moment == Moment.CHECKPOINT && wrote ? 1 : 0;
      midResume += moment == Moment.RESUMING && resumed ? 1 : 0;
      log.add(
          "life "
              + life
              + ": "
              + ChildJvm.text(out)
                  .lines()
                  .filter(l -> l.startsWith("resuming") || l.contains("no checkpoint yet"))
                  .findFirst()
                  .orElse("fresh")
              + ", killed "
              + moment
              + " at row "
              + rows(run)
              + (wrote ? ", mid-checkpoint" : ""));
      assertEquals("", ChildJvm.text(tmp.resolve(life + ".err")), "life " + life);
    }
    try (ChildJvm last = start(run, -1)) {
      assertEquals(0, last.waitFor(300), ChildJvm.text(tmp.resolve("-1.err")));
    }
    String story = String.join("\n", log);
    assertTrue(midWrite >= 1, "no kill landed during a checkpoint write:\n" + story);
    assertTrue(midResume >= 1, "no kill landed during a resume:\n" + story);

    Path expected = straight.resolve("r");
    for (String csv : List.of("losses.csv", "epochs.csv")) {
      MetricsTable e = MetricsLog.read(expected.resolve(csv));
      MetricsTable a = MetricsLog.read(run.resolve(csv));
      assertEquals(e.columns(), a.columns());
      assertEquals(e.size(), a.size(), csv + "\n" + story);
      for (String c : e.columns()) {
        if (!c.equals("seconds")) assertArrayEquals(e.column(c), a.column(c), csv + " " + c);
      }
    }
    assertEquals(ITERATIONS, MetricsLog.read(run.resolve("losses.csv")).size());
    String latest = String.format("step-%07d", ITERATIONS);
    assertEquals(latest, Files.readString(run.resolve("checkpoints/LATEST")).strip());
    try (Stream<Path> files = Files.list(expected.resolve("checkpoints").resolve(latest))) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.equals("state.json") || name.equals("MANIFEST.json")) continue; // hold seconds
        Path b = run.resolve("checkpoints").resolve(latest).resolve(name);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b), name);
      }
    }
  }
}
