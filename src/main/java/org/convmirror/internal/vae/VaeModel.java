package org.convmirror.internal.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.nn.ConditionalGenerator;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.Owned;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;

/**
 * The networks of a convolutional VAE (Kingma &amp; Welling 2014): the declared encoder, flattened,
 * feeding two dense heads for the mean and log-variance of q(z|x), and the mirrored decoder for
 * p(x|z). A Bernoulli decoder is built without its final sigmoid, so that it yields logits for a
 * stable loss; {@link #toPixels} applies the sigmoid for images.
 *
 * <p>Conditional (the CVAE of Sohn, Lee &amp; Yan 2015): q(z|x, y) and p(x|z, y). The one-hot label
 * joins the encoder's flattened features before both heads, and a learned label embedding joins z
 * at the decoder's input ({@link ConditionalGenerator}); the prior stays N(0, I).
 */
public final class VaeModel implements AutoCloseable {
  /** The checkpoint entries of a VAE: its blocks and its fixed noise. */
  public record Entries(
      String encoder,
      String mean,
      String logVariance,
      String decoder,
      String observationLogVariance,
      String fixedNoise) {}

  /**
   * The blocks, initialised: the encoder, the two heads of q(z|x), the decoder and, for {@code
   * gaussian_learned} only, the observation log-variance (else null).
   */
  public record Blocks(
      Block encoder, Block mean, Block logVariance, Block decoder, Block observationLogVariance) {}

  private final ModelSpec spec;
  private final DeconvNet decoderSpec;
  private final NDManager manager;
  private final ParameterStore store;
  private final Map<String, Block> blocks = new LinkedHashMap<>();
  private final Block encoder;
  private final Block meanHead;
  private final Block logVarianceHead;
  private final Block decoder;
  private final LatentInput input;
  private final int classes; // 0: unconditional
  private final Block observationLogVariance; // GAUSSIAN_LEARNED only
  private final Entries entries;

  /** q(z|x) for a batch: (N, latent) means and log-variances. */
  public record Posterior(NDArray mean, NDArray logVariance) {}

  /**
   * The VAE of {@code spec} from blocks the model's family built and initialised.
   *
   * @param decoderSpec the decoder as built: the mirror, ending in logits for a Bernoulli
   *     likelihood
   * @param manager owns every weight; closed with this model
   */
  public VaeModel(
      ModelSpec spec,
      DeconvNet decoderSpec,
      NDManager manager,
      LatentInput input,
      Blocks b,
      Entries entries) {
    this.spec = spec;
    this.decoderSpec = decoderSpec;
    this.manager = manager;
    this.input = input;
    this.classes = input.classes();
    this.entries = entries;
    encoder = b.encoder();
    meanHead = b.mean();
    logVarianceHead = b.logVariance();
    decoder = b.decoder();
    observationLogVariance = b.observationLogVariance();
    blocks.put(entries.encoder(), encoder);
    blocks.put(entries.mean(), meanHead);
    blocks.put(entries.logVariance(), logVarianceHead);
    blocks.put(entries.decoder(), decoder);
    if (observationLogVariance != null) {
      blocks.put(entries.observationLogVariance(), observationLogVariance);
    }
    store = new ParameterStore(manager, false);
  }

  /** q(z|x) for images x, (N, C, H, W) in [-1, 1], of an unconditional VAE. */
  public Posterior encode(NDArray x, boolean training) {
    return encode(x, null, training);
  }

  /**
   * q(z|x, y) for images x, (N, C, H, W) in [-1, 1], and their (N) int64 labels; {@code labels} is
   * null for an unconditional VAE.
   */
  public Posterior encode(NDArray x, NDArray labels, boolean training) {
    requireLabels(labels);
    NDArray h = forward(encoder, x, training);
    if (labels != null) {
      h = NDArrays.concat(new NDList(h, labels.oneHot(classes, DataType.FLOAT32)), 1);
    }
    return new Posterior(forward(meanHead, h, training), forward(logVarianceHead, h, training));
  }

  private void requireLabels(NDArray labels) {
    if ((labels != null) != (classes > 0)) {
      throw new IllegalArgumentException(
          classes > 0
              ? "a conditional VAE needs the labels"
              : "an unconditional VAE takes no labels");
    }
  }

  /**
   * The reparameterised sample z = μ + σ·ε for given noise ε ~ N(0, I) shaped like μ, through which
   * gradients reach q.
   */
  public static NDArray sample(Posterior q, NDArray eps) {
    return q.mean().add(q.logVariance().mul(Owned.scalar(eps, 0.5f)).exp().mul(eps));
  }

  /** The decoder's raw output for latents z: logits (Bernoulli) or means (Gaussian). */
  public NDArray decode(NDArray z, boolean training) {
    return decode(z, null, training);
  }

  /** As above given the classes asked for, (N) int64; null for an unconditional VAE. */
  public NDArray decode(NDArray z, NDArray labels, boolean training) {
    requireLabels(labels);
    NDList in = labels == null ? new NDList(z) : new NDList(z, labels);
    return decoder.forward(store, in, training).singletonOrThrow();
  }

  /** The class count of a conditional VAE, 0 for an unconditional one. */
  public int classes() {
    return classes;
  }

  /** Decoder output as images in [0, 1]: σ(logits), or Gaussian means clipped to [0, 1]. */
  public NDArray toPixels(NDArray out) {
    return spec.likelihood() == Likelihood.BERNOULLI
        ? ai.djl.nn.Activation.sigmoid(out)
        : out.clip(0, 1);
  }

  /** The learned observation log-variance (shape (1)), or null unless {@code gaussian_learned}. */
  public NDArray observationLogVariance(NDArray like, boolean training) {
    return observationLogVariance == null ? null : forward(observationLogVariance, like, training);
  }

  private NDArray forward(Block block, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  /** Every block by its checkpoint entry: encoder, mean, log-variance, decoder [, observation…]. */
  public Map<String, Block> blocks() {
    return blocks;
  }

  /** The names of its checkpoint entries. */
  public Entries entries() {
    return entries;
  }

  /** The decoder block: latent vectors (and labels) to logits or means. */
  public Block decoder() {
    return decoder;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The decoder as built: the mirror, ending in logits for a Bernoulli likelihood. */
  public DeconvNet decoderSpec() {
    return decoderSpec;
  }

  /** The shape of {@code n} latent vectors as the decoder takes them. */
  public Shape latentShape(int n) {
    return input.latentShape(n);
  }

  /** What the decoder takes: latent vectors, and labels when conditional. */
  public LatentInput input() {
    return input;
  }

  /** The manager holding every parameter. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
