package org.convmirror.internal.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.convmirror.error.UsageException;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.internal.nn.HostBuffers;
import org.convmirror.internal.nn.Init;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.NativeInference;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.train.TrainState;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeSampler;
import org.convmirror.options.RunConfig;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.ModelSpec;

/**
 * A trained model loaded for drawing images ({@link SavedModel#forSampling}): the GAN's generator
 * with standing batch-norm statistics, or the VAE's decoder. Pixels come out in [0, 1], N×C×H×W.
 * Image i of a sample comes from latent vector i of its seed ({@link Randomness#latents}), so a
 * sample does not depend on how it is chunked; a conditional model asked for no class draws image i
 * as class i mod classes.
 */
public final class LoadedModel implements AutoCloseable {
  /** Latent vectors decoded per engine call. */
  public static final int CHUNK = 500;

  /** The labels to pass for "no class asked for": image i is of class i mod classes. */
  public static final int ANY = -1;

  private final ModelSpec spec;
  private final SavedModel saved; // null: untrained
  private final Path checkpoint;
  private final TrainState state;
  private final NDManager manager;
  private final DeconvNet derivedSpec;
  private final LatentInput input;
  private final Block derived;
  private final ParameterStore store;
  private final VaeModel vae; // null for a GAN
  // Reused upload buffers, one set per calling thread (decode may be called from several).
  private final ThreadLocal<HostBuffers> uploads =
      ThreadLocal.withInitial(() -> new HostBuffers(2));
  private NativeInference nativePath; // made on first use: the weights are final by then
  private boolean nativeTried;

  private LoadedModel(
      ModelSpec spec,
      SavedModel saved,
      Checkpoints.Loaded<TrainState> loaded,
      NDManager manager,
      DeconvNet derivedSpec,
      LatentInput input,
      Block derived,
      VaeModel vae) {
    this.spec = spec;
    this.saved = saved;
    this.checkpoint = loaded == null ? null : loaded.directory();
    this.state = loaded == null ? null : loaded.state();
    this.manager = manager;
    this.derivedSpec = derivedSpec;
    this.input = input;
    this.derived = derived;
    this.vae = vae;
    this.store = new ParameterStore(manager, false);
  }

  static LoadedModel gan(
      SavedModel saved, Checkpoints.Loaded<TrainState> loaded, NDManager m, Block generator) {
    GanFamily gan = (GanFamily) saved.family();
    return new LoadedModel(
        saved.spec(), saved, loaded, m, gan.generatorSpec(), gan.input(), generator, null);
  }

  static LoadedModel vae(
      SavedModel saved, Checkpoints.Loaded<TrainState> loaded, NDManager m, VaeModel vae) {
    return new LoadedModel(
        saved.spec(), saved, loaded, m, vae.decoderSpec(), vae.input(), vae.decoder(), vae);
  }

