package org.convmirror;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.train.Randomness;
import org.convmirror.options.RunConfig;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.DeconvNet;
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
  private final LoadedModel model;

  private TrainedModel(LoadedModel model) {
    this.model = model;
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
    return new TrainedModel(SavedModel.open(runOrCheckpoint).forSampling(raw, System.err));
  }

  /**
   * {@code count} images from latent vectors z ~ N(0, I): image i comes from latent vector i of
   * {@code seed} ({@link Randomness#latents}), so the same seed gives the same images, and the
   * first k images of a larger sample are the k images of a smaller one. A conditional model draws
   * image i as class i mod classes.
   */
  public Images sample(int count, long seed) {
    return images(model.sample(count, seed, LoadedModel.ANY), count);
  }

  /**
   * {@code count} images of class {@code label} from a conditional model, from the same latent
   * vectors as {@link #sample(int, long)}: image i of two classes shares its z.
   */
  public Images sample(int count, long seed, int label) {
    model.checkLabel(label);
    return images(model.sample(count, seed, label), count);
  }

  /** Receives consecutive chunks of a large sample. */
  @FunctionalInterface
  public interface ChunkSink {
    /** {@code chunk} holds images {@code first} to {@code first + chunk.count() - 1}. */
    void accept(int first, Images chunk) throws IOException;
  }

  /** As {@link #sample(int, long)}, handing the images over in chunks so none are all held. */
  public void sample(int count, long seed, ChunkSink sink) throws IOException {
    model.sample(count, seed, LoadedModel.ANY, (first, n, x) -> sink.accept(first, images(x, n)));
  }

  /** As {@link #sample(int, long, int)}, handing the images over in chunks. */
  public void sample(int count, long seed, int label, ChunkSink sink) throws IOException {
    model.checkLabel(label);
    model.sample(count, seed, label, (first, n, x) -> sink.accept(first, images(x, n)));
  }

  /**
   * The label a user means by {@code nameOrIndex}: a class name of the training data (any case) or
   * an index, as {@code --class} takes it.
   */
  public int classIndex(String nameOrIndex) {
    return model.classIndex(nameOrIndex);
  }

  /** The class conditioning of a conditional model (classes and names), or null. */
  public Conditioning conditioning() {
    return model.conditioning();
  }

  /**
   * The images of {@code n} given latent vectors, {@code latents} holding n × latent values; a
   * conditional model makes image i of class i mod classes.
   */
  public Images decode(float[] latents, int n) {
    return decode(latents, model.labels(LoadedModel.ANY, 0, n), n);
  }

  /**
   * The images of {@code n} latent vectors of the given classes ({@code labels}, one per image;
   * null for an unconditional model).
   */
  public Images decode(float[] latents, int[] labels, int n) {
    return images(model.decode(latents, labels, n), n);
  }

  private Images images(float[] pixels, int n) {
    return new Images(pixels, n, model.image());
  }

  /** The shape of {@code n} latent vectors as the generator or decoder takes them. */
  public Shape latentShape(int n) {
    return model.latentShape(n);
  }

  public int latentSize() {
    return model.latentSize();
  }

  /**
   * The generator (or the VAE's decoder) as a DJL block with its trained weights, for inference
   * ({@code forward(store, input, false)}); a VAE decoder with a Bernoulli likelihood returns
   * logits. A conditional model's block takes (z, labels): (N, latent) and (N) int64.
   */
  public Block generator() {
    return model.generator();
  }

  /** The spec the {@link #generator()} block was built from. */
  public DeconvNet generatorSpec() {
    return model.generatorSpec();
  }

  /** The whole model as the run's model file declares it. */
  public ModelSpec spec() {
    return model.spec();
  }

  /** The run's resolved configuration. */
  public RunConfig config() {
    return model.config();
  }

  /** The run directory. */
  public Path runDirectory() {
    return model.runDirectory();
  }

  /** The checkpoint directory the weights came from. */
  public Path checkpoint() {
    return model.checkpoint();
  }

  /** Epochs the checkpoint had done. */
  public int epoch() {
    return model.epoch();
  }

  /** The manager that owns the weights (for callers that make engine arrays). */
  public NDManager manager() {
    return model.manager();
  }

  @Override
  public void close() {
    model.close();
  }
}
