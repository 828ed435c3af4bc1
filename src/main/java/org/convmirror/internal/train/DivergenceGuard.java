package org.convmirror.internal.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.MetricsTable;

/**
 * The loop's health checks. A NaN or infinite number stops a run at once; finite numbers gone
 * wrong, as {@link Objective#divergence} names them (a loss far beyond any healthy value, outputs
 * saturated past where a gradient flows), stop it when they last {@value #PATIENCE} iterations in a
 * row. The guard also knows which checkpoints are known-good — taken with no trouble in the {@value
 * #PATIENCE} iterations before them — so that retention keeps the last of them while a run is in
 * trouble, and the stop names it. Milder trouble ({@link Objective#trouble}) is reported once.
 *
 * <p>Its state is a function of the rows of {@code losses.csv}, so a resumed run {@link #replay
 * replays} them and stops at the iteration an uninterrupted run would.
 */
public final class DivergenceGuard {
  /**
   * Iterations of trouble in a row before a run stops. Long enough to let a run recover from a
   * spell (dcgan28 at --lr 0.05 saturates for up to 22 iterations in a row, then trains on), short
   * enough that --lr 1e9, in trouble from its first iteration, stops within seconds.
   */
  static final int PATIENCE = 50;

  /** Iterations of milder trouble before the loop says so, once. */
  static final int TROUBLE_PATIENCE = 200;

  private final Objective objective;
  private int patience = PATIENCE;
  private final List<Objective.Metric> metrics;
  private long since = -1; // the first iteration of the trouble going on, -1 when none
  private long lastTroubled = Long.MIN_VALUE / 2;
  private int troubled;
  private Path lastGood;

  DivergenceGuard(Objective objective) {
    this.objective = objective;
    this.metrics = objective.metrics();
  }

  /**
   * Judges trouble within a run of {@code iterations} in all: a run shorter than twice {@value
   * #PATIENCE} stops after half its length in trouble, so that a 16-iteration run at --lr 1e9 does
   * not end "successfully" with losses of 1e20.
   */
  void runLength(long iterations) {
    patience = (int) Math.min(PATIENCE, Math.max(2, iterations / 2));
  }

  /**
   * The first of {@code columns} whose value is beyond ±{@code limit}, said as a phrase for {@link
   * Objective#divergence}; null if none is.
   */
  public static String runaway(Metrics m, List<String> columns, double limit) {
    for (String column : columns) {
      double v = m.get(column);
      if (Math.abs(v) > limit) {
        return String.format(Locale.ROOT, "%s is %.3g, beyond ±%.3g", column, v, limit);
      }
    }
    return null;
  }

  /**
   * Checks the numbers of iteration {@code iteration} (1-based).
   *
   * @return a warning to print, once, when milder trouble has lasted {@value #TROUBLE_PATIENCE}
   *     iterations; null otherwise
   * @throws TrainingFailed if a number is not finite, or the run has been in trouble for {@value
   *     #PATIENCE} iterations in a row
   */
  String check(long iteration, double[] m) {
    for (double v : m) {
      if (!Double.isFinite(v)) throw diverged(iteration, values(m));
    }
    String trouble = observe(iteration, m);
    if (trouble != null && iteration - since + 1 >= patience) {
      throw diverged(
          iteration,
          String.format(
              Locale.ROOT,
              "for %d iterations in a row, since iteration %d: %s",
              iteration - since + 1,
              since,
              trouble));
    }
    String mild = objective.trouble(new Metrics(metrics, m));
    troubled = mild == null ? 0 : troubled + 1;
    return troubled == TROUBLE_PATIENCE
        ? String.format(
            Locale.ROOT,
            "warning: for %d iterations (to iteration %d) %s",
            TROUBLE_PATIENCE,
            iteration,
            mild)
        : null;
  }

  private String observe(long iteration, double[] m) {
    String trouble = objective.divergence(new Metrics(metrics, m));
    if (trouble == null) {
      since = -1;
    } else {
      if (since < 0) since = iteration;
      lastTroubled = iteration;
    }
    return trouble;
  }

  /**
   * Records a checkpoint taken after {@code iteration} iterations and returns the last known-good
   * one, which retention must keep.
   */
  Path saved(long iteration, Path checkpoint) {
    if (iteration - lastTroubled >= patience) lastGood = checkpoint;
    return lastGood;
  }

  /** The newest checkpoint taken with no trouble in the iterations before it; null if none. */
  Path lastGood() {
    return lastGood;
  }

  /**
   * Continues from the rows a resumed run kept ({@code losses}, cut at its checkpoint), and finds
   * its last known-good checkpoint among {@code checkpoints} (those after {@code resumedAt} were
   * not reached again yet and are ignored).
   */
  void replay(MetricsTable losses, List<Path> checkpoints, long resumedAt) {
    List<Path> byStep =
        checkpoints.stream()
            .filter(c -> Checkpoints.step(c) >= 0 && Checkpoints.step(c) <= resumedAt)
            .sorted(Comparator.comparingInt(Checkpoints::step))
            .toList();
    double[] iterations = losses.column("iteration");
    int first = RunLoop.LEADING.size();
    int next = 0;
    for (int r = 0; r <= iterations.length; r++) {
      long i = r < iterations.length ? (long) iterations[r] : Long.MAX_VALUE;
      // A checkpoint at step s saw rows 1..s: judge it before row s + 1.
      for (; next < byStep.size() && Checkpoints.step(byStep.get(next)) < i; next++) {
        saved(Checkpoints.step(byStep.get(next)), byStep.get(next));
      }
      if (r < iterations.length) {
        double[] row = losses.rows().get(r);
        observe(i, Arrays.copyOfRange(row, first, first + metrics.size()));
      }
    }
  }

  /** Why the run stopped, which checkpoint from before the trouble it kept, and what to try. */
  TrainingFailed diverged(long iteration, String what) {
    String kept =
        lastGood == null
            ? "no checkpoint from before the trouble is left"
            : String.format(
                Locale.ROOT,
                "kept %s, the last checkpoint from before the trouble (iteration %d): sample it"
                    + " with 'convmirror sample %s'",
                lastGood,
                Checkpoints.step(lastGood),
                lastGood);
    return new TrainingFailed(
        String.format(
            Locale.ROOT,
            "training diverged at iteration %d (%s); %s; %s",
            iteration,
            what,
            kept,
            objective.advice()));
  }

  private String values(double[] m) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < m.length; i++) {
      values.append(i == 0 ? "" : ", ").append(metrics.get(i).column()).append('=').append(m[i]);
    }
    return values.toString();
  }
}
