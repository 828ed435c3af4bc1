package org.convmirror.internal.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.report.Scores;
import org.convmirror.internal.run.CurvePlot;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.RunLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convmirror compare}: the evaluations of several runs side by side — the last of each, and
 * their mean ± standard deviation when they are seeds of one recipe — and every run's Fréchet
 * distance per epoch in one picture.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Put runs' evaluations side by side with their mean ± std, and plot their FD per epoch.",
      "Each run needs an evaluation.csv, which 'train --eval-every', 'train --seeds' and",
      "'evaluate' write."
    })
final class CompareCommand implements Callable<Integer> {
  /** The columns shown, as evaluation.csv names them, with their headings. */
  static final List<String[]> COLUMNS =
      Scores.COLUMNS.stream().map(c -> new String[] {c.column(), c.heading()}).toList();

  @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Runs to compare.")
  List<Path> runs;

  @Option(
      names = "--out",
      paramLabel = "PNG",
      description = "The plot of Fréchet distance per epoch. Default: compare.png.")
  Path out = Path.of("compare.png");

  @Override
  public Integer call() throws IOException {
    java.util.Set<Path> seen = new java.util.HashSet<>();
    for (Path run : runs) {
      if (!seen.add(run.toAbsolutePath().normalize())) {
        throw new UsageException(run + " is given twice; compare each run once");
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Path run : runs) rows.add(Row.of(run));
    print(rows, System.out);
    CurvePlot plot = CurvePlot.of("Fréchet distance per epoch", "epoch", "FD (lower is better)");
    for (Row r : rows) plot.add(r.name, r.table.column("epoch"), r.table.column("frechet"));
    plot.write(out, 800, 450);
    System.out.println("wrote " + out);
    return 0;
  }

  /** One run's evaluations. */
  record Row(String name, MetricsTable table) {
    static Row of(Path run) throws IOException {
      Path csv = new RunLayout(run).evaluationCsv();
      if (!Files.isRegularFile(csv)) {
        throw new UsageException(
            run
                + " has no evaluation.csv; evaluate it first ('convmirror evaluate "
                + run
                + "') or train with --eval-every");
      }
      MetricsTable t = MetricsLog.read(csv);
      if (t.size() == 0) throw new UsageException(csv + " holds no evaluation yet");
      return new Row(run.getFileName().toString(), t);
    }

    double last(String column) {
      double[] v = table.column(column);
      return v[v.length - 1];
    }

    int epoch() {
      return (int) last("epoch");
    }
  }

  /** The last evaluation of every run, then the mean ± std over them. */
  static void print(List<Row> rows, PrintStream out) {
    int width = Math.max(6, rows.stream().mapToInt(r -> r.name.length()).max().orElse(0));
    StringBuilder head =
        new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %5s", "run", "epoch"));
    for (String[] c : COLUMNS) head.append(String.format(Locale.ROOT, " %17s", c[1]));
    out.println(head);
    for (Row r : rows) {
      StringBuilder line =
          new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %5d", r.name, r.epoch()));
      for (String[] c : COLUMNS) {
        line.append(String.format(Locale.ROOT, " %17s", Scores.format(r.last(c[0]))));
      }
      out.println(line);
    }
    if (rows.size() < 2) return;
    StringBuilder line =
        new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %5s", "mean±std", ""));
    for (String[] c : COLUMNS) {
      double[] v = rows.stream().mapToDouble(r -> r.last(c[0])).toArray();
      line.append(String.format(Locale.ROOT, " %17s", meanStd(v)));
    }
    out.println(line);
  }

  /** The last evaluation of every run as CSV: run, epoch, then the shown columns. */
  static void writeCsv(List<Row> rows, Path csv) throws IOException {
    StringBuilder s = new StringBuilder("run,epoch");
    for (String[] c : COLUMNS) s.append(',').append(c[0]);
    s.append('\n');
    for (Row r : rows) {
      s.append(r.name).append(',').append(r.epoch());
      for (String[] c : COLUMNS) s.append(',').append(r.last(c[0]));
      s.append('\n');
    }
    org.convmirror.internal.run.AtomicFiles.writeString(csv, s.toString());
  }

  /** {@code mean±std} with the sample standard deviation (n − 1). */
  static String meanStd(double[] v) {
    return Scores.meanStd(v);
  }
}
