package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.convmirror.error.UsageException;
import org.convmirror.internal.job.TrainJob;
import org.convmirror.internal.job.TrainPlan;
import org.convmirror.internal.report.ComparePage;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.RunLayout;

/**
 * {@code train --seeds}: the same recipe once per seed, each run scored like {@code evaluate}, then
 * their evaluations side by side with mean ± std — GAN results move a lot with the seed (Lucic et
 * al. 2018), so a recipe's number is a mean over seeds.
 */
final class SeedRuns {
  private SeedRuns() {}

  static void train(
      List<Long> seeds,
      Supplier<TrainPlan> configured,
      TrainFlags flags,
      int scoreCount,
      boolean interactive)
      throws IOException {
    if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
      throw new UsageException("--seeds needs distinct seeds, e.g. --seeds 1,2,3, was " + seeds);
    }
    String base =
        flags.name != null
            ? flags.name
            : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    List<CompareCommand.Row> rows = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    for (long seed : seeds) {
      String name = base + "-seed" + seed;
      TrainPlan plan = configured.get().into(flags.runs, name);
      plan.train().seed(seed);
      TrainJob.Outcome r = TrainJob.train(plan, System.out, interactive);
      System.out.println("done: " + r.summary());
      RunScoring.score(r.runDirectory(), scoreCount, 0, flags.classifier, System.out);
      rows.add(CompareCommand.Row.of(r.runDirectory()));
      dirs.add(r.runDirectory());
    }
    System.out.printf(
        Locale.ROOT, "%n%d seeds of %s, %d images scored each:%n", seeds.size(), base, scoreCount);
    CompareCommand.print(rows, System.out);
    Path csv = RunLayout.seedsTable(flags.runs, base);
    CompareCommand.writeCsv(rows, csv);
    Path page = RunLayout.seedsPage(csv);
    List<RunDirectory> runs = new ArrayList<>();
    for (Path run : dirs) runs.add(RunDirectory.openForReading(run));
    ComparePage.write(runs, page);
    System.out.println(
        "wrote "
            + csv
            + " and "
            + page
            + "; compare again: convmirror compare "
            + flags.runs
            + "/"
            + base
            + "-seed*");
  }
}
