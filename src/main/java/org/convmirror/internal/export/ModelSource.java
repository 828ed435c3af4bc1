package org.convmirror.internal.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.nn.StandingStats;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.train.TrainState;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ModelSpec;

/**
 * A trained model to export, named by a run directory (its latest complete checkpoint) or one
 * checkpoint directory. A generator is taken exactly as {@code convmirror sample} uses it: its
 * weight average (or the trained weights with {@code raw}) with standing batch-norm statistics; a
 * VAE's networks and a discriminator with the running statistics of training. The model's own
 * loader ({@link SavedModel}) opens, verifies and loads it; this copies it out of the engine.
 */
public final class ModelSource {
  private final SavedModel saved;

  private ModelSource(SavedModel saved) {
    this.saved = saved;
  }

  /** Opens {@code path}: a run directory, its {@code checkpoints/}, or one checkpoint in it. */
  public static ModelSource open(Path path) throws IOException {
    return new ModelSource(SavedModel.open(path));
  }

  public ModelSpec spec() {
    return saved.spec();
  }

  /** The run's root directory. */
  public Path root() {
    return saved.root();
  }

  /**
   * Loads one network and copies it out of the engine.
   *
   * @param raw for a GAN generator: the trained weights instead of their average
   * @param warnings where checkpoint fallbacks are reported
   */
  public ExportedNetwork export(Network network, boolean raw, PrintStream warnings)
      throws IOException {
    ModelSpec spec = spec();
    List<Part> parts = network.parts(spec);
    Map<String, String> meta = new LinkedHashMap<>();
    Map<String, Tensor> weights = new LinkedHashMap<>();
    try (SavedModel.Network loaded = saved.network(network.isDerived(), raw, warnings)) {
      // A generator's batch norm holds standing statistics: say how many batches made them.
      long tracked = network == Network.GENERATOR ? StandingStats.PASSES : 0;
      List<ai.djl.nn.Block> blocks = new ArrayList<>(loaded.blocks().values());
      int[] block = Part.blocks(parts);
      for (int i = 0; i < parts.size(); i++) {
        weights.putAll(BlockWeights.read(blocks.get(block[i]), parts.get(i), tracked));
      }
      if (loaded.observationLogVariance() != null) {
        weights.put(
            Network.OBSERVATION_LOG_VARIANCE,
            Tensor.f32(new long[] {1}, loaded.observationLogVariance().toFloatArray()));
      }
      meta.put("weights", loaded.weights());
      meta.put("batch_norm", loaded.batchNorm());
      provenance(meta, network, loaded.checkpoint());
    }
    ExportedNetwork net = new ExportedNetwork(network, spec, weights, Map.of());
    meta.put("input", net.inputSignature());
    meta.put("output", net.outputSignature());
    return new ExportedNetwork(network, spec, weights, meta);
  }

  /** Where the export came from and what made it, as text for the files' metadata. */
  private void provenance(
      Map<String, String> meta, Network network, Checkpoints.Loaded<TrainState> loaded)
      throws IOException {
    TrainConfig config = saved.config().train();
    meta.put("network", network.cliName());
    // Privacy: an export is shared, so it names the run by its folder's name, not its absolute
    // path, and carries no command line; run.json keeps the full provenance.
    meta.put("run", root().toAbsolutePath().normalize().getFileName().toString());
    meta.put("checkpoint", loaded.directory().getFileName().toString());
    meta.put("step", Integer.toString(loaded.step()));
    meta.put("epochs_done", Integer.toString(loaded.state().epoch()));
    // A model file by its name only (its full text is model_yaml): no absolute path leaves.
    String model = config.model();
    Path modelName = model == null ? null : Path.of(model.replace('\\', '/')).getFileName();
    meta.put("model", modelName == null ? model : modelName.toString());
    meta.put("model_yaml", config.modelYaml());
    meta.put("seed", Long.toString(config.seed()));
    meta.put("convmirror_version", Provenance.currentVersion());
    Provenance.EngineInfo engine = EngineSetup.describe();
    meta.put("djl_version", engine.djlVersion());
    meta.put("engine", engine.name() + " " + engine.version());
    meta.put("java_version", System.getProperty("java.version"));
    meta.put("exported_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    Conditioning c = spec().conditioning();
    if (c != null) {
      meta.put("classes", Integer.toString(c.classes()));
      List<String> names = new ArrayList<>();
      for (int y = 0; y < c.classes(); y++) names.add(c.name(y));
      meta.put("class_names", new ObjectMapper().writeValueAsString(names));
    }
    meta.put("training_provenance", shareable(saved.provenance()));
  }

  /** The training provenance without the command line, and the data named by its last part. */
  static String shareable(Provenance provenance) throws IOException {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode node = json.valueToTree(provenance);
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      o.remove("commandLine");
      String data = o.path("dataset").asText("");
      if (!data.isEmpty()) {
        Path name = Path.of(data.replace('\\', '/')).getFileName();
        o.put("dataset", name == null ? data : name.toString());
      }
    }
    return json.writeValueAsString(node);
  }
}
