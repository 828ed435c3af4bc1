package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.convmirror.Training;
import org.convmirror.error.UsageException;
import org.convmirror.internal.report.ComparePage;
import org.convmirror.internal.run.RunDirectory;

/**
 * {@code train --seeds}: the same recipe once per seed, each run scored like {@code evaluate}, then
 * their evaluations side by side with mean ± std — GAN results move a lot with the seed (Lucic et
 * al. 2018), so a recipe's number is a mean over seeds.
 */
final class SeedRuns {
  private SeedRuns() {}

  static void train(
      List<Long> seeds,
      Supplier<Training> configured,
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
      Training.Result r =
          configured
              .get()
              .seed(seed)
              .into(flags.runs, name)
              .console(System.out, interactive)
              .train();
      System.out.println("done: " + r.summary());
      RunScoring.score(r.runDirectory(), scoreCount, 0, flags.classifier, System.out);
      rows.add(CompareCommand.Row.of(r.runDirectory()));
      dirs.add(r.runDirectory());
    }
    System.out.printf(
        Locale.ROOT, "%n%d seeds of %s, %d images scored each:%n", seeds.size(), base, scoreCount);
    CompareCommand.print(rows, System.out);
    Path csv = flags.runs.resolve(base + "-seeds.csv");
    CompareCommand.writeCsv(rows, csv);
    Path page = flags.runs.resolve(base + "-seeds.html");
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
