package org.convmirror;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.gan.GanObjective;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.ModelNetworks;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.RecordedConfig;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.train.TrainState;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeSampler;
import org.convmirror.mirror.Mirror;
import org.convmirror.options.RunConfig;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * A trained model opened from its run directory (the latest checkpoint) or from one checkpoint
 * directory, ready to draw images: the GAN's generator — its weight average unless {@code raw} —
 * with standing batch-norm statistics, or the VAE's decoder. Images come out in [0, 1]. A
 * conditional model is asked for a class ({@link #sample(int, long, int)}, {@link #classIndex});
 * asked for none, image i is of class i mod classes.
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
  private final LatentInput input;
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
      input = vae.input();
      derived = vae.blocks().get("decoder");
    } else {
      vae = null;
      derivedSpec = Mirror.of(spec);
      input = LatentInput.of(spec, derivedSpec);
      Block g = ModelNetworks.derived(spec, derivedSpec);
      g.initialize(manager, DataType.FLOAT32, input.shapes(2));
      StateFiles.loadBlocks(
          loaded.files(), Map.of(raw ? GanObjective.GENERATOR : GanObjective.AVERAGE, g), manager);
      GanSampler.prepare(g, input, store, manager, config.train().seed());
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
    RunConfig config = RecordedConfig.of(run);
    ModelSpec spec = ModelFiles.parse(config.train().modelYaml(), config.train().model());
    List<String> files = required(spec, raw);
    Checkpoints.Loaded<TrainState> loaded;
    if (checkpoint != null) {
      loaded = Checkpoints.loadExactly(checkpoint, files, TrainState.class);
    } else {
      loaded = new Checkpoints(run.layout().checkpointsDir()).load(files, TrainState.class);
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
   * first k images of a larger sample are the k images of a smaller one. A conditional model draws
   * image i as class i mod classes.
   */
  public Images sample(int count, long seed) {
    return collect(count, seed, ANY);
  }

  /**
   * {@code count} images of class {@code label} from a conditional model, from the same latent
   * vectors as {@link #sample(int, long)}: image i of two classes shares its z.
   */
  public Images sample(int count, long seed, int label) {
    checkLabel(label);
    return collect(count, seed, label);
  }

  private Images collect(int count, long seed, int label) {
    float[] out = new float[Math.multiplyExact(count, spec.image().size())];
    try {
      draw(count, seed, label, (first, chunk) -> copy(chunk, out, first));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // copying into memory does no I/O
    }
    return new Images(out, count, spec.image());
  }

  /** The labels to pass for "no class asked for": image i is of class i mod classes. */
  private static final int ANY = -1;

  /** Receives consecutive chunks of a large sample. */
  @FunctionalInterface
  public interface ChunkSink {
    /** {@code chunk} holds images {@code first} to {@code first + chunk.count() - 1}. */
    void accept(int first, Images chunk) throws IOException;
  }

  /** As {@link #sample(int, long)}, handing the images over in chunks so none are all held. */
  public void sample(int count, long seed, ChunkSink sink) throws IOException {
    draw(count, seed, ANY, sink);
  }

  /** As {@link #sample(int, long, int)}, handing the images over in chunks. */
  public void sample(int count, long seed, int label, ChunkSink sink) throws IOException {
    checkLabel(label);
    draw(count, seed, label, sink);
  }

  private void draw(int count, long seed, int label, ChunkSink sink) throws IOException {
    if (count < 1) throw new UsageException("the image count must be ≥ 1, was " + count);
    for (int done = 0; done < count; done += CHUNK) {
      int n = Math.min(CHUNK, count - done);
      float[] z = Randomness.latents(seed, done, n, latentSize());
      sink.accept(done, decode(z, labels(label, done, n), n));
    }
  }

  /** Class {@code label} for each image, or i mod classes for none; null if unconditional. */
  private int[] labels(int label, long first, int n) {
    if (!input.conditional()) return null;
    return label == ANY
        ? ClassLabels.cycling(first, n, input.classes())
        : ClassLabels.constant(label, n);
  }

  private void checkLabel(int label) {
    Conditioning c = requireConditional("a class");
    if (label < 0 || label >= c.classes()) {
      throw new UsageException(
          "class " + label + " is outside the model's classes: " + c.describeClasses());
    }
  }

  /** The model's conditioning, or one line saying the run is not conditional. */
  private Conditioning requireConditional(String what) {
    if (!spec.isConditional()) {
      throw new UsageException(
          what
              + " needs a conditional model; "
              + run.root()
              + " holds an unconditional "
              + spec.kind()
              + " (its model file has no 'conditional' section)");
    }
    return spec.conditioning();
  }

  /**
   * The label a user means by {@code nameOrIndex}: a class name of the training data (any case) or
   * an index, as {@code --class} takes it.
   */
  public int classIndex(String nameOrIndex) {
    Conditioning c = requireConditional("--class " + nameOrIndex);
    return c.find(nameOrIndex)
        .orElseThrow(
            () ->
                new UsageException(
                    "--class "
                        + nameOrIndex
                        + ": no such class; the classes are "
                        + c.describeClasses()));
  }

  /** The class conditioning of a conditional model (classes and names), or null. */
  public Conditioning conditioning() {
    return spec.conditioning();
  }

  private static void copy(Images chunk, float[] into, int first) {
    System.arraycopy(chunk.pixels(), 0, into, first * chunk.shape().size(), chunk.pixels().length);
  }

  /**
   * The images of {@code n} given latent vectors, {@code latents} holding n × latent values; a
   * conditional model makes image i of class i mod classes.
   */
  public Images decode(float[] latents, int n) {
    return decode(latents, labels(ANY, 0, n), n);
  }

  /**
   * The images of {@code n} latent vectors of the given classes ({@code labels}, one per image;
   * null for an unconditional model).
   */
  public Images decode(float[] latents, int[] labels, int n) {
    if (latents.length != n * latentSize()) {
      throw new UsageException(
          n + " latent vectors of size " + latentSize() + " need " + n * latentSize() + " values");
    }
    if (labels != null) {
      if (labels.length != n) throw new UsageException(n + " images need " + n + " labels");
      for (int y : labels) checkLabel(y);
    } else if (input.conditional()) {
      throw new UsageException("a conditional model needs a class for every image");
    }
    try (NDManager tmp = manager.newSubManager()) {
      return new Images(pixels(input.create(tmp, latents, labels, n)), n, spec.image());
    }
  }

  /** Pixels in [0, 1]: tanh mapped from [-1, 1], or the decoder's means. */
  private float[] pixels(NDList inputs) {
    if (vae != null) {
      return VaeSampler.decode(vae, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null);
    }
    float[] x = GanSampler.forward(derived, store, manager, inputs);
    for (int i = 0; i < x.length; i++) x[i] = Math.min(1f, Math.max(0f, (x[i] + 1) / 2));
    return x;
  }

  /** The shape of {@code n} latent vectors as the generator or decoder takes them. */
  public Shape latentShape(int n) {
    return input.latentShape(n);
  }

  public int latentSize() {
    return spec.latent();
  }

  /**
   * The generator (or the VAE's decoder) as a DJL block with its trained weights, for inference
   * ({@code forward(store, input, false)}); a VAE decoder with a Bernoulli likelihood returns
   * logits. A conditional model's block takes (z, labels): (N, latent) and (N) int64.
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
