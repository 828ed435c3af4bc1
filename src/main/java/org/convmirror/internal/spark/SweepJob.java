package org.convmirror.internal.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.convmirror.error.UsageException;
import org.convmirror.internal.run.AtomicFiles;

/**
 * A sweep on Spark: one task per grid point, each training and evaluating its run in a JVM of its
 * own ({@link SweepTask}), every run an ordinary run directory in {@code OUT/runs/}; the driver
 * gathers the results into {@link SweepTable}'s tables. Running the same sweep again continues it:
 * finished runs are only read, unfinished ones resume from their last checkpoint.
 */
public final class SweepJob {
  /** Spark setting: JVM options of each run's JVM. */
  public static final String JAVA_OPTIONS = "spark.convmirror.worker.javaOptions";

  /** -Xmn64m: the launcher's fixed young generation, which keeps training's memory flat. */
  static final String DEFAULT_JAVA_OPTIONS = "-Xmx2g -Xmn64m";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SweepJob() {}

  /**
   * What to sweep.
   *
   * @param out the sweep's folder, on storage every executor sees
   * @param grid the grid
   * @param evaluate images to score each final model with (0: no evaluation)
   * @param classifier the feature classifier for the scores (null: the shipped Fashion-MNIST one)
   */
  public record Settings(Path out, SweepGrid grid, int evaluate, Path classifier) {}

  /** As {@link #run(JavaSparkContext, Settings, PrintStream)} in a context of its own. */
  public static List<SweepResult> run(
      String master, java.util.Map<String, String> conf, Settings s, PrintStream console)
      throws IOException {
    try (JavaSparkContext sc = SparkContexts.start("convmirror sweep", master, conf)) {
      return run(sc, s, console);
    }
  }

  /** Runs the sweep to its end and writes its tables; returns a result per point, in grid order. */
  public static List<SweepResult> run(JavaSparkContext sc, Settings s, PrintStream console)
      throws IOException {
    Path root = s.out().toAbsolutePath().normalize();
    List<SweepGrid.Point> points = s.grid().points();
    checkGrid(root, s);
    Files.createDirectories(SweepLayout.runs(root));
    int threads = SparkContexts.threadsPerTask(sc);
    List<String> javaOptions =
        Arrays.stream(sc.getConf().get(JAVA_OPTIONS, DEFAULT_JAVA_OPTIONS).strip().split("\\s+"))
            .filter(o -> !o.isEmpty())
            .toList();
    console.printf(
        Locale.ROOT,
        "sweep of %d runs on %s, %d libtorch thread%s each; runs in %s, logs in %s%n",
        points.size(),
        sc.master(),
        threads,
        threads == 1 ? "" : "s",
        SweepLayout.runs(root),
        root.resolve("logs"));
    SweepProgress progress = new SweepProgress(points, console);
    sc.sc().addSparkListener(progress);
    List<SweepResult> results;
    try {
      results =
          sc.parallelize(points, points.size())
              .map(new SweepTask(root, s.evaluate(), abs(s.classifier()), threads, javaOptions))
              .collect();
      progress.awaitFinished(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the sweep ran", e);
    } finally {
      sc.sc().removeSparkListener(progress);
    }
    String summary = new SweepTable(s.grid(), results).write(root);
    console.print(summary);
    for (SweepResult r : results) {
      if (!r.ok()) console.println("failed: " + r.point().name() + ": " + r.message());
    }
    console.println(
        "wrote "
            + root.resolve("sweep.csv")
            + " (a row per run), summary.csv and summary.md (mean ± std over seeds)");
    return results;
  }

  private static Path abs(Path p) {
    return p == null ? null : p.toAbsolutePath().normalize();
  }

  /** Records the grid; a folder holding another sweep's grid is refused, the same one continued. */
  private static void checkGrid(Path root, Settings s) throws IOException {
    ObjectNode grid = JSON.createObjectNode();
    grid.put("format", "convmirror-sweep/1");
    grid.set("axes", JSON.valueToTree(s.grid().axes()));
    grid.set("fixed", JSON.valueToTree(s.grid().fixed()));
    grid.put("evaluate", s.evaluate());
    grid.put("classifier", s.classifier() == null ? null : abs(s.classifier()).toString());
    Path file = SweepLayout.grid(root);
    if (Files.isRegularFile(file)) {
      if (!JSON.readTree(file.toFile()).equals(grid)) {
        throw new UsageException(
            root
                + " holds another sweep (its sweep.json has other flags); choose another --out,"
                + " or give the same --vary and train flags to continue it");
      }
      return;
    }
    if (Files.isDirectory(root)) {
      try (var entries = Files.list(root)) {
        if (entries.findAny().isPresent()) {
          throw new UsageException(
              root + " is not empty and holds no sweep; choose a new folder for --out");
        }
      }
    }
    AtomicFiles.writeString(file, JSON.writeValueAsString(grid) + "\n");
  }
}
