package org.convmirror.internal.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.internal.report.TrainingReport;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.LossPlot;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.RunDirectory;

/**
 * What the loop does when an epoch ends: the means of the epoch's step metrics, the objective's
 * pictures and numbers, the loss plot, a row of {@code epochs.csv}, {@code metrics.json}, when due
 * the evaluation that keeps the best checkpoint, and then the run's report (page and TensorBoard
 * events), which shows all of these.
 */
final class EpochEnd {
  private final Objective objective;
  private final List<Objective.Metric> metrics;
  private final RunDirectory run;
  private final PrintStream console;
  private final EpochEvaluation evaluation; // null: none
  private final Checkpoints checkpoints;
  private final DivergenceGuard guard;
  private final TrainingReport reporting;
  private final int smoothing;
  private final double[] sums;
  private int summed;

  EpochEnd(
      Objective objective,
      RunDirectory run,
      PrintStream console,
      EpochEvaluation evaluation,
      Checkpoints checkpoints,
      DivergenceGuard guard,
      int iterationsPerEpoch,
      TrainingReport reporting) {
    this.objective = objective;
    this.metrics = objective.metrics();
    this.run = run;
    this.console = console;
    this.evaluation = evaluation;
    this.checkpoints = checkpoints;
    this.guard = guard;
    this.reporting = reporting;
    this.smoothing = Math.max(1, iterationsPerEpoch / 20);
    this.sums = new double[metrics.size()];
  }

  /** Counts one step's metrics into the epoch's means. */
  void add(double[] m) {
    for (int i = 0; i < m.length; i++) sums[i] += m[i];
    summed++;
  }

  /** After a resume mid-epoch, the epoch's means must include the rows before the kill. */
  void addRowsOfEpoch(MetricsTable t, int epoch) {
    double[] epochs = t.column("epoch");
    for (int m = 0; m < metrics.size(); m++) {
      double[] v = t.column(metrics.get(m).column());
      for (int r = 0; r < v.length; r++) if (epochs[r] == epoch + 1) sums[m] += v[r];
    }
    for (double e : epochs) if (e == epoch + 1) summed++;
  }

  /**
   * Closes epoch {@code state.epoch()}: its numbers and pictures, then {@code save} (the epoch's
   * checkpoint), then the evaluation if due.
   */
  Objective.EpochReport close(TrainState state, MetricsLog epochs, Saver save) throws IOException {
    Map<String, Double> means = new LinkedHashMap<>();
    for (int m = 0; m < metrics.size(); m++) {
      means.put(metrics.get(m).column(), summed == 0 ? Double.NaN : sums[m] / summed);
    }
    java.util.Arrays.fill(sums, 0);
    summed = 0;
    int epoch = state.epoch();
    Objective.EpochReport report = objective.endOfEpoch(epoch, means, run);
    for (Map.Entry<String, Double> v : report.values().entrySet()) {
      if (!Double.isFinite(v.getValue())) {
        throw guard.diverged(
            state.iteration(), v.getKey() + "=" + v.getValue() + " after epoch " + epoch);
      }
    }
    Objective.Plot plot = objective.plot();
    LossPlot.of(MetricsLog.read(run.layout().lossesCsv()))
        .series(plot.series().toArray(String[]::new))
        .optSmoothing(smoothing)
        .optTitle(plot.title())
        .optAxisLabels("iteration", plot.yLabel())
        .write(run.layout().lossesPng());
    double[] row = new double[2 + means.size() + objective.epochColumns().size()];
    int c = 0;
    row[c++] = epoch;
    for (double v : means.values()) row[c++] = v;
    for (String name : objective.epochColumns()) row[c++] = report.values().get(name);
    row[c] = state.seconds();
    epochs.append(row);
    epochs.sync();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("epoch", epoch);
    summary.put("iteration", state.iteration());
    summary.put("seconds", state.seconds());
    summary.put("train", means);
    summary.putAll(report.values());
    summary.putAll(report.details());
    run.writeMetrics(summary);
    save.save(state);
    evaluate(state);
    reporting.epochEnded(epoch, state.iteration());
    console.printf(
        Locale.ROOT,
        "epoch %d: %s%s, losses %s%n",
        epoch,
        report.summary().isEmpty() ? "" : report.summary() + "; ",
        "samples " + run.root().relativize(run.layout().sampleFile(epoch)),
        run.root().relativize(run.layout().lossesPng()));
    return report;
  }

  /** Takes a checkpoint of the state given. */
  @FunctionalInterface
  interface Saver {
    void save(TrainState state) throws IOException;
  }

  /** Scores the model when due, and keeps the best checkpoint by that score. */
  private void evaluate(TrainState state) throws IOException {
    if (evaluation == null || !evaluation.due(state.epoch())) return;
    double score = evaluation.score(state.epoch(), objective.sampler());
    BestScore best = BestScore.read(run);
    if (best == null || score < best.score()) {
      Path kept = checkpoints.keepAsBest(checkpoints.latest().orElseThrow());
      new BestScore(evaluation.name(), score, state.epoch(), state.iteration()).write(run);
      console.printf(
          Locale.ROOT,
          "epoch %d: %s %.4f, the best so far: kept as %s%n",
          state.epoch(),
          evaluation.name(),
          score,
          run.root().relativize(kept));
    } else {
      console.printf(
          Locale.ROOT,
          "epoch %d: %s %.4f (best %.4f at epoch %d)%n",
          state.epoch(),
          evaluation.name(),
          score,
          best.score(),
          best.epoch());
    }
  }
}
