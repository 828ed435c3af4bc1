package org.convmirror.internal.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.nn.StandingStats;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RecordedConfig;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.TrainState;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.options.RunConfig;
import org.convmirror.spec.ModelSpec;

/**
 * A trained model on disk, named by a run directory (its latest complete checkpoint), the run's
 * {@code checkpoints/} folder, or one checkpoint directory; the one loader of a model's networks.
 * Opening checks that it is a run of ours and reads the configuration and model it recorded;
 * loading verifies the checkpoint's files against its manifest (falling back to an older complete
 * checkpoint of a run), builds the networks, loads their weights and, for a generator, recomputes
 * its standing batch-norm statistics.
 */
public final class SavedModel {
  private final RunDirectory run;
  private final RunConfig config;
  private final ModelSpec spec;
  private final ModelFamily family;
  private final Path checkpoint; // null: the run's latest

  private SavedModel(RunDirectory run, RunConfig config, Path checkpoint) {
    this.run = run;
    this.config = config;
    this.spec = ModelFiles.parse(config.train().modelYaml(), config.train().model());
    this.family = ModelFamily.of(spec);
    this.checkpoint = checkpoint;
  }

  /** Opens {@code path}: a run directory, its {@code checkpoints/}, or one checkpoint in it. */
  public static SavedModel open(Path path) throws IOException {
    Path checkpoint = Checkpoints.isCheckpoint(path) ? path : null;
    RunDirectory run = RunDirectory.openForReading(RunDirectory.rootOf(path));
    return new SavedModel(run, RecordedConfig.of(run), checkpoint);
  }

  /** The run's resolved configuration. */
  public RunConfig config() {
    return config;
  }

  /** The model, as the run's model file declares it. */
  public ModelSpec spec() {
    return spec;
  }

  public ModelFamily family() {
    return family;
  }

  /** The run directory. */
  public Path root() {
    return run.root();
  }

  /** How the run was made. */
  public Provenance provenance() throws IOException {
    return run.readProvenance();
  }

  /**
   * The verified checkpoint with the files of {@code networks} (checkpoint entries): the one asked
   * for, or the run's latest complete one, any fallback reported to {@code warnings}.
   */
  Checkpoints.Loaded<TrainState> checkpoint(List<String> networks, PrintStream warnings)
      throws IOException {
    List<String> files = networks.stream().map(StateFiles::blockFile).toList();
    if (checkpoint != null) return Checkpoints.loadExactly(checkpoint, files, TrainState.class);
    Checkpoints.Loaded<TrainState> loaded =
        new Checkpoints(run.layout().checkpointsDir()).load(files, TrainState.class);
    loaded.warnings().forEach(w -> warnings.println("warning: " + w));
    return loaded;
  }

  /**
   * The generator or decoder, loaded and ready to draw images: a GAN's weight average (the trained
   * generator if {@code raw}) with standing batch-norm statistics, or the VAE with every block.
   */
  public LoadedModel forSampling(boolean raw, PrintStream warnings) throws IOException {
    NDManager manager = NDManager.newBaseManager();
    try {
      if (family instanceof GanFamily gan) {
        String entry = gan.samplingEntry(raw);
        Checkpoints.Loaded<TrainState> loaded = checkpoint(List.of(entry), warnings);
        return LoadedModel.gan(this, loaded, manager, generator(gan, entry, loaded, manager));
      }
      Checkpoints.Loaded<TrainState> loaded = checkpoint(List.of(VaeFamily.DECODER), warnings);
      return LoadedModel.vae(this, loaded, manager, vae((VaeFamily) family, loaded, manager));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * One of the model's networks, loaded for export: its blocks in the order of its checkpoint
   * entries, and what they are.
   *
   * @param blocks the network's blocks by checkpoint entry, in export order
   * @param observationLogVariance a {@code gaussian_learned} decoder's learned log-variance, shape
   *     (1); else null
   * @param checkpoint where the weights came from
   * @param weights which entries, said for people
   * @param batchNorm which batch-norm statistics the blocks carry, said for people
   */
  public record Network(
      NDManager manager,
      Map<String, Block> blocks,
      NDArray observationLogVariance,
      Checkpoints.Loaded<TrainState> checkpoint,
      String weights,
      String batchNorm)
      implements AutoCloseable {
    @Override
    public void close() {
      manager.close();
    }
  }

  /**
   * Loads the declared half (discriminator, encoder) or the {@code derived} one (generator,
   * decoder) for export; {@code raw} picks a GAN's trained generator instead of its average.
   */
  public Network network(boolean derived, boolean raw, PrintStream warnings) throws IOException {
    family.checkExportable();
    NDManager manager = NDManager.newBaseManager();
    try {
      Map<String, Block> blocks = new LinkedHashMap<>();
      Checkpoints.Loaded<TrainState> loaded;
      String batchNorm = "running statistics of training";
      String weights;
      NDArray observation = null;
      if (family instanceof GanFamily gan && derived) {
        String entry = gan.samplingEntry(raw);
        loaded = checkpoint(List.of(entry), warnings);
        blocks.put(entry, generator(gan, entry, loaded, manager));
        weights = gan.describeSampling(raw);
        batchNorm =
            "standing statistics: "
                + StandingStats.PASSES
                + " training-mode passes of "
                + StandingStats.BATCH
                + " latent vectors, seed "
                + seed();
      } else if (family instanceof GanFamily gan) {
        Block d = gan.discriminator(manager);
        loaded = checkpoint(List.of(GanFamily.DISCRIMINATOR), warnings);
        StateFiles.loadBlocks(loaded.files(), Map.of(GanFamily.DISCRIMINATOR, d), manager);
        blocks.put(GanFamily.DISCRIMINATOR, d);
        weights = GanFamily.DISCRIMINATOR;
      } else {
        VaeModel model = ((VaeFamily) family).model(manager.newSubManager(), seed());
        loaded = checkpoint(new ArrayList<>(model.blocks().keySet()), warnings);
        StateFiles.loadBlocks(loaded.files(), model.blocks(), model.manager());
        List<String> entries = derived ? List.of(VaeFamily.DECODER) : VaeFamily.encoderEntries();
        for (String e : entries) blocks.put(e, model.blocks().get(e));
        List<String> names = new ArrayList<>(entries);
        Block o = model.blocks().get(VaeFamily.OBSERVATION_LOG_VARIANCE);
        if (derived && o != null) {
          observation = o.getParameters().valueAt(0).getArray();
          names.add(VaeFamily.OBSERVATION_LOG_VARIANCE);
        }
        weights = String.join(", ", names);
      }
      return new Network(manager, blocks, observation, loaded, weights, batchNorm);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private long seed() {
    return config.train().seed();
  }

  /** The generator of {@code entry}, loaded, with standing statistics recomputed. */
  private Block generator(
      GanFamily gan, String entry, Checkpoints.Loaded<TrainState> loaded, NDManager manager)
      throws IOException {
    Block g = gan.generator(manager);
    StateFiles.loadBlocks(loaded.files(), Map.of(entry, g), manager);
    GanSampler.prepare(g, gan.input(), new ParameterStore(manager, false), manager, seed());
    return g;
  }

  /** The VAE with every block loaded. */
  private VaeModel vae(VaeFamily vae, Checkpoints.Loaded<TrainState> loaded, NDManager manager)
      throws IOException {
    VaeModel model = vae.model(manager.newSubManager(), seed());
    StateFiles.loadBlocks(loaded.files(), model.blocks(), model.manager());
    return model;
  }
}
