package org.convmirror.internal.run;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every file name of a run directory, in one place: what training writes, what the commands that
 * read a run add to it, and how a checkpoint folder is laid out. No other class spells one of these
 * names ({@code RunLayoutTest} checks); the names of a checkpoint's networks belong to the model.
 *
 * <pre>
 * run.json             format marker, provenance, resolved config (written first)
 * config.yaml          the resolved config alone, for people and for re-running
 * losses.csv, losses.png   a row per iteration, and its plot
 * epochs.csv           a row per epoch
 * metrics.json         the latest epoch's numbers
 * run.lock             the OS lock of the process writing the run
 * samples/             epoch-0001.png (fixed-noise grid), recon-0001.png (a VAE's reconstructions)
 * checkpoints/         LATEST, step-0000500/ (MANIFEST.json, state.json, NAME.params,
 *                      arrays.safetensors), best/ and best.json
 * evaluation-epoch-0005.json, evaluation.csv, evaluation-classes.csv   what 'evaluate' wrote
 * outcome.json         how the last training process ended, or that it is training
 * report.html          the run at a glance, rewritten after every epoch
 * tensorboard/         TensorBoard event files, one per training process
 * sampled/, exported/, sharded/, reconstructions/   what sample, export, spark sample and
 *                      reconstruct write unless told otherwise; a sample's folder holds
 *                      interpolation.png when it drew one
 * </pre>
 *
 * <p>Beside the runs: {@code NAME-seeds.csv} and {@code NAME-seeds.html}, what {@code train
 * --seeds} wrote; a comparison page is {@code report.html} in a folder of runs, else {@code
 * compare.html}.
 *
 * @param root the run directory
 */
public record RunLayout(Path root) {
  static final String RUN_JSON = "run.json";
  static final String CONFIG_YAML = "config.yaml";
  static final String LOSSES_CSV = "losses.csv";
  static final String LOSSES_PNG = "losses.png";
  static final String EPOCHS_CSV = "epochs.csv";
  static final String METRICS_JSON = "metrics.json";
  static final String RUN_LOCK = "run.lock";

  /** The lock file of an output folder (a sample, an export): a dot-file, never served. */
  static final String OUTPUT_LOCK = ".convmirror.lock";

  static final String SAMPLES = "samples";
  static final String CHECKPOINTS = "checkpoints";
  static final String EVALUATION_CSV = "evaluation.csv";
  static final String EVALUATION_CLASSES_CSV = "evaluation-classes.csv";
  static final String SAMPLED = "sampled";
  static final String EXPORTED = "exported";
  static final String SHARDED = "sharded";
  static final String RECONSTRUCTIONS = "reconstructions";
  static final String OUTCOME_JSON = "outcome.json";
  static final String REPORT_HTML = "report.html";
  static final String TENSORBOARD = "tensorboard";
  static final String INTERPOLATION_PNG = "interpolation.png";
  static final String SEEDS_CSV = "-seeds.csv";
  static final String SEEDS_HTML = "-seeds.html";
  static final String COMPARE_HTML = "compare.html";

  /** In {@code checkpoints/}: the file naming the latest checkpoint (a file, not a symlink). */
  static final String LATEST = "LATEST";

  /** In {@code checkpoints/}: the copy of the best-scoring checkpoint, and its score. */
  static final String BEST = "best";

  static final String BEST_JSON = "best.json";

  /** The best-scoring checkpoint as a page names it, relative to the run. */
  public static final String BEST_CHECKPOINT = CHECKPOINTS + '/' + BEST;

  /** In a checkpoint: its files' sizes and hashes, written last. */
  static final String MANIFEST = "MANIFEST.json";

  /** In a checkpoint: the loop's position. */
  static final String STATE = "state.json";

  /** In a checkpoint: the named arrays beside the networks (optimizer moments, fixed noise). */
  public static final String ARRAYS = "arrays.safetensors";

  /** Seven digits keep a listing in step order up to ten million iterations. */
  private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d{7,})");

  /** Whether {@code name} is a folder every run gets when it is made ({@code samples}, …). */
  static boolean isMadeAtStart(String name) {
    return name.equals(SAMPLES) || name.equals(CHECKPOINTS);
  }

  /** The lock file of the process writing the run; never delete it (see {@code RunLock}). */
  public Path lockFile() {
    return root.resolve(RUN_LOCK);
  }

  public Path runJson() {
    return root.resolve(RUN_JSON);
  }

  public Path configYaml() {
    return root.resolve(CONFIG_YAML);
  }

  public Path samplesDir() {
    return root.resolve(SAMPLES);
  }

  /** {@code samples/epoch-0001.png}: four digits keep a directory listing in epoch order. */
  public Path sampleFile(int epoch) {
    return samplesDir().resolve(String.format(Locale.ROOT, "epoch-%04d.png", epoch));
  }

  /** {@code samples/recon-0001.png}: test images above their reconstructions. */
  public Path reconstructionFile(int epoch) {
    return samplesDir().resolve(String.format(Locale.ROOT, "recon-%04d.png", epoch));
  }

  public Path lossesCsv() {
    return root.resolve(LOSSES_CSV);
  }

  public Path epochsCsv() {
    return root.resolve(EPOCHS_CSV);
  }

  public Path lossesPng() {
    return root.resolve(LOSSES_PNG);
  }

  public Path metricsJson() {
    return root.resolve(METRICS_JSON);
  }

  public Path checkpointsDir() {
    return root.resolve(CHECKPOINTS);
  }

  /** {@code checkpoints/best.json}: the best evaluation score so far. */
  public Path bestScore() {
    return checkpointsDir().resolve(BEST_JSON);
  }

  /** {@code evaluation-epoch-0005.json}: the report of scoring the model of that epoch. */
  public Path evaluation(int epoch) {
    return root.resolve(String.format(Locale.ROOT, "evaluation-epoch-%04d.json", epoch));
  }

  /** A row per scoring, for comparing epochs and runs. */
  public Path evaluationCsv() {
    return root.resolve(EVALUATION_CSV);
  }

  /** A conditional model's scores per class, a row per scoring. */
  public Path evaluationClassesCsv() {
    return root.resolve(EVALUATION_CLASSES_CSV);
  }

  /** The folder of the samples {@code sample} drew by default, a folder per sample. */
  public Path sampledDir() {
    return root.resolve(SAMPLED);
  }

  /** Where {@code sample} puts a sample of {@code name} (e.g. {@code seed-0}) by default. */
  public Path sampled(String name) {
    return sampledDir().resolve(name);
  }

  /** The interpolation strip {@code sample} writes into a sample's folder. */
  public static Path interpolationFile(Path sampleFolder) {
    return sampleFolder.resolve(INTERPOLATION_PNG);
  }

  /** Where {@code export} puts an export of {@code name} (e.g. {@code generator-onnx}). */
  public Path exported(String name) {
    return root.resolve(EXPORTED).resolve(name);
  }

  /** Where {@code spark sample} puts the shards of {@code name} (e.g. {@code seed-0}). */
  public Path sharded(String name) {
    return root.resolve(SHARDED).resolve(name);
  }

  /** Where {@code reconstruct} puts its pictures by default. */
  public Path reconstructions() {
    return root.resolve(RECONSTRUCTIONS);
  }

  /** How the last training process of this run ended, or that one is training it. */
  public Path outcomeJson() {
    return root.resolve(OUTCOME_JSON);
  }

  /** The run at a glance, one self-contained page. */
  public Path reportHtml() {
    return root.resolve(REPORT_HTML);
  }

  /** TensorBoard's log directory for this run. */
  public Path tensorboardDir() {
    return root.resolve(TENSORBOARD);
  }

  /**
   * A training process's event file: {@code events.out.tfevents.<seconds>.convmirror.<pid>}.
   * TensorBoard reads every such file of a folder in name order, so a resumed run's files follow
   * its earlier ones (ten digits of seconds sort until the year 2286).
   */
  public static Path eventFile(Path tensorboardDir, long seconds, long pid) {
    return tensorboardDir.resolve(
        String.format(Locale.ROOT, "events.out.tfevents.%010d.convmirror.%d", seconds, pid));
  }

  /** The table {@code train --seeds} writes beside its runs: {@code runs/NAME-seeds.csv}. */
  public static Path seedsTable(Path runs, String name) {
    return runs.resolve(name + SEEDS_CSV);
  }

  /** Whether {@code file} is named as a {@code train --seeds} table. */
  public static boolean isSeedsTable(Path file) {
    return file.getFileName() != null && file.getFileName().toString().endsWith(SEEDS_CSV);
  }

  /**
   * The comparison page beside a seeds table: {@code NAME-seeds.html} for {@code NAME-seeds.csv}.
   */
  public static Path seedsPage(Path seedsTable) {
    if (!isSeedsTable(seedsTable))
      throw new IllegalArgumentException("not a seeds table: " + seedsTable);
    String table = seedsTable.getFileName().toString();
    String name = table.substring(0, table.length() - SEEDS_CSV.length());
    return seedsTable.resolveSibling(name + SEEDS_HTML);
  }

  /** The comparison page of the runs in {@code folder}: {@code report.html} in it. */
  public static Path comparisonPage(Path folder) {
    return folder.resolve(REPORT_HTML);
  }

  /** The comparison page of runs from several places, in the working directory. */
  public static Path comparisonPage() {
    return Path.of(COMPARE_HTML);
  }

  /** Whether {@code dir} holds a run's record, the file every run is recognised by. */
  public static boolean holdsRun(Path dir) {
    return java.nio.file.Files.isRegularFile(dir.resolve(RUN_JSON));
  }

  /** Whether {@code dir} is named as a run's checkpoint folder ({@code checkpoints}). */
  public static boolean isCheckpointsFolder(Path dir) {
    return dir.getFileName() != null && dir.getFileName().toString().equals(CHECKPOINTS);
  }

  /** {@code step-0000500}: the folder of the checkpoint taken after {@code step} iterations. */
  public static String checkpointName(int step) {
    return String.format(Locale.ROOT, "step-%07d", step);
  }

  /** The step in a checkpoint folder's name ({@code step-0000500}: 500), or -1 if it is none. */
  public static int stepOf(Path checkpoint) {
    Path name = checkpoint.getFileName();
    if (name == null) return -1;
    Matcher m = CHECKPOINT.matcher(name.toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Whether {@code name} is a plain checkpoint folder's name, no path ({@code step-0000042}). */
  public static boolean isCheckpointName(String name) {
    return CHECKPOINT.matcher(name).matches();
  }

  /** The glob that lists checkpoint folders. */
  static String checkpointGlob() {
    return "step-*";
  }

  /** The checkpoint file of the network the model names {@code entry}: {@code entry.params}. */
  public static String networkFile(String entry) {
    return entry + ".params";
  }
}
