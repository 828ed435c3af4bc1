package org.convmirror.internal.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.convmirror.internal.report.tensorboard.EventFile;
import org.convmirror.internal.run.RunDirectory;

/**
 * {@code convmirror report RUN --bench N}: what the end-of-epoch hook costs on a real run — the
 * report rewritten N times (into a temporary file beside it), and the last epoch's TensorBoard
 * events written N times (into a temporary folder) — against the run's mean epoch.
 */
public final class ReportBench {
  private ReportBench() {}

  public static void run(RunDirectory run, int times, PrintStream out) throws IOException {
    Path tmp = Files.createTempDirectory("convmirror-report-bench");
    try {
      RunFacts facts = RunFacts.read(run, null);
      double[] page = new double[times];
      double[] events = new double[times];
      long bytes = 0;
      for (int i = -1; i < times; i++) { // one warm-up round
        long t0 = System.nanoTime();
        Path html = RunReport.write(run, tmp.resolve("report.html"));
        long t1 = System.nanoTime();
        lastEpochEvents(run, facts, tmp.resolve("tb-" + i));
        long t2 = System.nanoTime();
        if (i < 0) continue;
        page[i] = (t1 - t0) / 1e9;
        events[i] = (t2 - t1) / 1e9;
        bytes = Files.size(html);
      }
      double epoch = meanEpochSeconds(facts);
      double total = median(page) + median(events);
      out.printf(
          Locale.ROOT,
          "report of %s: %d epochs, %,d iterations, %,d bytes%n"
              + "report.html: median %.1f ms, max %.1f ms over %d rewrites%n"
              + "TensorBoard, one epoch: median %.1f ms, max %.1f ms%n"
              + "per epoch: %.1f ms%s%n",
          run.root(),
          facts.epochsDone(),
          facts.iterationsDone(),
          bytes,
          1e3 * median(page),
          1e3 * Arrays.stream(page).max().orElse(0),
          times,
          1e3 * median(events),
          1e3 * Arrays.stream(events).max().orElse(0),
          1e3 * total,
          epoch > 0
              ? String.format(
                  Locale.ROOT,
                  " = %.3f %% of this run's mean epoch (%.1f s)",
                  100 * total / epoch,
                  epoch)
              : "");
    } finally {
      try (Stream<Path> walk = Files.walk(tmp)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  /** The events the hook appends after the last epoch: its rows, numbers and grids. */
  private static void lastEpochEvents(RunDirectory run, RunFacts facts, Path dir)
      throws IOException {
    int epochs = Math.max(1, facts.epochsDone());
    long from = facts.iterationsDone() - facts.iterationsDone() / epochs;
    try (EventFile f = EventFile.create(dir)) {
      TrainingReport.append(run, f, from, facts.epochsDone(), facts.iterationsDone());
    }
  }

  private static double meanEpochSeconds(RunFacts f) {
    if (f.epochs == null || f.epochs.size() == 0 || !f.epochs.columns().contains("seconds"))
      return 0;
    List<double[]> rows = f.epochs.rows();
    double[] s = f.epochs.column("seconds");
    return s[s.length - 1] / rows.size();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
