package org.convmirror.internal.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Synthetic;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's divergence guard on a scripted objective whose one number is a function of the
 * iteration: when it stops, that it keeps and names the last checkpoint from before the trouble
 * although retention would have pruned it, that a spell shorter than the patience does not stop a
 * run, and that a crash in the middle of trouble resumes to the same stop.
 */
@Tier.Engine
class DivergenceGuardTest {
  static final int BATCH = 8; // synthetic:64 → 8 iterations an epoch
  static final int PATIENCE = DivergenceGuard.PATIENCE;

  @TempDir Path tmp;

  private final ImageSet data = Synthetic.generate(64, 1, 8, 8, 3);

  private TrainConfig config(int epochs) {
    return TrainConfig.builder("scripted", "scripted")
        .data("synthetic:64")
        .epochs(epochs)
        .batchSize(BATCH)
        .checkpointEvery(5)
        .keepCheckpoints(2)
        .build();
  }

  /** An engine-free objective: {@code loss} of the 1-based iteration; beyond ±100 is divergence. */
  record Scripted(LongToDoubleFunction loss) implements Objective {
    @Override
    public List<Metric> metrics() {
      return List.of(new Metric("loss", "loss"));
    }

    @Override
    public List<String> epochColumns() {
      return List.of();
    }

    @Override
    public double[] step(Iteration iteration) {
      return new double[] {loss.applyAsDouble(iteration.number() + 1)};
    }

    @Override
    public String divergence(Metrics m) {
      double loss = m.get("loss");
      return Math.abs(loss) > 100 ? "loss is " + loss : null;
    }

    @Override
    public Map<String, IoConsumer<OutputStream>> checkpoint() {
      return Map.of("weights", out -> out.write(1));
    }

    @Override
    public void restore(Checkpoints.Loaded<TrainState> loaded) {}

    @Override
    public EpochReport endOfEpoch(int epoch, Map<String, Double> means, RunDirectory run) {
      return EpochReport.empty();
    }

    @Override
    public ImageSource sampler() {
      return null;
    }

    @Override
    public Plot plot() {
      return new Plot(List.of("loss"), "loss", "loss");
    }

    @Override
    public void close() {}
  }

  /** Healthy until {@code from}, then runaway for good. */
  private static Scripted divergingFrom(long from) {
    return new Scripted(i -> i < from ? 1.0 / i : 1e3 * i);
  }

  private static List<Integer> steps(RunDirectory run) throws Exception {
    return new Checkpoints(run.layout().checkpointsDir())
        .list().stream().map(Checkpoints::step).toList();
  }

  /** Issue 21, item 9: a run shorter than the patience used to end "successfully" at 1e20. */
  @Test
  void aShortRunInTroubleForHalfItsLengthStops() throws Exception {
    RunDirectory run = ResumeExactnessTest.run(tmp.resolve("short"), config(2)); // 16 iterations
    TrainingFailed stop =
        assertThrows(
            TrainingFailed.class,
            () -> ResumeExactnessTest.loop(divergingFrom(1), data, config(2), run));
    assertTrue(
        stop.getMessage()
            .startsWith(
                "training diverged at iteration 8 (for 8 iterations in a row, since iteration 1:"),
        stop.getMessage());
  }

  @Test
  void lastingTroubleStopsTheRunAndKeepsTheLastCheckpointFromBeforeIt() throws Exception {
    RunDirectory run = ResumeExactnessTest.run(tmp.resolve("r"), config(20));
    TrainingFailed stop =
        assertThrows(
            TrainingFailed.class,
            () -> ResumeExactnessTest.loop(divergingFrom(25), data, config(20), run));
    long end = 25 + PATIENCE - 1;
    Path kept = run.layout().checkpointsDir().resolve("step-0000024"); // epoch 3's end
    assertEquals(
        "training diverged at iteration "
            + end
            + " (for "
            + PATIENCE
            + " iterations in a row, since iteration 25: loss is "
            + 1e3 * end
            + "); kept "
            + kept
            + ", the last checkpoint from before the trouble (iteration 24): sample it with"
            + " 'convmirror sample "
            + kept
            + "'; train a new run with a lower --lr",
        stop.getMessage());
    assertEquals(
        end, MetricsLog.read(run.layout().lossesCsv()).size(), "every iteration is logged");
    // Retention (2) kept the newest two, written in trouble, and the pinned one from before it.
    assertEquals(List.of(72, 70, 24), steps(run));
    Checkpoints.loadExactly(kept, List.of("weights"), TrainState.class);
  }

