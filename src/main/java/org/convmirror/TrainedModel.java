package org.convmirror;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convmirror.gan.GanObjective;
import org.convmirror.gan.GanSampler;
import org.convmirror.mirror.Mirror;
import org.convmirror.nn.Networks;
import org.convmirror.nn.StateFiles;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.RunDirectory;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.train.Randomness;
import org.convmirror.train.TrainState;
import org.convmirror.vae.VaeModel;
import org.convmirror.vae.VaeSampler;

/**
 * A trained model opened from its run directory (the latest checkpoint) or from one checkpoint
 * directory, ready to draw images: the GAN's generator — its weight average unless {@code raw} —
 * with standing batch-norm statistics, or the VAE's decoder. Images come out in [0, 1].
 *
 * <pre>{@code
 * try (TrainedModel model = TrainedModel.open(Path.of("runs/dcgan28-5ep"))) {
 *   Images images = model.sample(16, 0);
 *   images.writeGrid(Path.of("grid.png"), 3);
 * }
 * }</pre>
 */
public final class TrainedModel implements AutoCloseable {
  /** Latent vectors decoded per engine call. */
  static final int CHUNK = 500;

  private final RunDirectory run;
  private final RunConfig config;
  private final ModelSpec spec;
  private final Path checkpoint;
  private final TrainState state;
  private final NDManager manager;
  private final DeconvNet derivedSpec;
  private final Block derived;
  private final ParameterStore store;
  private final VaeModel vae;

  private TrainedModel(
      RunDirectory run,
      RunConfig config,
      ModelSpec spec,
      Checkpoints.Loaded<TrainState> loaded,
      NDManager manager,
      boolean raw)
      throws IOException {
    this.run = run;
    this.config = config;
    this.spec = spec;
    this.checkpoint = loaded.directory();
    this.state = loaded.state();
    this.manager = manager;
    this.store = new ParameterStore(manager, false);
    if (spec.kind() == ModelKind.VAE) {
      vae = new VaeModel(spec, manager, config.train().seed());
      StateFiles.loadBlocks(loaded.files(), vae.blocks(), manager);
      derivedSpec = vae.decoderSpec();
      derived = vae.blocks().get("decoder");
    } else {
      vae = null;
      derivedSpec = Mirror.of(spec);
      SequentialBlock g = Networks.of(derivedSpec);
      g.initialize(manager, DataType.FLOAT32, Networks.latentShape(derivedSpec, 2));
      StateFiles.loadBlocks(
          loaded.files(), Map.of(raw ? GanObjective.GENERATOR : GanObjective.AVERAGE, g), manager);
      GanSampler.prepare(g, derivedSpec, store, manager, config.train().seed());
      derived = g;
    }
  }

  /** Opens a run's latest complete checkpoint, or the given checkpoint directory. */
  public static TrainedModel open(Path runOrCheckpoint) throws IOException {
    return open(runOrCheckpoint, false);
  }

