package org.convmirror.internal.spark;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.convmirror.internal.run.StreamFiles;

/**
 * The Spark task of one sweep point: trains and evaluates it in a JVM of its own ({@code convmirror
 * spark sweep-point}), its output appended to {@code OUT/logs/NAME.log}.
 *
 * <p>Why a process per run and not a thread: libtorch's random generator, its thread count and
 * DJL's gradient recording ({@code PtGradientCollector} allows one collector per JVM) are global to
 * a process, so two runs trained by two tasks of one executor would break each other. A child that
 * is killed (by the OS, a lost executor, a test) makes this task fail; Spark runs it again and the
 * new child resumes the run from its last checkpoint. The child exits by itself when this JVM goes
 * (it watches its stdin), so no run outlives its task.
 */
final class SweepTask implements Function<SweepGrid.Point, SweepResult> {
  private static final long serialVersionUID = 1L;

  /** The child's exit codes that are a verdict on the run, not an accident: no retry. */
  static final int FAILED = 1;

  static final int USAGE = 2;

  private final String out;
  private final int evaluate;
  private final String classifier;
  private final int threads;
  private final List<String> javaOptions;

  SweepTask(Path out, int evaluate, Path classifier, int threads, List<String> javaOptions) {
    this.out = out.toString();
    this.evaluate = evaluate;
    this.classifier = classifier == null ? null : classifier.toString();
    this.threads = threads;
    this.javaOptions = List.copyOf(javaOptions);
  }

  @Override
  public SweepResult call(SweepGrid.Point point) throws Exception {
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 1 : task.attemptNumber() + 1;
    Path root = Paths.get(out);
    Path log = SweepLayout.log(root, point.name());
    Files.createDirectories(log.getParent());
    // The child appends to the log through the JDK's redirect, which follows links: refuse one.
    StreamFiles.refuseLink(log);
    ProcessBuilder b =
        new ProcessBuilder(command(point))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().putIfAbsent("TORCH_CPP_LOG_LEVEL", "ERROR");
    Process child = b.start();
    // The child is still starting its JVM: this line comes before anything it prints.
    StreamFiles.appendString(
        log,
        String.format(
            "=== attempt %d of %s, %s: pid %d (task JVM %d)%n",
            attempt, point.name(), Instant.now(), child.pid(), ProcessHandle.current().pid()));
    int rc;
    try {
      rc = waitFor(child, task);
    } finally {
      child.destroyForcibly();
      child.getOutputStream().close();
    }
    if (rc == 0) {
      Path evaluation = evaluate > 0 ? SweepLayout.evaluation(root, point.name()) : null;
      return SweepResult.read(point, SweepLayout.run(root, point.name()), evaluation, attempt);
    }
    if (rc == FAILED || rc == USAGE) return SweepResult.failed(point, lastError(log), attempt);
    throw new IOException(
        "the run of "
            + point.name()
            + " ended with exit code "
            + rc
            + (rc > 128 ? " (signal " + (rc - 128) + ")" : "")
            + "; see "
            + log);
  }

  private static int waitFor(Process child, TaskContext task) throws InterruptedException {
    while (!child.waitFor(200, TimeUnit.MILLISECONDS)) {
      if (task != null && task.isInterrupted()) {
        child.destroyForcibly();
        task.killTaskIfInterrupted();
      }
    }
    return child.exitValue();
  }

  private List<String> command(SweepGrid.Point point) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaOptions);
    cmd.addAll(List.of("-Dai.djl.offline=true", "-Djava.awt.headless=true"));
    cmd.addAll(
        List.of("-cp", classpath(), "org.convmirror.internal.cli.Main", "spark", "sweep-point"));
    cmd.addAll(List.of("--out", out, "--name", point.name()));
    cmd.addAll(List.of("--evaluate", Integer.toString(evaluate)));
    cmd.addAll(List.of("--threads", Integer.toString(threads)));
    if (classifier != null) cmd.addAll(List.of("--classifier", classifier));
    cmd.add("--");
    cmd.addAll(point.arguments());
    return cmd;
  }

  /**
   * This JVM's class path: the jars a cluster shipped to the executor (in Spark's class loader)
   * before the JVM's own, so that the child runs the same convmirror as the task.
   */
  static String classpath() throws IOException {
    Set<String> entries = new LinkedHashSet<>();
    for (ClassLoader l = Thread.currentThread().getContextClassLoader();
        l != null;
        l = l.getParent()) {
      if (!(l instanceof URLClassLoader u)) continue;
      for (URL url : u.getURLs()) {
        if (!"file".equals(url.getProtocol())) continue;
        try {
          entries.add(Paths.get(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IOException("class path entry " + url + " is no file path", e);
        }
      }
    }
    entries.addAll(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
    entries.remove("");
    return String.join(File.pathSeparator, entries);
  }

  /** The child's last "convmirror: …" line: its one-line verdict. */
  private static String lastError(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("convmirror: ")) return lines.get(i).substring(12);
    }
    return "failed without a message; see " + log;
  }
}