  @Test
  void aNonFiniteNumberStopsAtOnceNamingTheLastGoodCheckpoint() throws Exception {
    RunDirectory run = ResumeExactnessTest.run(tmp.resolve("n"), config(20));
    Scripted nan = new Scripted(i -> i == 30 ? Double.NaN : 1);
    TrainingFailed stop =
        assertThrows(
            TrainingFailed.class, () -> ResumeExactnessTest.loop(nan, data, config(20), run));
    assertTrue(
        stop.getMessage()
            .startsWith(
                "training diverged at iteration 30 (loss=NaN); kept "
                    + run.layout().checkpointsDir().resolve("step-0000025")
                    + ", the last checkpoint from before the trouble (iteration 25)"),
        stop.getMessage());
  }

  @Test
  void aSpellShorterThanThePatienceDoesNotStopButRetentionKeepsTheGoodCheckpoint()
      throws Exception {
    // Trouble in 25..73, one iteration short of the patience; then healthy again.
    LongToDoubleFunction spell = i -> i >= 25 && i < 25 + PATIENCE - 1 ? 1e6 : 1;
    RunDirectory run = ResumeExactnessTest.run(tmp.resolve("s"), config(20));
    // Crash after iteration 90: checkpoints before 123 come < PATIENCE after the spell.
    try (Objective o = new ResumeExactnessTest.CrashingAt(new Scripted(spell), 90)) {
      assertThrows(
          ResumeExactnessTest.Crash.class,
          () -> ResumeExactnessTest.loop(o, data, config(20), run));
    }
    assertEquals(List.of(90, 88, 24), steps(run));
    RunDirectory resumed = RunDirectory.openForResume(run.root());
    // The resumed run knows from losses.csv that 24 is still the last good one.
    try (Objective o = new ResumeExactnessTest.CrashingAt(new Scripted(spell), 96)) {
      assertThrows(
          ResumeExactnessTest.Crash.class,
          () -> ResumeExactnessTest.loop(o, data, config(20), resumed));
    }
    assertEquals(List.of(96, 95, 24), steps(run));
    resumed.close();
    RunDirectory last = RunDirectory.openForResume(run.root());
    assertDoesNotThrow(() -> ResumeExactnessTest.loop(new Scripted(spell), data, config(20), last));
    assertEquals(List.of(160, 155), steps(run), "a good checkpoint later, 24 is pruned");
    assertEquals(160, MetricsLog.read(run.layout().lossesCsv()).size());
  }

  @Test
  void aRunCrashedInTroubleResumesToTheSameStop() throws Exception {
    RunDirectory straight = ResumeExactnessTest.run(tmp.resolve("a"), config(20));
    TrainingFailed expected =
        assertThrows(
            TrainingFailed.class,
            () -> ResumeExactnessTest.loop(divergingFrom(25), data, config(20), straight));
    RunDirectory crashed = ResumeExactnessTest.run(tmp.resolve("b"), config(20));
    try (Objective o = new ResumeExactnessTest.CrashingAt(divergingFrom(25), 42)) {
      assertThrows(
          ResumeExactnessTest.Crash.class,
          () -> ResumeExactnessTest.loop(o, data, config(20), crashed));
    }
    RunDirectory resumed = RunDirectory.openForResume(crashed.root());
    TrainingFailed actual =
        assertThrows(
            TrainingFailed.class,
            () -> ResumeExactnessTest.loop(divergingFrom(25), data, config(20), resumed));
    assertEquals(
        expected.getMessage().replace(straight.root().toString(), "RUN"),
        actual.getMessage().replace(crashed.root().toString(), "RUN"));
    ResumeExactnessTest.assertSameRows(
        straight.layout().lossesCsv(), crashed.layout().lossesCsv(), 25 + 49);
  }

  @Test
  void aRunWithoutACheckpointResumesFromTheStart() throws Exception {
    RunDirectory straight = ResumeExactnessTest.run(tmp.resolve("a"), config(3));
    ResumeExactnessTest.loop(new Scripted(i -> i), data, config(3), straight);
    // What a kill between run.json and the first checkpoint leaves: run.json and a torn row.
    RunDirectory killed = ResumeExactnessTest.run(tmp.resolve("b"), config(3));
    Files.writeString(
        killed.layout().lossesCsv(), "epoch,iteration,images,loss,seconds\n1,1,8,1,0.");
    killed.close();
    RunDirectory resumed = RunDirectory.openForResume(killed.root());
    ResumeExactnessTest.loop(new Scripted(i -> i), data, config(3), resumed);
    ResumeExactnessTest.assertSameRows(
        straight.layout().lossesCsv(), killed.layout().lossesCsv(), 24);
    ResumeExactnessTest.assertSameRows(
        straight.layout().epochsCsv(), killed.layout().epochsCsv(), 3);
  }
}
