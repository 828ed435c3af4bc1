package org.convmirror.internal.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.OptionalLong;

/**
 * One training run's directory, {@code runs/<name>/}: its creation, its lock, and its record
 * ({@code run.json}); where each file of it is, is {@link RunLayout}'s.
 *
 * <p>{@link #create} and {@link #openForResume} lock the directory for this process until {@link
 * #close} (or the process's end, however it ends): a second process that tries to write the run is
 * refused with the holder's PID. {@link #openForReading} takes no lock, so sampling and evaluating
 * work while a run trains.
 */
public final class RunDirectory implements AutoCloseable {
  /** Value of {@code run.json}'s {@code format} field; how we recognise our own runs. */
  public static final String FORMAT = "convmirror-run/2";

  /** The first release's format, whose config kept every setting in one flat object. */
  public static final String FORMAT_1 = "convmirror-run/1";

  private final Path root;
  private final boolean resumed;
  private final RunLock lock; // null when opened for reading
  private final String format;
  private final RunLayout layout;

  private RunDirectory(Path root, boolean resumed, RunLock lock, String format) {
    this.root = root;
    this.layout = new RunLayout(root);
    this.resumed = resumed;
    this.lock = lock;
    this.format = format;
  }

  /**
   * Creates a new run under {@code runsRoot}, named {@code name} or, when null, after the current
   * time; a timestamp that is already taken gets a {@code -2}, {@code -3}, … suffix.
   *
   * @throws IOException if a named run is in use by another process, already exists and is not
   *     empty, or a path on the way is a file
   */
  public static RunDirectory create(Path runsRoot, String name, Clock clock) throws IOException {
    RunNames.checkCreatable(runsRoot, name);
    Files.createDirectories(runsRoot);
    if (name != null) {
      Path dir = runsRoot.resolve(name);
      Files.createDirectories(dir);
      RunLock lock = RunLock.acquire(dir); // before the check: a run in use names its owner
      try {
        if (!RunNames.isEmpty(dir)) throw RunNames.taken(dir);
        return new RunDirectory(dir, false, lock, FORMAT).makeLayout();
      } catch (IOException | RuntimeException e) {
        lock.close();
        throw e;
      }
    }
    String stamp = LocalDateTime.now(clock).format(RunNames.STAMP);
    for (int i = 1; ; i++) {
      Path dir = runsRoot.resolve(i == 1 ? stamp : stamp + "-" + i);
      try {
        // createDirectory is atomic: two jobs started in the same second get different dirs.
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException taken) {
        continue; // try the next suffix
      }
      RunLock lock = RunLock.acquire(dir);
      try {
        return new RunDirectory(dir, false, lock, FORMAT).makeLayout();
      } catch (IOException | RuntimeException e) {
        lock.close();
        throw e;
      }
    }
  }

  /** Creates a new run named after the current local time. */
  public static RunDirectory create(Path runsRoot, String name) throws IOException {
    return create(runsRoot, name, Clock.systemDefaultZone());
  }

