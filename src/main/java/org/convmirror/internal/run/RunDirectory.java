package org.convmirror.internal.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One training run's directory, {@code runs/<name>/}, and the fixed layout of the files in it.
 *
 * <pre>
 * run.json             format marker, provenance, resolved config (written first)
 * config.yaml          the resolved config alone, for people and for re-running
 * samples/epoch-0001.png
 * losses.csv, losses.png   a row per iteration, and its plot
 * epochs.csv           a row per epoch
 * checkpoints/         LATEST, step-NNNNNNN/ (see {@link Checkpoints})
 * metrics.json         the latest epoch's numbers
 * evaluation.csv       a row per evaluation (evaluate, train --eval-every, train --seeds)
 * outcome.json         how the last training process ended, or that it is training
 * report.html          the run at a glance, rewritten after every epoch
 * tensorboard/         TensorBoard event files, one per training process
 * sampled/NAME/        what 'convmirror sample' drew (grid.png, interpolation.png, ...)
 * run.lock             the OS lock of the process writing the run (see {@link #close})
 * </pre>
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

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private final Path root;
  private final boolean resumed;
  private final RunLock lock; // null when opened for reading
  private final String format;

  private RunDirectory(Path root, boolean resumed, RunLock lock, String format) {
    this.root = root;
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
    checkCreatable(runsRoot, name);
    Files.createDirectories(runsRoot);
    if (name != null) {
      Path dir = runsRoot.resolve(name);
      Files.createDirectories(dir);
      RunLock lock = RunLock.acquire(dir); // before the check: a run in use names its owner
      try {
        if (!isEmpty(dir)) {
          throw new IOException(
              "run directory "
                  + dir
                  + " already exists and is not empty; choose another name or resume it");
        }
        return new RunDirectory(dir, false, lock, FORMAT).makeLayout();
      } catch (IOException | RuntimeException e) {
        lock.close();
        throw e;
      }
    }
    String stamp = LocalDateTime.now(clock).format(STAMP);
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

  /**
   * Checks, creating nothing, what {@link #create} would refuse before it looks inside the run: a
   * name that is no plain directory name, a path on the way that is a file.
   */
  public static void checkCreatable(Path runsRoot, String name) throws IOException {
    if (name != null) checkName(name);
    if (Files.exists(runsRoot) && !Files.isDirectory(runsRoot)) {
      throw new IOException(
          "cannot put runs in "
              + runsRoot
              + ": it is a file, not a folder; choose another folder for runs (--runs DIR)");
    }
    Path dir = name == null ? null : runsRoot.resolve(name);
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException(
          "cannot create run "
              + dir
              + ": a file of that name exists; choose another run name (--name NAME)");
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
    boolean checkpointsFolder =
        p.getFileName() != null
            && p.getFileName().toString().equals("checkpoints")
            && !Files.isRegularFile(p.resolve("run.json"));
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
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a convmirror run directory: " + dir + " does not exist");
    }
    Path runJson = dir.resolve("run.json");
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
    Json.writeJson(runJson(), node);
    Json.writeYaml(configYaml(), resolvedConfig);
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
    JsonNode node = Json.JSON.readTree(runJson().toFile()).get(name);
    if (node == null || !node.isObject()) {
      throw new IOException(
          runJson()
              + " has no \""
              + name
              + "\" section, so this run cannot be rebuilt; it was not written by a complete"
              + " 'convmirror train' (or was edited): restore the file, or train a new run");
    }
    try {
      return Json.JSON.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IOException(
          runJson()
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
    Json.writeJson(metricsJson(), metrics);
  }

  public Path root() {
    return root;
  }

  /** Whether this run was opened to continue an earlier one. */
  public boolean resumed() {
    return resumed;
  }

  public Path runJson() {
    return root.resolve("run.json");
  }

  public Path configYaml() {
    return root.resolve("config.yaml");
  }

  public Path samplesDir() {
    return root.resolve("samples");
  }

  /** {@code samples/epoch-0001.png}: four digits keep a directory listing in epoch order. */
  public Path sampleFile(int epoch) {
    return samplesDir().resolve(String.format(Locale.ROOT, "epoch-%04d.png", epoch));
  }

  public Path lossesCsv() {
    return root.resolve("losses.csv");
  }

  public Path epochsCsv() {
    return root.resolve("epochs.csv");
  }

  public Path lossesPng() {
    return root.resolve("losses.png");
  }

  public Path checkpointsDir() {
    return root.resolve("checkpoints");
  }

  public Path metricsJson() {
    return root.resolve("metrics.json");
  }

  /** A row per evaluation of this run ({@code evaluate}, {@code train --eval-every}). */
  public Path evaluationCsv() {
    return root.resolve("evaluation.csv");
  }

  /** {@code checkpoints/best.json}: the score that made {@code checkpoints/best} the best. */
  public Path bestScoreJson() {
    return checkpointsDir().resolve("best.json");
  }

  /** {@code samples/recon-0001.png}: a VAE's test images above their reconstructions. */
  public Path reconstructionFile(int epoch) {
    return samplesDir().resolve(String.format(Locale.ROOT, "recon-%04d.png", epoch));
  }

  /** Where {@code convmirror sample} puts each sample's folder by default. */
  public Path sampledDir() {
    return root.resolve("sampled");
  }

  /** The interpolation strip {@code convmirror sample} writes into a sample's folder. */
  public static Path interpolationFile(Path sampleFolder) {
    return sampleFolder.resolve("interpolation.png");
  }

  /** How the last training process of this run ended, or that one is training it. */
  public Path outcomeJson() {
    return root.resolve("outcome.json");
  }

  /** The run at a glance, one self-contained page. */
  public Path reportHtml() {
    return root.resolve("report.html");
  }

  /** TensorBoard's log directory for this run. */
  public Path tensorboardDir() {
    return root.resolve("tensorboard");
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
    Files.createDirectories(samplesDir());
    Files.createDirectories(checkpointsDir());
    return this;
  }

  private void removeTempFiles() throws IOException {
    // Only abandoned ones: an 'evaluate' may be writing its report into the run right now.
    AtomicFiles.removeAbandoned(root, AtomicFiles.TEMP_PREFIX);
    AtomicFiles.removeAbandoned(samplesDir(), AtomicFiles.TEMP_PREFIX);
  }

  private static void checkName(String name) throws IOException {
    if (name.isBlank()
        || name.startsWith(".")
        || name.contains("/")
        || name.contains("\\")
        || name.contains("\0")) {
      throw new IOException(
          "--name must be a plain directory name (no '/' or '\\', not starting with '.'), was '"
              + name
              + "'; the run goes into the --runs folder");
    }
  }

  /**
   * Empty but for a lock file and the empty folders of the layout: what a run killed before it
   * wrote anything leaves, and may be reused under its name.
   */
  private static boolean isEmpty(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        boolean layout = name.equals("samples") || name.equals("checkpoints");
        if (!name.equals(RunLock.FILE) && !(layout && Files.isDirectory(p) && isEmpty(p))) {
          return false;
        }
      }
      return true;
    }
  }
}
