package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.report.ComparePage;
import org.convmirror.internal.report.ReportBench;
import org.convmirror.internal.report.RunReport;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.spark.SweepLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convmirror report}: a run's {@code report.html} (which training also keeps up to date), or
 * one page comparing runs — given one by one, as a folder of runs, a Spark sweep's folder, or a
 * {@code train --seeds} table.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write RUN/report.html: the run at a glance, readable offline in any browser.",
      "With several runs, a folder of runs, a sweep folder or a NAME-seeds.csv: one page",
      "comparing them (configuration differences, curves, last grids, mean ± std of seeds)."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "RUN",
      description = "Run directories, folders of runs, sweep folders or NAME-seeds.csv tables.")
  List<Path> targets;

  @Option(
      names = "--out",
      paramLabel = "HTML",
      description =
          "Where the page goes. Default: RUN/report.html for one run; for a comparison,"
              + " report.html in the folder given, NAME-seeds.html beside a seeds table, else"
              + " compare.html.")
  Path out;

  @Option(
      names = "--bench",
      paramLabel = "N",
      description = "Time N rewrites of one run's report and its epoch of TensorBoard events.")
  int bench;

  @Override
  public Integer call() throws IOException {
    if (targets.size() == 1 && isRun(targets.get(0))) {
      try (RunDirectory run = RunDirectory.openForReading(targets.get(0))) {
        if (bench > 0) {
          ReportBench.run(run, bench, System.out);
          return 0;
        }
        System.out.println(
            "wrote " + (out == null ? RunReport.write(run) : RunReport.write(run, out)));
      }
      return 0;
    }
    if (bench > 0) throw new UsageException("--bench times the report of one run; give one RUN");
    List<RunDirectory> runs = new ArrayList<>();
    for (Path t : targets) {
      for (Path r : expand(t)) runs.add(RunDirectory.openForReading(r));
    }
    if (runs.isEmpty()) throw new UsageException(targets + " hold no convmirror runs");
    Path page = out != null ? out : defaultOut();
    ComparePage.write(runs, page);
    System.out.println("wrote " + page + ": " + runs.size() + " runs compared");
    return 0;
  }

  private static boolean isRun(Path p) {
    return RunLayout.holdsRun(p);
  }

  /** The runs a target names: itself, the runs in it (or in its runs/), or a seeds table's. */
  static List<Path> expand(Path target) throws IOException {
    if (isRun(target)) return List.of(target);
    if (Files.isRegularFile(target) && RunLayout.isSeedsTable(target)) {
      List<Path> runs = new ArrayList<>();
      Path folder = target.toAbsolutePath().getParent();
      List<String> lines = Files.readAllLines(target);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String name = line.split(",", 2)[0];
        if (!name.isBlank()) runs.add(folder.resolve(name));
      }
      for (Path r : runs) {
        if (!isRun(r))
          throw new UsageException(target + " names run " + r + ", which is not there");
      }
      return runs;
    }
    if (Files.isDirectory(target)) {
      Path inner = SweepLayout.runs(target);
      Path folder = Files.isDirectory(inner) ? inner : target;
      List<Path> runs = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, ReportCommand::isRun)) {
        s.forEach(runs::add);
      }
      runs.sort(null);
      if (!runs.isEmpty()) return runs;
    }
    throw new UsageException(
        target
            + " is not a run directory, a folder of runs, a sweep folder or a --seeds table"
            + " (NAME-seeds.csv); give one of those");
  }

  private Path defaultOut() {
    if (targets.size() == 1) {
      Path t = targets.get(0);
      return Files.isDirectory(t) ? RunLayout.comparisonPage(t) : RunLayout.seedsPage(t);
    }
    return RunLayout.comparisonPage();
  }
}
