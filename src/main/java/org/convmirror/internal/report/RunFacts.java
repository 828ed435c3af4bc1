package org.convmirror.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RecordedConfig;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.shape.ModelPlans;
import org.convmirror.shape.Plan;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * Everything a report shows, read from one run directory. A file that is missing is simply absent
 * from the page; one that cannot be read is named in {@link #problems}, and the rest still shows.
 */
final class RunFacts {
  private static final ObjectMapper JSON = new ObjectMapper();

  final RunDirectory run;
  final String name;
  final List<String> problems = new ArrayList<>();
  JsonNode config; // run.json's config section, as this format writes it
  ModelKind kind; // null when the config is unreadable
  Provenance provenance;
  String modelName;
  String modelText;
  ModelSpec spec;
  Plan declared;
  Plan derived;
  MetricsTable losses;
  MetricsTable epochs;
  MetricsTable evaluations;
  JsonNode best; // checkpoints/best.json
  int targetEpochs;

  /**
   * Grids a page embeds at most: the slider then steps through evenly spread epochs, the first and
   * the last among them, and a long run's page stays as light (and as quick to write) as a 50-epoch
   * run's.
   */
  static final int MAX_GRIDS = 50;

  final List<Integer> gridEpochs = new ArrayList<>();
  int gridsOnDisk;
  final List<Path> interpolations = new ArrayList<>();
  List<Path> checkpoints = List.of();
  Path latest;
  Outcome outcome;
  Status status;

  /** How a run stands, as far as its files and its lock tell. */
  enum Status {
    FINISHED("finished"),
    TRAINING("training"),
    KILLED("stopped: killed"),
    DIVERGED("stopped: diverged"),
    DISK_FULL("stopped: disk full"),
    FAILED("stopped: failed");

    final String label;

    Status(String label) {
      this.label = label;
    }
  }

  private RunFacts(RunDirectory run) {
    this.run = run;
    Path f = run.root().toAbsolutePath().normalize().getFileName();
    this.name = f == null ? run.root().toString() : f.toString();
  }

  /**
   * Reads the run; {@code live} is the outcome of the process training it right now, when that
   * process is the one asking (it must not probe its own lock).
   */
  static RunFacts read(RunDirectory run, Outcome live) throws IOException {
    return read(run, live, null);
  }

  /** As {@link #read(RunDirectory, Outcome)}, with {@code losses.csv} already read (or null). */
  static RunFacts read(RunDirectory run, Outcome live, MetricsTable losses) throws IOException {
    RunFacts f = new RunFacts(run);
    f.readConfig();
    f.losses = losses != null ? losses : f.table(run.layout().lossesCsv());
    f.epochs = f.table(run.layout().epochsCsv());
    f.evaluations = f.table(run.layout().evaluationCsv());
    if (Files.isRegularFile(run.layout().bestScore())) {
      try {
        f.best = JSON.readTree(run.layout().bestScore().toFile());
      } catch (IOException e) {
        f.problems.add("unreadable " + run.layout().bestScore() + ": " + e.getMessage());
      }
    }
    for (int e = 1; e <= f.epochsDone(); e++) {
      if (Files.isRegularFile(run.layout().sampleFile(e))) f.gridEpochs.add(e);
    }
    f.gridsOnDisk = f.gridEpochs.size();
    f.gridEpochs.retainAll(spread(f.gridEpochs, MAX_GRIDS));
    f.findInterpolations();
    Checkpoints c = new Checkpoints(run.layout().checkpointsDir());
    f.checkpoints = c.list();
    Optional<Path> latest = c.latest();
    f.latest = latest.filter(Files::isDirectory).orElse(null);
    try {
      f.outcome = live != null ? live : Outcome.read(run.layout().outcomeJson());
    } catch (IOException e) {
      f.problems.add(e.getMessage());
    }
    f.status = f.status(live != null ? OptionalLong.of(live.pid()) : run.writer());
    return f;
  }

  /** At most {@code max} of {@code all}, evenly spread, the first and the last among them. */
  static List<Integer> spread(List<Integer> all, int max) {
    if (all.size() <= max) return all;
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < max; k++) {
      int i = (int) Math.round(k * (all.size() - 1) / (double) (max - 1));
      if (out.isEmpty() || !out.get(out.size() - 1).equals(all.get(i))) out.add(all.get(i));
    }
    return out;
  }

  private void readConfig() {
    RunConfig recorded;
    try {
      recorded = RecordedConfig.of(run); // either format, read as the settings records
      provenance = run.readProvenance();
    } catch (IOException | RuntimeException e) {
      problems.add(e.getMessage());
      return;
    }
    config = RecordedConfig.tree(recorded);
    kind = recorded.modelKind();
    TrainConfig train = recorded.train();
    modelName = train.model() != null ? train.model() : "model";
    modelText = train.modelYaml();
    targetEpochs = train.epochs();
    if (modelText == null) return;
    try {
      spec = ModelFiles.parse(modelText, modelName);
      declared = ModelPlans.declared(spec);
      derived = ModelPlans.derived(spec);
    } catch (RuntimeException e) {
      problems.add("the recorded model does not plan: " + e.getMessage());
    }
  }

  private MetricsTable table(Path csv) {
    if (!Files.isRegularFile(csv)) return null;
    try {
      return MetricsLog.read(csv);
    } catch (IOException | RuntimeException e) {
      problems.add("unreadable " + csv + ": " + e.getMessage());
      return null;
    }
  }

  private void findInterpolations() throws IOException {
    if (!Files.isDirectory(run.layout().sampledDir())) return;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(run.layout().sampledDir())) {
      for (Path folder : s) {
        Path strip = RunLayout.interpolationFile(folder);
        if (Files.isRegularFile(strip)) interpolations.add(strip);
      }
    }
    interpolations.sort(null);
  }

  private Status status(OptionalLong writer) {
    if (outcome != null) {
      switch (outcome.state()) {
        case Outcome.FINISHED:
          return Status.FINISHED;
        case Outcome.DIVERGED:
          return Status.DIVERGED;
        case Outcome.DISK_FULL:
          return Status.DISK_FULL;
        case Outcome.FAILED:
          return Status.FAILED;
        default:
          return writer.isPresent() ? Status.TRAINING : Status.KILLED;
      }
    }
    // A run older than outcome.json: its epochs and its lock say what they can.
    if (writer.isPresent()) return Status.TRAINING;
    return epochsDone() >= targetEpochs && targetEpochs > 0 ? Status.FINISHED : Status.KILLED;
  }

  boolean isGan() {
    return spec != null ? spec.kind() == ModelKind.GAN : kind != ModelKind.VAE;
  }

  int epochsDone() {
    if (epochs == null || epochs.size() == 0) return 0;
    double[] e = epochs.column("epoch");
    return (int) e[e.length - 1];
  }

  long iterationsDone() {
    if (losses == null || losses.size() == 0) return 0;
    double[] i = losses.column("iteration");
    return (long) i[i.length - 1];
  }

  /** The run-relative name of a file in the run, for the page. */
  String relative(Path p) {
    try {
      return run.root().toAbsolutePath().relativize(p.toAbsolutePath()).toString();
    } catch (IllegalArgumentException e) {
      return p.toString();
    }
  }
}
