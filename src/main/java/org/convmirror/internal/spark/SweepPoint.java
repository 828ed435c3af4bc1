package org.convmirror.internal.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.RunLayout;

/**
 * What the JVM of one sweep point does around {@code convmirror train} and {@code evaluate}: decide
 * whether its run starts or resumes, keep the run's final evaluation in the sweep, and end itself
 * when the task that started it is gone. Needs no Spark.
 */
public final class SweepPoint {
  /** How long a point waits for a run another attempt still holds, e.g. one being killed. */
  private static final long LOCK_WAIT_MS = 120_000;

  private SweepPoint() {}

  /** Whether a point's run goes on from a checkpoint or starts from nothing. */
  public enum Start {
    NEW,
    RESUME
  }

  /**
   * Readies the run of {@code name} in sweep {@code root}: a run with a checkpoint is resumed; one
   * that died before its first checkpoint has nothing to keep and is emptied to start again.
   *
   * @throws IOException if another process still holds the run after two minutes
   */
  public static Start prepare(Path root, String name) throws IOException, InterruptedException {
    Path dir = SweepLayout.run(root, name);
    if (!Files.isDirectory(dir)) return Start.NEW;
    if (RunLayout.holdsRun(dir)) {
      try (RunDirectory run = lock(dir)) {
        if (hasCheckpoint(run.layout().checkpointsDir())) return Start.RESUME;
        clear(dir);
      }
    } else {
      clear(dir); // killed between creating the folder and writing run.json
    }
    return Start.NEW;
  }

  private static RunDirectory lock(Path dir) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + LOCK_WAIT_MS;
    while (true) {
      try {
        return RunDirectory.openForResume(dir);
      } catch (IOException inUse) {
        if (System.currentTimeMillis() > deadline) throw inUse;
        Thread.sleep(500);
      }
    }
  }

  private static boolean hasCheckpoint(Path checkpoints) throws IOException {
    if (new Checkpoints(checkpoints).latest().isPresent()) return true;
    try (Stream<Path> s = Files.list(checkpoints)) {
      return s.anyMatch(p -> RunLayout.stepOf(p) >= 0);
    }
  }

  /** Deletes everything in {@code dir} but its lock file, which must never be deleted. */
  private static void clear(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir) && !p.equals(new RunLayout(dir).lockFile())) Files.delete(p);
      }
    }
  }

  /** The run directory of point {@code name} of sweep {@code root}. */
  public static Path run(Path root, String name) {
    return SweepLayout.run(root, name);
  }

  /** Whether the run's final evaluation is already kept in the sweep. */
  public static boolean evaluated(Path root, String name) {
    return Files.isRegularFile(SweepLayout.evaluation(root, name));
  }

  /** Keeps the report {@code evaluate} wrote for the run's final epoch as the sweep's. */
  public static void keepEvaluation(Path root, String name) throws IOException {
    Path run = SweepLayout.run(root, name);
    RunLayout layout = new RunLayout(run);
    int epoch = new ObjectMapper().readTree(layout.metricsJson().toFile()).path("epoch").asInt();
    Path report = layout.evaluation(epoch);
    AtomicFiles.write(SweepLayout.evaluation(root, name), Files.readAllBytes(report));
  }

  /**
   * Ends this JVM when its standard input closes: the task that started it holds the other end, and
   * a JVM that dies (a lost executor) closes it too.
   */
  public static void exitWithParent(InputStream stdin) {
    Thread watch =
        new Thread(
            () -> {
              try {
                while (stdin.read() != -1) {
                  // the parent never writes; wait for the end
                }
              } catch (IOException ignored) {
                // a broken pipe means the same: the parent is gone
              }
              Runtime.getRuntime().halt(137);
            },
            "exit-with-parent");
    watch.setDaemon(true);
    watch.start();
  }

  /** The arguments of {@code convmirror train} that start or resume the point. */
  public static List<String> trainArguments(
      Start start, Path root, String name, int threads, List<String> flags) {
    if (start == Start.RESUME) {
      return List.of("train", "--resume", SweepLayout.run(root, name).toString(), "--quiet");
    }
    var args = new java.util.ArrayList<>(List.of("train"));
    args.addAll(flags);
    args.addAll(
        List.of(
            "--runs",
            SweepLayout.runs(root).toString(),
            "--name",
            name,
            "--threads",
            Integer.toString(threads),
            "--quiet"));
    return args;
  }
}