  /**
   * Opens an existing run to resume it, after checking that it is one of ours: locks it, then
   * removes temp files a killed process may have left.
   *
   * @throws IOException if it is no run of ours, or another process has it open for writing
   */
  public static RunDirectory openForResume(Path dir) throws IOException {
    String format = checkRun(dir);
    RunLock lock = RunLock.acquire(dir);
    try {
      ResumeChecks.refuseLostCheckpoints(dir);
      RunDirectory run = new RunDirectory(dir, true, lock, format).makeLayout();
      run.removeTempFiles();
      return run;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * The run a path names: the path itself, or the run of its {@code checkpoints/} folder or of one
   * checkpoint directory in it.
   */
  public static Path rootOf(Path runOrCheckpoint) {
    Path p = runOrCheckpoint.toAbsolutePath();
    if (Checkpoints.isCheckpoint(p)) return p.getParent().getParent();
    boolean checkpointsFolder = RunLayout.isCheckpointsFolder(p) && !RunLayout.holdsRun(p);
    return checkpointsFolder ? p.getParent() : runOrCheckpoint;
  }

  /**
   * Opens an existing run to read it (sample, evaluate): checks that it is one of ours, and neither
   * locks it nor creates or removes anything, so it works while another process trains the run.
   */
  public static RunDirectory openForReading(Path dir) throws IOException {
    return new RunDirectory(dir, true, null, checkRun(dir));
  }

  /** Releases the lock of a run opened for writing; a run opened for reading has none. */
  @Override
  public void close() throws IOException {
    if (lock != null) lock.close();
  }

  /** Checks that {@code dir} is a run of ours and returns its format. */
  private static String checkRun(Path dir) throws IOException {
    String problem = PathProblems.whyNotFolder(dir);
    if (problem != null) {
      String fix = "";
      if (Files.isRegularFile(dir)) {
        Path parent = dir.getParent() != null ? dir.getParent() : dir.toAbsolutePath().getParent();
        fix =
            parent != null && RunLayout.holdsRun(parent)
                ? "; give the run's folder, " + parent
                : "; give a run's folder (runs/NAME)";
      }
      throw new IOException("not a convmirror run directory: " + dir + " " + problem + fix);
    }
    Path runJson = new RunLayout(dir).runJson();
    if (!Files.isRegularFile(runJson)) {
      throw new IOException("not a convmirror run directory: no run.json in " + dir);
    }
    JsonNode node;
    try {
      node = Json.JSON.readTree(runJson.toFile());
    } catch (IOException e) {
      throw new IOException("not a convmirror run directory: unreadable " + runJson, e);
    }
    String format = node == null ? null : node.path("format").asText(null);
    if (format == null || !format.startsWith("convmirror-run/")) {
      throw new IOException(
          "not a convmirror run directory: " + runJson + " has no \"format\": \"" + FORMAT + "\"");
    }
    if (!FORMAT.equals(format) && !FORMAT_1.equals(format)) {
      throw new IOException(
          "run " + dir + " has format " + format + "; this convmirror reads " + FORMAT);
    }
    return format;
  }

  /**
   * Writes {@code run.json} (format, provenance, config) and {@code config.yaml}; call it before
   * training so that a run is explained even if it dies in its first step.
   */
  public void writeRunInfo(Provenance provenance, Object resolvedConfig) throws IOException {
    ObjectNode node = Json.JSON.createObjectNode();
    node.put("format", FORMAT);
    node.set("provenance", Json.JSON.valueToTree(provenance));
    node.set("config", Json.JSON.valueToTree(resolvedConfig));
    Json.writeJson(layout.runJson(), node);
    Json.writeYaml(layout.configYaml(), resolvedConfig);
  }

  /** Reads the {@code config} section of {@code run.json} as {@code type}. */
  public <T> T readConfig(Class<T> type) throws IOException {
    return section("config", type);
  }

  /** The {@code config} section of {@code run.json}, as written in its {@link #format()}. */
  public JsonNode readConfigNode() throws IOException {
    return section("config", JsonNode.class);
  }

  /** The format {@code run.json} was written in: {@link #FORMAT} or {@link #FORMAT_1}. */
  public String format() {
    return format;
  }

  /** Reads the {@code provenance} section of {@code run.json}. */
  public Provenance readProvenance() throws IOException {
    return section("provenance", Provenance.class);
  }

  private <T> T section(String name, Class<T> type) throws IOException {
    JsonNode node = Json.JSON.readTree(layout.runJson().toFile()).get(name);
    if (node == null || !node.isObject()) {
      throw new IOException(
          layout.runJson()
              + " has no \""
              + name
              + "\" section, so this run cannot be rebuilt; it was not written by a complete"
              + " 'convmirror train' (or was edited): restore the file, or train a new run");
    }
    try {
      return Json.JSON.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IOException(
          layout.runJson()
              + ": the \""
              + name
              + "\" section does not fit this convmirror ("
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + "); restore the file, or train a new run",
          e);
    }
  }

  /** Atomically writes final (or latest) evaluation metrics to {@code metrics.json}. */
  public void writeMetrics(Object metrics) throws IOException {
    Json.writeJson(layout.metricsJson(), metrics);
  }

  public Path root() {
    return root;
  }

  /** Whether this run was opened to continue an earlier one. */
  public boolean resumed() {
    return resumed;
  }

  /** Where each file of the run is. */
  public RunLayout layout() {
    return layout;
  }

  /**
   * The PID of the live process that holds this run's lock (this one, if it does), or empty when no
   * process is writing the run.
   */
  public OptionalLong writer() throws IOException {
    return RunLock.holderOf(root);
  }

  @Override
  public String toString() {
    return root.toString();
  }

  private RunDirectory makeLayout() throws IOException {
    Files.createDirectories(layout.samplesDir());
    Files.createDirectories(layout.checkpointsDir());
    return this;
  }

  private void removeTempFiles() throws IOException {
    // Only abandoned ones: an 'evaluate' may be writing its report into the run right now.
    AtomicFiles.removeAbandoned(root, AtomicFiles.TEMP_PREFIX);
    AtomicFiles.removeAbandoned(layout.samplesDir(), AtomicFiles.TEMP_PREFIX);
  }
}
