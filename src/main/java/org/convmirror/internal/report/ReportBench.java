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
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.RunLayout;

/**
 * {@code convmirror report RUN --bench N}: what the end-of-epoch hook costs on a real run, done N
 * times into a temporary folder — {@code losses.csv} read, the last epoch's TensorBoard events
 * appended, the page rewritten — against the run's mean epoch.
 */
public final class ReportBench {
  private ReportBench() {}

  public static void run(RunDirectory run, int times, PrintStream out) throws IOException {
    Path tmp = Files.createTempDirectory("convmirror-report-bench");
    Path html = new RunLayout(tmp).reportHtml();
    try {
      RunFacts facts = RunFacts.read(run, null);
      int epochs = Math.max(1, facts.epochsDone());
      long from = facts.iterationsDone() - facts.iterationsDone() / epochs;
      double[] read = new double[times];
      double[] events = new double[times];
      double[] page = new double[times];
      long bytes = 0;
      for (int i = -1; i < times; i++) { // one warm-up round
        // What the hook does after an epoch: read losses.csv once, append the epoch's events,
        // rewrite the page.
        long t0 = System.nanoTime();
        MetricsTable losses = MetricsLog.read(run.layout().lossesCsv());
        long t1 = System.nanoTime();
        try (EventFile f = EventFile.create(tmp.resolve("tb-" + i))) {
          TrainingReport.append(run, losses, f, from, facts.epochsDone(), facts.iterationsDone());
        }
        long t2 = System.nanoTime();
        String text = RunReport.html(RunFacts.read(run, facts.outcome, losses));
        AtomicFiles.writeString(html, text);
        long t3 = System.nanoTime();
        if (i < 0) continue;
        read[i] = (t1 - t0) / 1e9;
        events[i] = (t2 - t1) / 1e9;
        page[i] = (t3 - t2) / 1e9;
        bytes = Files.size(html);
      }
      double epoch = meanEpochSeconds(facts);
      double[] sums = new double[times];
      for (int i = 0; i < times; i++) sums[i] = read[i] + events[i] + page[i];
      double total = median(sums);
      out.printf(
          Locale.ROOT,
          "report of %s: %d epochs, %,d iterations, %,d bytes%n"
              + "losses.csv read: median %.1f ms; TensorBoard, one epoch: median %.1f ms;"
              + " report.html: median %.1f ms%n"
              + "per epoch: median %.1f ms, max %.1f ms over %d rounds%s%n",
          run.root(),
          facts.epochsDone(),
          facts.iterationsDone(),
          bytes,
          1e3 * median(read),
          1e3 * median(events),
          1e3 * median(page),
          1e3 * total,
          1e3 * Arrays.stream(sums).max().orElse(0),
          times,
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
