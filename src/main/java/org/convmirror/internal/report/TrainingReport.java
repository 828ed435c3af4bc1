package org.convmirror.internal.report;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.report.tensorboard.EventFile;
import org.convmirror.internal.run.DiskFullException;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.RunDirectory;

/**
 * What a training process keeps up to date beside its checkpoints: {@code outcome.json} (training,
 * then how it ended), {@code report.html} after every epoch and when it stops, and its TensorBoard
 * event file (every iteration's numbers, images/s, the epoch's means and evaluation, the
 * fixed-noise grid), appended after every epoch from the run's own CSVs. The run loop calls it at
 * its start, at each epoch's end, and where it finishes or stops.
 *
 * <p>Neither page nor event file is worth a run: if one cannot be written (a bug, a read-only
 * folder) the process says so once and trains on; a full disk stops the run at its next checkpoint
 * anyway.
 */
public final class TrainingReport implements Closeable {
  /** Iterations between two images/s points: a mean over this many steps. */
  static final int SPEED_WINDOW = 20;

  private final RunDirectory run;
  private final PrintStream console;
  private EventFile events; // null when off or failed
  private long logged; // the last iteration in the event file
  private boolean warned;

  private TrainingReport(RunDirectory run, PrintStream console, long iteration) {
    this.run = run;
    this.console = console;
    this.logged = iteration;
  }

  /** A process starts training {@code run} at {@code iteration}, after {@code epoch} epochs. */
  public static TrainingReport start(
      RunDirectory run, int epoch, long iteration, PrintStream console) throws IOException {
    Outcome.now(Outcome.TRAINING, null, epoch, iteration, null).write(run.layout().outcomeJson());
    TrainingReport r = new TrainingReport(run, console, iteration);
    try {
      r.events = EventFile.create(run.layout().tensorboardDir());
      if (iteration > 0) r.events.sessionStart(iteration);
    } catch (IOException | RuntimeException e) {
      r.warn("TensorBoard events", e);
      r.events = null;
    }
    return r;
  }

  /** After epoch {@code epoch} ended at {@code iteration}, with its pictures and evaluation. */
  public void epochEnded(int epoch, long iteration) {
    MetricsTable losses = null;
    try {
      losses = MetricsLog.read(run.layout().lossesCsv()); // once, for both
    } catch (IOException | RuntimeException e) {
      warn(run.layout().lossesCsv().getFileName().toString(), e);
    }
    if (losses != null) tensorboard(losses, epoch, iteration, true);
    page(Outcome.now(Outcome.TRAINING, null, epoch, iteration, null), losses);
  }

  /** The process trained all its epochs. */
  public void finished(int epoch, long iteration) throws IOException {
    Outcome o = Outcome.now(Outcome.FINISHED, null, epoch, iteration, null);
    o.write(run.layout().outcomeJson());
    page(o, null);
  }

  /**
   * The process stops on {@code why}: a divergence ({@code diverged}), a full disk, or another
   * failure; {@code kept} is the checkpoint from before a divergence. Records it as well as it can
   * and never throws: the caller rethrows {@code why}.
   */
  public void stopped(Throwable why, boolean diverged, Path kept) {
    Throwable cause = why instanceof UncheckedIOException u ? u.getCause() : why;
    String state =
        diverged
            ? Outcome.DIVERGED
            : cause instanceof DiskFullException ? Outcome.DISK_FULL : Outcome.FAILED;
    long iteration = logged;
    MetricsTable losses = null;
    try {
      losses = MetricsLog.read(run.layout().lossesCsv());
      int it = losses.columns().indexOf("iteration");
      if (losses.size() > 0) iteration = (long) losses.rows().get(losses.size() - 1)[it];
    } catch (IOException | RuntimeException unreadable) {
      // the outcome still says why; the iteration is the last one logged
    }
    String checkpoint = kept == null ? null : run.root().relativize(kept).toString();
    // Our own stops are one line for the user; anything else is a bug, named by its type.
    String line = diverged || cause instanceof IOException ? cause.getMessage() : cause.toString();
    Outcome o = Outcome.now(state, line, null, iteration, checkpoint);
    try {
      o.write(run.layout().outcomeJson());
    } catch (IOException | RuntimeException e) {
      // a full disk may refuse even this; the page then shows the run as killed
    }
    if (losses != null) tensorboard(losses, 0, iteration, false);
    page(o, losses);
  }

