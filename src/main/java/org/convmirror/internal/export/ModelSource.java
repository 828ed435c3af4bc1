package org.convmirror.internal.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.nn.StandingStats;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RecordedConfig;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.TrainState;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.mirror.Mirror;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * A trained model to export, named by a run directory (its latest complete checkpoint) or one
 * checkpoint directory: the one place where export opens runs and checkpoints and rebuilds
 * networks. A generator is taken exactly as {@code convmirror sample} uses it: its weight average
 * (or the trained weights with {@code raw}) with standing batch-norm statistics; a VAE's networks
 * and a discriminator with the running statistics of training.
 */
public final class ModelSource {
  private final RunDirectory run;
  private final TrainConfig config;
  private final ModelSpec spec;
  private final Path checkpoint;

  private ModelSource(RunDirectory run, TrainConfig config, ModelSpec spec, Path checkpoint) {
    this.run = run;
    this.config = config;
    this.spec = spec;
    this.checkpoint = checkpoint;
  }

  /** Opens {@code path}: a run directory, its {@code checkpoints/}, or one checkpoint in it. */
  public static ModelSource open(Path path) throws IOException {
    Path checkpoint = Checkpoints.isCheckpoint(path) ? path : null;
    RunDirectory run = RunDirectory.openForReading(RunDirectory.rootOf(path));
    RunConfig config = RecordedConfig.of(run);
    TrainConfig train = config.train();
    return new ModelSource(
        run, train, ModelFiles.parse(train.modelYaml(), train.model()), checkpoint);
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The run's root directory. */
  public Path root() {
    return run.root();
  }

  /**
   * Loads one network and copies it out of the engine.
   *
   * @param raw for a GAN generator: the trained weights instead of their average
   * @param warnings where checkpoint fallbacks are reported
   */
  public ExportedNetwork export(Network network, boolean raw, PrintStream warnings)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    Map<String, Tensor> weights = new LinkedHashMap<>();
    List<Part> parts = network.parts(spec);
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.Loaded<TrainState> loaded;
      switch (network) {
        case GENERATOR -> {
          DeconvNet g = Mirror.of(spec);
          SequentialBlock generator = Networks.of(g);
          generator.initialize(manager, DataType.FLOAT32, Networks.latentShape(g, 2));
          String block = raw ? "generator" : "generator_ema";
          loaded = load(Map.of(block, generator), manager, warnings);
          GanSampler.prepare(
              generator, g, new ParameterStore(manager, false), manager, config.seed());
          weights.putAll(BlockWeights.read(generator, parts.get(0), StandingStats.PASSES));
          meta.put("weights", raw ? "generator (trained)" : "generator_ema (weight average)");
          meta.put(
              "batch_norm",
              "standing statistics: "
                  + StandingStats.PASSES
                  + " training-mode passes of "
                  + StandingStats.BATCH
                  + " latent vectors, seed "
                  + config.seed());
        }
        case DISCRIMINATOR -> {
          SequentialBlock d = Networks.of(spec.declared());
          d.initialize(manager, DataType.FLOAT32, Networks.imageShape(spec.image(), 2));
          loaded = load(Map.of("discriminator", d), manager, warnings);
          weights.putAll(BlockWeights.read(d, parts.get(0), 0));
          meta.put("weights", "discriminator");
          meta.put("batch_norm", "running statistics of training");
        }
        default -> {
          VaeModel vae = new VaeModel(spec, manager, config.seed());
          loaded = load(vae.blocks(), manager, warnings);
          for (Part part : parts) {
            Block block = vae.blocks().get(part.name().isEmpty() ? "decoder" : part.name());
            weights.putAll(BlockWeights.read(block, part, 0));
          }
          if (network.hasObservationLogVariance(spec)) {
            Parameter p =
                vae.blocks()
                    .get(Network.OBSERVATION_LOG_VARIANCE)
                    .getParameters()
                    .get("log_variance");
            weights.put(
                Network.OBSERVATION_LOG_VARIANCE,
                Tensor.f32(new long[] {1}, p.getArray().toFloatArray()));
          }
          List<String> names = new java.util.ArrayList<>();
          for (Part part : parts) names.add(part.name().isEmpty() ? "decoder" : part.name());
          if (network.hasObservationLogVariance(spec)) names.add(Network.OBSERVATION_LOG_VARIANCE);
          meta.put("weights", String.join(", ", names));
          meta.put("batch_norm", "running statistics of training");
        }
      }
      provenance(meta, network, loaded);
    }
    ExportedNetwork net = new ExportedNetwork(network, spec, weights, Map.of());
    meta.put("input", net.inputSignature());
    meta.put("output", net.outputSignature());
    return new ExportedNetwork(network, spec, weights, meta);
  }

  private Checkpoints.Loaded<TrainState> load(
      Map<String, Block> blocks, NDManager manager, PrintStream warnings) throws IOException {
    List<String> files = blocks.keySet().stream().map(StateFiles::blockFile).toList();
    Checkpoints.Loaded<TrainState> loaded;
    if (checkpoint != null) {
      loaded = Checkpoints.loadExactly(checkpoint, files, TrainState.class);
    } else {
      loaded = new Checkpoints(run.layout().checkpointsDir()).load(files, TrainState.class);
      loaded.warnings().forEach(w -> warnings.println("warning: " + w));
    }
    StateFiles.loadBlocks(loaded.files(), blocks, manager);
    return loaded;
  }

  /** Where the export came from and what made it, as text for the files' metadata. */
  private void provenance(
      Map<String, String> meta, Network network, Checkpoints.Loaded<TrainState> loaded)
      throws IOException {
    meta.put("network", network.cliName());
    meta.put("run", run.root().toAbsolutePath().normalize().toString());
    meta.put("checkpoint", loaded.directory().getFileName().toString());
    meta.put("step", Integer.toString(loaded.step()));
    meta.put("epochs_done", Integer.toString(loaded.state().epoch()));
    meta.put("model", config.model());
    meta.put("model_yaml", config.modelYaml());
    meta.put("seed", Long.toString(config.seed()));
    meta.put("convmirror_version", Provenance.currentVersion());
    Provenance.EngineInfo engine = EngineSetup.describe();
    meta.put("djl_version", engine.djlVersion());
    meta.put("engine", engine.name() + " " + engine.version());
    meta.put("java_version", System.getProperty("java.version"));
    meta.put("exported_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    meta.put("training_provenance", new ObjectMapper().writeValueAsString(run.readProvenance()));
  }
}