  /**
   * Opens a run's latest complete checkpoint, or the given checkpoint directory; {@code raw} picks
   * a GAN's trained generator instead of its weight average.
   */
  public static TrainedModel open(Path runOrCheckpoint, boolean raw) throws IOException {
    Path checkpoint = Checkpoints.isCheckpoint(runOrCheckpoint) ? runOrCheckpoint : null;
    RunDirectory run = RunDirectory.openForReading(RunDirectory.rootOf(runOrCheckpoint));
    RunConfig config = RunConfig.of(run);
    ModelSpec spec = config.spec();
    List<String> files = required(spec, raw);
    Checkpoints.Loaded<TrainState> loaded;
    if (checkpoint != null) {
      loaded = Checkpoints.loadExactly(checkpoint, files, TrainState.class);
    } else {
      loaded = new Checkpoints(run.checkpointsDir()).load(files, TrainState.class);
      loaded.warnings().forEach(w -> System.err.println("warning: " + w));
    }
    NDManager manager = NDManager.newBaseManager();
    try {
      return new TrainedModel(run, config, spec, loaded, manager, raw);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static List<String> required(ModelSpec spec, boolean raw) {
    if (spec.kind() == ModelKind.VAE) return List.of(StateFiles.blockFile("decoder"));
    return List.of(StateFiles.blockFile(raw ? GanObjective.GENERATOR : GanObjective.AVERAGE));
  }

  /**
   * {@code count} images from latent vectors z ~ N(0, I): image i comes from latent vector i of
   * {@code seed} ({@link Randomness#latents}), so the same seed gives the same images, and the
   * first k images of a larger sample are the k images of a smaller one.
   */
  public Images sample(int count, long seed) {
    float[] out = new float[Math.multiplyExact(count, spec.image().size())];
    try {
      sample(count, seed, (first, chunk) -> copy(chunk, out, first));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // copying into memory does no I/O
    }
    return new Images(out, count, spec.image());
  }

  /** Receives consecutive chunks of a large sample. */
  @FunctionalInterface
  public interface ChunkSink {
    /** {@code chunk} holds images {@code first} to {@code first + chunk.count() - 1}. */
    void accept(int first, Images chunk) throws IOException;
  }

  /** As {@link #sample(int, long)}, handing the images over in chunks so none are all held. */
  public void sample(int count, long seed, ChunkSink sink) throws IOException {
    if (count < 1) throw new UsageException("the image count must be ≥ 1, was " + count);
    for (int done = 0; done < count; done += CHUNK) {
      int n = Math.min(CHUNK, count - done);
      sink.accept(done, decode(Randomness.latents(seed, done, n, latentSize()), n));
    }
  }

  private static void copy(Images chunk, float[] into, int first) {
    System.arraycopy(chunk.pixels(), 0, into, first * chunk.shape().size(), chunk.pixels().length);
  }

  /** The images of {@code n} given latent vectors, {@code latents} holding n × latent values. */
  public Images decode(float[] latents, int n) {
    if (latents.length != n * latentSize()) {
      throw new UsageException(
          n + " latent vectors of size " + latentSize() + " need " + n * latentSize() + " values");
    }
    try (NDManager tmp = manager.newSubManager()) {
      return new Images(pixels(tmp.create(latents, latentShape(n))), n, spec.image());
    }
  }

  /** Pixels in [0, 1] for latents z: tanh mapped from [-1, 1], or the decoder's means. */
  private float[] pixels(NDArray z) {
    if (vae != null) return VaeSampler.decode(vae, z);
    float[] x = GanSampler.forward(derived, store, manager, z);
    for (int i = 0; i < x.length; i++) x[i] = Math.min(1f, Math.max(0f, (x[i] + 1) / 2));
    return x;
  }

  /** The shape of {@code n} latent vectors as the generator or decoder takes them. */
  public Shape latentShape(int n) {
    return Networks.latentShape(derivedSpec, n);
  }

  public int latentSize() {
    return spec.latent();
  }

  /**
   * The generator (or the VAE's decoder) as a DJL block with its trained weights, for inference
   * ({@code forward(store, input, false)}); a VAE decoder with a Bernoulli likelihood returns
   * logits.
   */
  public Block generator() {
    return derived;
  }

  /** The spec the {@link #generator()} block was built from. */
  public DeconvNet generatorSpec() {
    return derivedSpec;
  }

  /** The whole model as the run's model file declares it. */
  public ModelSpec spec() {
    return spec;
  }

  /** The run's resolved configuration. */
  public RunConfig config() {
    return config;
  }

  /** The run directory. */
  public Path runDirectory() {
    return run.root();
  }

  /** The checkpoint directory the weights came from. */
  public Path checkpoint() {
    return checkpoint;
  }

  /** Epochs the checkpoint had done. */
  public int epoch() {
    return state.epoch();
  }

  /** The VAE's networks, for reconstructions; a GAN has no encoder. */
  public VaeModel vae() {
    if (vae == null) {
      throw new UsageException(
          run.root() + " holds a GAN run; this needs a VAE (a GAN has no encoder)");
    }
    return vae;
  }

  /** The manager that owns the weights (for callers that make engine arrays). */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    if (vae != null) vae.close();
    manager.close();
  }
}
