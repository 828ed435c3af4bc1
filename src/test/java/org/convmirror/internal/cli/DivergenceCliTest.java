package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convmirror.TinyModels;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.TrainState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, case 3: a huge learning rate no longer trains to losses of 1e20 and exits 0. The run
 * stops within a few hundred iterations with one line naming the checkpoint it kept, and that
 * checkpoint is on disk, loads, and predates the divergence although retention would have pruned
 * it.
 */
@Tier.Engine
class DivergenceCliTest {
  private static final Pattern STOP =
      Pattern.compile(
          "convmirror: training diverged at iteration (\\d+) \\((.*)\\); kept (\\S+), the last"
              + " checkpoint from before the trouble \\(iteration (\\d+)\\): sample it with"
              + " 'convmirror sample \\3'; train a new run with a lower --lr \\(this one has"
              + " 1\\.00e\\+09\\).*");

  @TempDir Path tmp;

  /** The stop line's matcher, after checking exit code 1 and that it is the only stderr line. */
  private static Matcher stopped(PlanCommandTest.Result r) {
    assertEquals(1, r.code(), r.err() + r.out());
    List<String> err = r.err().lines().toList();
    assertEquals(1, err.size(), r.err());
    Matcher m = STOP.matcher(err.get(0));
    assertTrue(m.matches(), err.get(0));
    return m;
  }

  /** Where the GAN's divergence rules first hold: a loss beyond ±1e5 or D's outputs saturated. */
  private static long troubleStart(MetricsTable t) {
    for (double[] row : t.rows()) {
      boolean runaway = Math.abs(row[3]) > 1e5 || Math.abs(row[4]) > 1e5;
      boolean saturated =
          Math.min(row[5], 1 - row[5]) < 1e-6 && Math.min(row[6], 1 - row[6]) < 1e-6;
      if (runaway || saturated || !Double.isFinite(row[3] + row[4])) return (long) row[1];
    }
    throw new AssertionError("no trouble in " + t.size() + " rows");
  }

  @Test
  void aHugeLearningRateStopsNamingACheckpointFromBeforeTheDivergence() throws Exception {
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
    Matcher m = stopped(r);
    long stop = Long.parseLong(m.group(1));
    Path kept = Path.of(m.group(3));
    int keptAt = Integer.parseInt(m.group(4));
    Path run = tmp.resolve("big");
    MetricsTable losses = MetricsLog.read(run.resolve("losses.csv"));
    assertTrue(stop <= 300, "within a few hundred iterations: " + stop);
    assertEquals(stop, losses.size(), "every iteration up to the stop is logged");
    assertTrue(m.group(2).startsWith("for 50 iterations in a row, since iteration "), m.group(2));
    assertTrue(keptAt < troubleStart(losses), keptAt + " vs " + troubleStart(losses));

    assertEquals(run.resolve("checkpoints").resolve(String.format("step-%07d", keptAt)), kept);
    var loaded = Checkpoints.loadExactly(kept, List.of("generator.params"), TrainState.class);
    assertEquals(keptAt, loaded.state().iteration());
    // Two newer checkpoints, written in trouble: retention (2) kept the good one beside them.
    List<Integer> steps =
        new Checkpoints(run.resolve("checkpoints")).list().stream().map(Checkpoints::step).toList();
    assertEquals(3, steps.size(), steps.toString());
    assertTrue(steps.get(1) > troubleStart(losses), steps.toString());

    PlanCommandTest.Result s =
        PlanCommandTest.run(
            "sample", kept.toString(), "--count", "4", "--out", tmp.resolve("s").toString());
    assertEquals(0, s.code(), s.err());
    assertTrue(Files.exists(tmp.resolve("s/samples.npy")));
  }

  @Test
  void aVaeThatBlowsUpAtOnceKeepsItsStart() throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--model",
            "vae28",
            "--lr",
            "1e9",
            "--data",
            "synthetic:64",
            "--batch-size",
            "16",
            "--runs",
            tmp.toString(),
            "--name",
            "v",
            "--quiet");
    Matcher m = stopped(r);
    assertEquals("0", m.group(4), "the start, written before the first iteration");
    assertTrue(Files.isRegularFile(Path.of(m.group(3)).resolve("MANIFEST.json")), m.group(3));
  }
}
