package org.convmirror.internal.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.BatchLoader;
import org.convmirror.internal.data.Flip;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.report.TrainingReport;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.Progress;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.options.TrainConfig;

/**
 * The one training loop: epochs of {@link Objective#step} iterations over shuffled batches, with a
 * progress bar, {@code losses.csv} (a row per iteration) and {@code epochs.csv} (a row per epoch),
 * the loss plot, the objective's pictures after every epoch, atomic checkpoints every {@link
 * TrainConfig#checkpointEvery()} iterations and at every epoch end, health checks, evaluation every
 * {@link TrainConfig#evalEvery()} epochs with the best checkpoint kept, the run's report ({@code
 * outcome.json}, the page and TensorBoard events: {@link TrainingReport}) kept up to date from its
 * start to its finish or stop, and resume from the latest checkpoint, bit for bit.
 */
public final class RunLoop {
  /** Columns of {@code losses.csv} before and after the objective's metrics. */
  static final List<String> LEADING = List.of("epoch", "iteration", "images");

  static final String SECONDS = "seconds";

  private final Objective objective;
  private final ImageSet data;
  private final TrainConfig config;
  private final RunDirectory run;
  private final PrintStream console;
  private final boolean interactive;
  private final Integer moreEpochs;
  private final IntConsumer onEpochTarget;
  private final EpochEvaluation evaluation;
  private final Checkpoints checkpoints;
  private final List<Objective.Metric> metrics;
  private final EpochPlan plan;
  private final DivergenceGuard guard;

  /** How the job went; {@code last} and {@code lastEpoch} are null if nothing was left to do. */
  public record Result(
      TrainState state,
      double[] last,
      Objective.EpochReport lastEpoch,
      List<Objective.Metric> metrics,
      double imagesPerSecond) {}

  private RunLoop(Builder b) {
    this.objective = b.objective;
    this.data = b.data;
    this.config = b.config;
    this.run = b.run;
    this.console = b.console;
    this.interactive = b.interactive;
    this.moreEpochs = b.moreEpochs;
    this.onEpochTarget = b.onEpochTarget;
    this.evaluation = b.evaluation;
    this.checkpoints = new Checkpoints(run.layout().checkpointsDir(), config.keepCheckpoints());
    this.metrics = objective.metrics();
    this.plan = b.plan;
    this.guard = new DivergenceGuard(objective);
  }

  /**
   * A loop that trains {@code objective} on {@code data} in {@code run}, its epochs divided as
   * {@code plan} says (made from the data before the run directory was).
   */
  public static Builder builder(
      Objective objective, ImageSet data, EpochPlan plan, TrainConfig config, RunDirectory run) {
    return new Builder(objective, data, plan, config, run);
  }

  /** Trains until the epoch target, resuming from the run's checkpoint if it was resumed. */
  public Result run() throws IOException {
    TrainState state = TrainState.start();
    // A run killed before its first checkpoint has nothing to continue from: it starts over.
    boolean fresh = !run.resumed() || checkpoints.none();
    if (!fresh) {
      state = restore();
    } else if (run.resumed()) {
      console.printf(
          "%s has no checkpoint yet (it stopped before the first): training it from the start%n",
          run);
    }
    if (!fresh) {
      // Before anything is written (run.json's target included): the logs must hold exactly the
      // history the checkpoint continues, or the resume is refused with nothing changed.
      MetricsLog.checkResumable(
          run.layout().lossesCsv(), lossColumns(), "iteration", state.iteration(), true);
      MetricsLog.checkResumable(
          run.layout().epochsCsv(), epochColumns(), "epoch", state.epoch(), false);
    }
    int target = moreEpochs == null ? config.epochs() : state.epoch() + moreEpochs;
    if (moreEpochs != null) onEpochTarget.accept(target); // on resume, --epochs N is N more
    guard.runLength((long) target * plan.iterations());
    if (state.epoch() >= target) {
      console.printf("nothing to do: %d of %d epochs are done%n", state.epoch(), target);
      return new Result(state, null, null, metrics, 0);
    }
    objective.notes().forEach(console::println);
    TrainingReport report = TrainingReport.start(run, state.epoch(), state.iteration(), console);
    try {
      Result r;
      try (MetricsLog losses = openLosses(state);
          MetricsLog epochs = openEpochs(state)) {
        r = new Epochs(losses, epochs, target, report).run(state, fresh);
      }
      report.finished(r.state().epoch(), r.state().iteration());
      return r;
    } catch (IOException | RuntimeException e) {
      report.stopped(e, e instanceof TrainingFailed, guard.lastGood());
      throw e;
    } finally {
      report.close();
    }
  }