  /** Closes the event file; what was written stays, so a failure here costs nothing. */
  @Override
  public void close() {
    if (events == null) return;
    try {
      events.close();
    } catch (IOException e) {
      warn("TensorBoard events", e);
    }
    events = null;
  }

  private void page(Outcome live, MetricsTable losses) {
    try {
      RunReport.write(run, live, losses);
    } catch (IOException | RuntimeException e) {
      warn(run.layout().reportHtml().getFileName().toString(), e);
    }
  }

  /** Appends the rows logged since the last call, and at an epoch's end its numbers and grid. */
  private void tensorboard(MetricsTable losses, int epoch, long iteration, boolean epochEnd) {
    if (events == null) return;
    try {
      append(run, losses, events, logged, epochEnd ? epoch : 0, iteration);
      logged = Math.max(logged, iteration);
    } catch (IOException | RuntimeException e) {
      warn("TensorBoard events", e);
      try {
        events.close();
      } catch (IOException ignored) {
        // already failing; the warning says so
      }
      events = null;
    }
  }

  /**
   * Appends to {@code events} every row of {@code t} ({@code losses.csv}) after iteration {@code
   * after}, and for {@code epoch} ≥ 1 the epoch's means, evaluation and grids at step {@code
   * iteration}.
   */
  static void append(
      RunDirectory run, MetricsTable t, EventFile events, long after, int epoch, long iteration)
      throws IOException {
    int it = t.columns().indexOf("iteration");
    int im = t.columns().indexOf("images");
    int s = t.columns().indexOf("seconds");
    for (int r = 0; r < t.size(); r++) {
      double[] row = t.rows().get(r);
      if (row[it] <= after) continue;
      Map<String, Double> v = new LinkedHashMap<>();
      for (int c = 0; c < row.length; c++) {
        if (Curves.isMetric(t.columns().get(c))) v.put("train/" + t.columns().get(c), row[c]);
      }
      if ((long) row[it] % SPEED_WINDOW == 0 && r >= SPEED_WINDOW) {
        double[] before = t.rows().get(r - SPEED_WINDOW);
        v.put("speed/images_per_second", (row[im] - before[im]) / (row[s] - before[s]));
      }
      events.scalars((long) row[it], v);
    }
    if (epoch >= 1) epochNumbers(run, events, epoch, iteration);
    events.flush();
  }

  private static void epochNumbers(RunDirectory run, EventFile events, int epoch, long step)
      throws IOException {
    MetricsTable e =
        Files.isRegularFile(run.layout().epochsCsv())
            ? MetricsLog.read(run.layout().epochsCsv())
            : null;
    if (e != null && e.size() > 0) events.scalars(step, lastRow(e, "epoch/", -1));
    MetricsTable v =
        Files.isRegularFile(run.layout().evaluationCsv())
            ? MetricsLog.read(run.layout().evaluationCsv())
            : null;
    if (v != null && v.size() > 0) events.scalars(step, lastRow(v, "eval/", epoch));
    if (Files.isRegularFile(run.layout().sampleFile(epoch))) {
      events.png(step, "samples/fixed_noise", Files.readAllBytes(run.layout().sampleFile(epoch)));
    }
    if (Files.isRegularFile(run.layout().reconstructionFile(epoch))) {
      events.png(
          step,
          "samples/reconstructions",
          Files.readAllBytes(run.layout().reconstructionFile(epoch)));
    }
  }

  /** The last row as tag → value; for {@code epoch} ≥ 0, only if it is that epoch's. */
  private static Map<String, Double> lastRow(MetricsTable t, String prefix, int epoch) {
    double[] row = t.rows().get(t.size() - 1);
    Map<String, Double> v = new LinkedHashMap<>();
    int e = t.columns().indexOf("epoch");
    if (epoch >= 0 && (e < 0 || row[e] != epoch)) return v;
    for (int c = 0; c < row.length; c++) {
      String name = t.columns().get(c);
      if (!name.equals("epoch")) v.put(prefix + name, row[c]);
    }
    return v;
  }

  private void warn(String what, Exception e) {
    if (warned) return;
    warned = true;
    console.println("warning: " + what + " not written (" + e.getMessage() + "); training goes on");
  }
}