  /**
   * A model of {@code spec} whose weights were never trained, initialised from {@code seed} and
   * prepared as a trained one is (standing statistics): for timing, where the weights do not
   * matter; its transposed convolutions computed by {@code kernel}. It has no run, checkpoint or
   * configuration.
   */
  public static LoadedModel untrained(ModelSpec spec, ConvKernel kernel, long seed) {
    NDManager m = NDManager.newBaseManager();
    ModelFamily family = ModelFamily.of(spec, kernel);
    try {
      if (family instanceof GanFamily gan) {
        Block g = gan.generator(m);
        Init.dcgan(g, seed);
        GanSampler.prepare(g, gan.input(), new ParameterStore(m, false), m, seed);
        return new LoadedModel(spec, null, null, m, gan.generatorSpec(), gan.input(), g, null);
      }
      VaeModel vae = ((VaeFamily) family).model(m.newSubManager(), seed);
      return new LoadedModel(
          spec, null, null, m, vae.decoderSpec(), vae.input(), vae.decoder(), vae);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Receives consecutive chunks of a large sample. */
  @FunctionalInterface
  public interface ChunkSink {
    /** {@code pixels} holds images {@code first} to {@code first + n - 1}. */
    void accept(int first, int n, float[] pixels) throws IOException;
  }

  /**
   * {@code count} images of class {@code label} ({@link #ANY}: image i of class i mod classes in a
   * conditional model), handed over in chunks of {@value #CHUNK} so that none are all held.
   */
  public void sample(int count, long seed, int label, ChunkSink sink) throws IOException {
    if (count < 1) throw new UsageException("the image count must be ≥ 1, was " + count);
    if (label != ANY) checkLabel(label);
    for (int done = 0; done < count; done += CHUNK) {
      int n = Math.min(CHUNK, count - done);
      float[] z = Randomness.latents(seed, done, n, latentSize());
      sink.accept(done, n, decode(z, labels(label, done, n), n));
    }
  }

  /** {@code count} images as {@link #sample(int, long, int, ChunkSink)} draws them, all held. */
  public float[] sample(int count, long seed, int label) {
    float[] out = new float[Math.multiplyExact(count, spec().image().size())];
    try {
      sample(
          count,
          seed,
          label,
          (first, n, x) -> System.arraycopy(x, 0, out, first * spec().image().size(), x.length));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // copying into memory does no I/O
    }
    return out;
  }

  /** Class {@code label} for each image, or i mod classes for none; null if unconditional. */
  public int[] labels(int label, long first, int n) {
    if (!input.conditional()) return null;
    return label == ANY
        ? ClassLabels.cycling(first, n, input.classes())
        : ClassLabels.constant(label, n);
  }

  /** Refuses, in one line, a label that is no class of this model (or a model without classes). */
  public void checkLabel(int label) {
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
              + (saved == null ? "this is" : saved.root() + " holds")
              + " an unconditional "
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
    return spec().conditioning();
  }

  /**
   * The pixels of {@code n} latent vectors ({@code latents}: n × latent values) of the given
   * classes ({@code labels}, one per image; null for an unconditional model).
   */
  public float[] decode(float[] latents, int[] labels, int n) {
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
      return pixels(input.create(tmp, uploads.get(), latents, labels, n));
    }
  }

  /**
   * Pixels in [0, 1]: tanh mapped from [-1, 1], or the decoder's means; in one native call ({@link
   * NativeInference}) unless that is off or cannot run this network.
   */
  private float[] pixels(NDList inputs) {
    NativeInference n = nativeInference();
    if (n != null) return n.pixels(inputs);
    if (vae != null) {
      return VaeSampler.decode(vae, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null);
    }
    float[] x = GanSampler.forward(derived, store, manager, inputs);
    for (int i = 0; i < x.length; i++) x[i] = Math.min(1f, Math.max(0f, (x[i] + 1) / 2));
    return x;
  }

  /** Whether images are drawn in one native call per batch ({@link NativeInference}) now. */
  public boolean drawsNatively() {
    return nativeInference() != null;
  }

  private synchronized NativeInference nativeInference() {
    if (!NativeInference.enabled()) return null;
    if (!nativeTried) {
      nativeTried = true;
      NativeInference.Output output =
          vae == null ? NativeInference.Output.TANH_TO_UNIT : vae.pixelOutput();
      nativePath = NativeInference.of(derived, derivedSpec, output, manager);
    }
    return nativePath;
  }

  /** The shape of {@code n} latent vectors as the generator or decoder takes them. */
  public Shape latentShape(int n) {
    return input.latentShape(n);
  }

  public int latentSize() {
    return spec().latent();
  }

  /** One image's shape. */
  public ImageShape image() {
    return spec().image();
  }

  /** The generator or decoder block, for inference (a Bernoulli decoder returns logits). */
  public Block generator() {
    return derived;
  }

  /** The spec the {@link #generator()} block was built from. */
  public DeconvNet generatorSpec() {
    return derivedSpec;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The run's resolved configuration; null untrained. */
  public RunConfig config() {
    return saved == null ? null : saved.config();
  }

  /** The run directory; null untrained. */
  public Path runDirectory() {
    return saved == null ? null : saved.root();
  }

  /** The checkpoint directory the weights came from. */
  public Path checkpoint() {
    return checkpoint;
  }

  /** Epochs the checkpoint had done (0 untrained). */
  public int epoch() {
    return state == null ? 0 : state.epoch();
  }

  /** The VAE's networks, for reconstructions; one line if this is a GAN (it has no encoder). */
  public VaeModel vae() {
    if (vae == null) {
      throw new UsageException(
          (saved == null ? "this" : saved.root() + " holds a")
              + " GAN run; this needs a VAE (a GAN has no encoder)");
    }
    return vae;
  }

  /** The manager that owns the weights. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    if (nativePath != null) nativePath.close();
    if (vae != null) vae.close();
    manager.close();
  }
}