  private TrainState restore() throws IOException {
    Checkpoints.Loaded<TrainState> loaded =
        checkpoints.load(objective.checkpoint().keySet(), TrainState.class);
    loaded.warnings().forEach(w -> console.println("warning: " + w));
    objective.restore(loaded);
    TrainState state = loaded.state();
    console.printf(
        Locale.ROOT,
        "resuming %s at epoch %d, iteration %d%n",
        run.root(),
        state.epoch() + 1,
        state.iteration());
    return state;
  }

  private List<String> lossColumns() {
    List<String> c = new ArrayList<>(LEADING);
    metrics.forEach(m -> c.add(m.column()));
    c.add(SECONDS);
    return c;
  }

  private List<String> epochColumns() {
    List<String> c = new ArrayList<>(List.of("epoch"));
    metrics.forEach(m -> c.add(m.column()));
    c.addAll(objective.epochColumns());
    c.add(SECONDS);
    return c;
  }

  private MetricsLog openLosses(TrainState s) throws IOException {
    return run.resumed()
        ? MetricsLog.resume(run.layout().lossesCsv(), lossColumns(), "iteration", s.iteration())
        : MetricsLog.create(run.layout().lossesCsv(), lossColumns());
  }

  private MetricsLog openEpochs(TrainState s) throws IOException {
    return run.resumed()
        ? MetricsLog.resume(run.layout().epochsCsv(), epochColumns(), "epoch", s.epoch())
        : MetricsLog.create(run.layout().epochsCsv(), epochColumns());
  }

  /** The epochs of one process: its logs and the epoch in progress. */
  private final class Epochs {
    private final MetricsLog losses;
    private final MetricsLog epochs;
    private final int target;
    private final EpochEnd end;

    Epochs(MetricsLog losses, MetricsLog epochs, int target, TrainingReport report) {
      this.losses = losses;
      this.epochs = epochs;
      this.target = target;
      this.end =
          new EpochEnd(
              objective, run, console, evaluation, checkpoints, guard, plan.iterations(), report);
    }

