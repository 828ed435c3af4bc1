package org.convmirror.internal.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.data.Seeds;
import org.convmirror.internal.nn.ConditionalGenerator;
import org.convmirror.internal.nn.Init;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.ModelNetworks;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.nn.Owned;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.Activation;
import org.convmirror.spec.DeconvBlock;
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
  private final ModelSpec spec;
  private final DeconvNet decoderSpec;
  private final NDManager manager;
  private final ParameterStore store;
  private final Map<String, Block> blocks = new LinkedHashMap<>();
  private final SequentialBlock encoder;
  private final Linear meanHead;
  private final Linear logVarianceHead;
  private final Block decoder;
  private final LatentInput input;
  private final int classes; // 0: unconditional
  private final ObservationLogVariance observationLogVariance; // GAUSSIAN_LEARNED only

  /** q(z|x) for a batch: (N, latent) means and log-variances. */
  public record Posterior(NDArray mean, NDArray logVariance) {}

  /**
   * Builds and initialises every block with DCGAN's distributions, drawn in Java from {@code seed}
   * (see {@link Init#dcgan}).
   */
  public VaeModel(ModelSpec spec, NDManager parent, long seed) {
    this.spec = spec;
    this.decoderSpec = logitsDecoder(spec);
    this.manager = parent.newSubManager();
    this.input = LatentInput.of(spec, decoderSpec);
    this.classes = input.classes();
    encoder = Networks.of(spec.declared());
    meanHead = Linear.builder().setUnits(spec.latent()).build();
    logVarianceHead = Linear.builder().setUnits(spec.latent()).build();
    decoder = ModelNetworks.derived(spec, decoderSpec);
    // Batch norm needs two images to initialise on; the batch size is otherwise free.
    encoder.initialize(manager, DataType.FLOAT32, Networks.imageShape(spec.image(), 2));
    Shape features = new Shape(2, spec.declared().outputSize() + classes);
    meanHead.initialize(manager, DataType.FLOAT32, features);
    logVarianceHead.initialize(manager, DataType.FLOAT32, features);
    decoder.initialize(manager, DataType.FLOAT32, input.shapes(2));
    blocks.put("encoder", encoder);
    blocks.put("mean", meanHead);
    blocks.put("log_variance", logVarianceHead);
    blocks.put("decoder", decoder);
    if (spec.likelihood() == Likelihood.GAUSSIAN_LEARNED) {
      observationLogVariance = new ObservationLogVariance();
      observationLogVariance.initialize(manager, DataType.FLOAT32, new Shape(1));
      blocks.put("observation_log_variance", observationLogVariance);
    } else {
      observationLogVariance = null;
    }
    int index = 0;
    for (Block b : blocks.values()) Init.dcgan(b, Seeds.mix(seed, index++));
    store = new ParameterStore(manager, false);
  }

  /**
   * The mirrored decoder, its last activation removed for a Bernoulli likelihood: the loss wants
   * logits, and σ is applied only to make images.
   */
  static DeconvNet logitsDecoder(ModelSpec spec) {
    DeconvNet net = Mirror.of(spec);
    if (spec.likelihood() != Likelihood.BERNOULLI) return net;
    List<DeconvBlock> deconv = new ArrayList<>(net.deconv());
    DeconvBlock last = deconv.get(deconv.size() - 1);
    if (last.activation().kind() != Activation.Kind.SIGMOID) {
      throw new IllegalArgumentException(
          "decoder.output_activation must be sigmoid for a Bernoulli likelihood, was "
              + last.activation()
              + "; remove it or use likelihood: gaussian");
    }
    deconv.set(
        deconv.size() - 1,
        new DeconvBlock(
            last.inChannels(),
            last.outChannels(),
            last.kernel(),
            last.stride(),
            last.padding(),
            last.outputPadding(),
            last.dilation(),
            last.bias(),
            last.batchNorm(),
            last.spectralNorm(),
            Activation.NONE,
            last.upsample(),
            last.dropout()));
    return new DeconvNet(net.latent(), net.dense(), net.reshape(), deconv);
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

  /** Every block by its checkpoint name: encoder, mean, log_variance, decoder [, observation…]. */
  public Map<String, Block> blocks() {
    return blocks;
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
