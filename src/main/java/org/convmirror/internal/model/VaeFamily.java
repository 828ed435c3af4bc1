package org.convmirror.internal.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Seeds;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.internal.nn.Init;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.ModelNetworks;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.vae.ObservationLogVariance;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeObjective;
import org.convmirror.options.Precision;
import org.convmirror.options.RunConfig;
import org.convmirror.spec.Activation;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;

/**
 * A convolutional VAE (Kingma &amp; Welling 2014): the declared encoder, two dense heads for the
 * mean and log-variance of q(z|x), the mirrored decoder for p(x|z) and, for a {@code
 * gaussian_learned} likelihood, the observation log-variance; every block initialised as DCGAN's.
 *
 * @param spec the model, a VAE
 * @param kernel how the decoder's transposed convolutions are computed
 */
public record VaeFamily(ModelSpec spec, ConvKernel kernel) implements ModelFamily {
  public static final String ENCODER = "encoder";
  public static final String MEAN = "mean";
  public static final String LOG_VARIANCE = "log_variance";
  public static final String DECODER = "decoder";

  /** The learned observation log-variance of a {@code gaussian_learned} decoder, shape (1). */
  public static final String OBSERVATION_LOG_VARIANCE = "observation_log_variance";

  /** The name of the observation log-variance's one parameter inside its entry. */
  private static final String OBSERVATION_PARAMETER = "log_variance";

  /** The checkpoint entry of the noise the end-of-epoch grids are decoded from. */
  public static final String FIXED_NOISE = "fixed_noise";

  /** The family of {@code spec} with the default kernels. */
  public VaeFamily(ModelSpec spec) {
    this(spec, ConvKernel.DEFAULT);
  }

  private static final VaeModel.Entries ENTRIES =
      new VaeModel.Entries(
          ENCODER, MEAN, LOG_VARIANCE, DECODER, OBSERVATION_LOG_VARIANCE, FIXED_NOISE);

  @Override
  public List<String> entries() {
    List<String> e = new ArrayList<>(List.of(ENCODER, MEAN, LOG_VARIANCE, DECODER));
    if (spec.likelihood() == Likelihood.GAUSSIAN_LEARNED) e.add(OBSERVATION_LOG_VARIANCE);
    e.add(FIXED_NOISE);
    return e;
  }

  /** The encoder's entries in the order its parts are exported: encoder, mean, log-variance. */
  public static List<String> encoderEntries() {
    return List.of(ENCODER, MEAN, LOG_VARIANCE);
  }

  @Override
  public List<String> networkEntries(boolean derived) {
    return derived ? List.of(DECODER) : encoderEntries();
  }

  @Override
  public Fresh fresh(RunConfig config) {
    VaeObjective objective = (VaeObjective) objective(config, null);
    return new Fresh(objective, objective.model().blocks(), () -> {});
  }

  @Override
  public Objective objective(RunConfig config, ImageSet test) {
    long seed = config.train().seed();
    VaeModel model =
        model(
            NDManager.newBaseManager(),
            new Randomness(seed).seed(Randomness.Stream.INIT, 0),
            config.train().precision());
    try {
      return new VaeObjective(model, config.vae(), test, seed);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Builds and initialises every block with DCGAN's distributions, drawn in Java from {@code seed}
   * and the block's place (see {@link Init#dcgan}).
   *
   * @param manager owns the weights; the model closes it
   */
  public VaeModel model(NDManager manager, long seed) {
    return model(manager, seed, Precision.FP32);
  }

  /**
   * As above, its convolutions trained in {@code precision}: the encoder's in {@link
   * Precision#declared()}, the decoder's in {@link Precision#derived()} (see {@code
   * MixedPrecision}).
   */
  public VaeModel model(NDManager manager, long seed, Precision precision) {
    DeconvNet decoderSpec = decoderSpec();
    LatentInput input = LatentInput.of(spec, decoderSpec);
    Block encoder = Networks.of(spec.declared(), precision.declared());
    Block mean = Linear.builder().setUnits(spec.latent()).build();
    Block logVariance = Linear.builder().setUnits(spec.latent()).build();
    Block decoder = ModelNetworks.derived(spec, decoderSpec, kernel, precision.derived());
    // Batch norm needs two images to initialise on; the batch size is otherwise free.
    encoder.initialize(manager, DataType.FLOAT32, Networks.imageShape(spec.image(), 2));
    Shape features = new Shape(2, spec.declared().outputSize() + input.classes());
    mean.initialize(manager, DataType.FLOAT32, features);
    logVariance.initialize(manager, DataType.FLOAT32, features);
    decoder.initialize(manager, DataType.FLOAT32, input.shapes(2));
    Block observation = null;
    if (spec.likelihood() == Likelihood.GAUSSIAN_LEARNED) {
      observation = new ObservationLogVariance(OBSERVATION_PARAMETER);
      observation.initialize(manager, DataType.FLOAT32, new Shape(1));
    }
    VaeModel model =
        new VaeModel(
            spec,
            decoderSpec,
            manager,
            input,
            new VaeModel.Blocks(encoder, mean, logVariance, decoder, observation),
            ENTRIES);
    int index = 0;
    for (Block b : model.blocks().values()) Init.dcgan(b, Seeds.mix(seed, index++));
    return model;
  }

  /**
   * The decoder as built: the mirror, its last activation removed for a Bernoulli likelihood,
   * because the loss wants logits and σ is applied only to make images.
   */
  public DeconvNet decoderSpec() {
    DeconvNet net = mirror();
    if (spec.likelihood() != Likelihood.BERNOULLI) return net;
    List<DeconvBlock> deconv = new ArrayList<>(net.deconv());
    DeconvBlock last = deconv.get(deconv.size() - 1);
    if (last.activation().kind() != Activation.Kind.SIGMOID) {
      throw new UsageException(
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
}