    Result run(TrainState start, boolean fresh) throws IOException {
      int b = plan.batchSize();
      int k = plan.batchesPerIteration();
      int perEpoch = plan.iterations();
      TrainState state = start;
      double[] last = null;
      Objective.EpochReport report = null;
      long t0 = System.nanoTime();
      double seconds0 = state.seconds();
      if (fresh) {
        save(state); // the known-good start a run that diverges at once can still fall back to
      } else {
        MetricsTable kept = MetricsLog.read(run.layout().lossesCsv());
        if (state.batch() > 0) end.addRowsOfEpoch(kept, state.epoch()); // the epoch's rows so far
        guard.replay(kept, checkpoints.list(), state.iteration());
      }
      Randomness random = new Randomness(config.seed());
      long order = random.seed(Randomness.Stream.DATA_ORDER, 0);
      Flip flip =
          objective.flipsRealImages()
              ? Flip.keyed(epoch -> random.seed(Randomness.Stream.FLIP, epoch))
              : Flip.NONE;
      try (BatchLoader loader =
          BatchLoader.start(data, b, order, true, state.epoch(), state.batch(), flip)) {
        for (int epoch = state.epoch(); epoch < target; epoch++) {
          Progress bar = progress(epoch);
          for (int i = state.batch() / k; i < perEpoch; i++) {
            List<Batch> batches = new ArrayList<>(k);
            for (int j = 0; j < k; j++) batches.add(loader.next());
            last = objective.step(new Iteration(state.iteration(), epoch, i, perEpoch, batches));
            state = state.next(k, b, seconds0 + (System.nanoTime() - t0) / 1e9);
            log(state, last);
            check(state, last);
            for (int m = 0; m < last.length; m++) {
              if (metrics.get(m).label() != null) bar.set(metrics.get(m).label(), last[m]);
            }
            bar.step(plan.imagesPerIteration());
            if (config.checkpointEvery() > 0
                && state.iteration() % config.checkpointEvery() == 0
                && i + 1 < perEpoch) {
              save(state);
            }
          }
          bar.finish();
          // Leftover batches (fewer than one iteration needs) are skipped: epochs start aligned.
          for (int j = perEpoch * k; j < plan.batchesPerEpoch(); j++) loader.next();
          state = state.nextEpoch();
          losses.sync();
          report = end.close(state, epochs, this::save);
        }
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      return new Result(state, last, report, metrics, (state.images() - start.images()) / wall);
    }

    private Progress progress(int epoch) {
      return Progress.builder(console)
          .total(plan.iterations())
          .optLabel(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, target))
          .optUnit("img")
          .optInteractive(interactive)
          .optPercentStep(10)
          .build();
    }

    private void log(TrainState s, double[] m) throws IOException {
      double[] row = new double[LEADING.size() + m.length + 1];
      row[0] = s.epoch() + 1;
      row[1] = s.iteration();
      row[2] = s.images();
      System.arraycopy(m, 0, row, LEADING.size(), m.length);
      row[row.length - 1] = s.seconds();
      losses.append(row);
      end.add(m);
    }

    private void save(TrainState state) throws IOException {
      losses.sync();
      checkpoints.pin(guard.lastGood()); // while in trouble, the last good one must stay
      Path saved = checkpoints.save((int) state.iteration(), objective.checkpoint(), state);
      guard.saved(state.iteration(), saved);
    }

    private void check(TrainState state, double[] m) {
      String warning = guard.check(state.iteration(), m);
      if (warning != null) console.printf(Locale.ROOT, "%n%s%n", warning);
    }
  }

  /** Sets up a {@link RunLoop}. */
  public static final class Builder {
    private final Objective objective;
    private final ImageSet data;
    private final EpochPlan plan;
    private final TrainConfig config;
    private final RunDirectory run;
    private PrintStream console = System.out;
    private boolean interactive;
    private Integer moreEpochs;
    private IntConsumer onEpochTarget = target -> {};
    private EpochEvaluation evaluation;

    private Builder(
        Objective objective, ImageSet data, EpochPlan plan, TrainConfig config, RunDirectory run) {
      this.objective = objective;
      this.data = data;
      this.plan = plan;
      this.config = config;
      this.run = run;
    }

    /** Where progress and messages go; {@code interactive} redraws the bar in place. */
    public Builder optConsole(PrintStream console, boolean interactive) {
      this.console = console;
      this.interactive = interactive;
      return this;
    }

    /**
     * On a resumed run, train this many epochs more than its checkpoint has done, and tell {@code
     * onTarget} the new total so that it can be recorded.
     */
    public Builder optMoreEpochs(Integer epochs, IntConsumer onTarget) {
      this.moreEpochs = epochs;
      this.onEpochTarget = onTarget;
      return this;
    }

    /** Scores the model when due and keeps the best checkpoint by that score. */
    public Builder optEvaluation(EpochEvaluation evaluation) {
      this.evaluation = evaluation;
      return this;
    }

    public RunLoop build() {
      return new RunLoop(this);
    }
  }
}
