package org.convmirror.internal.train;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.RunDirectory;

/**
 * What is being trained, as the {@link RunLoop} sees it: networks behind a step that returns named
 * numbers, the files that let it continue from a checkpoint, its pictures after an epoch, and a
 * sampler for evaluation. Everything else about a run — epochs, resume, CSVs, checkpoints, health,
 * evaluation, randomness — belongs to the loop, so each objective gets all of it.
 *
 * <p>Random draws go through the {@link Randomness} an objective is built with, keyed by {@link
 * Iteration#number()}, never through state carried from one iteration to the next.
 */
public interface Objective extends AutoCloseable {

  /**
   * A number a step reports: its column in {@code losses.csv} and its short label on the progress
   * bar.
   */
  record Metric(String column, String label) {}

  /**
   * How the end of an epoch went: numbers for {@code epochs.csv} (by {@link #epochColumns()}), one
   * line for the console, and facts for {@code metrics.json} beside the numbers.
   */
  record EpochReport(Map<String, Double> values, String summary, Map<String, Object> details) {

    /** No numbers and nothing to say beyond the pictures. */
    public static EpochReport empty() {
      return new EpochReport(Map.of(), "", Map.of());
    }
  }

  /** The loss plot: which metrics, with what title and y-axis label. */
  record Plot(List<String> series, String title, String yLabel) {}

  /**
   * What one step reports, in this order; the values of {@link #step} follow it. A null label keeps
   * a metric off the progress bar.
   */
  List<Metric> metrics();

  /** The numbers {@link #endOfEpoch} reports, the columns of {@code epochs.csv} after the means. */
  List<String> epochColumns();

  /** Real batches one iteration consumes (a GAN's discriminator steps); 1 by default. */
  default int batchesPerIteration() {
    return 1;
  }

  /**
   * Whether the real images it trains on are flipped left to right at random ({@code --augment
   * flip}); the loop flips them as it assembles batches, keyed by {@link Randomness.Stream#FLIP}.
   */
  default boolean flipsRealImages() {
    return false;
  }

  /** One training iteration; returns the values of {@link #metrics()}. */
  double[] step(Iteration iteration);

  /** From now on, reports the wall time of each named phase of {@link #step} to {@code timer}. */
  default void time(PhaseTimer timer) {}

  /** Everything needed to continue from here, as named checkpoint files and their writers. */
  Map<String, IoConsumer<OutputStream>> checkpoint();

  /**
   * Continues from {@code loaded}, a verified checkpoint with the files {@link #checkpoint} names.
   */
  void restore(Checkpoints.Loaded<TrainState> loaded) throws IOException;

  /**
   * Draws the epoch's pictures into {@code run} and computes its numbers.
   *
   * @param epoch the epochs done (1-based)
   * @param means the epoch's mean of every step metric, by column
   */
  EpochReport endOfEpoch(int epoch, Map<String, Double> means, RunDirectory run) throws IOException;

  /** Images for evaluation during training. */
  ImageSource sampler();

  /** What the loss plot shows. */
  Plot plot();

  /**
   * Why this step's finite numbers show a diverged run — a loss far beyond any healthy value,
   * outputs saturated past where a gradient flows — or null. The loop stops the run when this lasts
   * {@value DivergenceGuard#PATIENCE} iterations in a row (NaN and infinity stop it at once); see
   * {@link DivergenceGuard#runaway} for the first kind.
   */
  default String divergence(Metrics metrics) {
    return null;
  }

  /**
   * Why this step's numbers show a run going wrong in a milder way, e.g. a discriminator that wins
   * outright; null when all is well. The loop warns once when this persists.
   */
  default String trouble(Metrics metrics) {
    return null;
  }

  /**
   * What to try after a divergence. A resumed run keeps its settings, and would replay the same
   * divergence bit for bit, so this is about a new run, e.g. "train a new run with a lower --lr".
   */
  default String advice() {
    return "train a new run with a lower --lr";
  }

  /** Lines worth printing once before training starts, e.g. the floor a loss cannot go below. */
  default List<String> notes() {
    return List.of();
  }

  @Override
  void close();
}
