package org.convmirror.internal.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Locale;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.gan.GanNetworks;
import org.convmirror.internal.gan.GanObjective;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.internal.nn.Init;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.ModelNetworks;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.Randomness;
import org.convmirror.options.Average;
import org.convmirror.options.Precision;
import org.convmirror.options.RunConfig;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * A GAN (Goodfellow et al. 2014): the declared discriminator, its mirrored generator and the
 * generator's weight average, each initialised as DCGAN's (Radford et al. 2015).
 *
 * @param spec the model, a GAN
 * @param kernel how the generator's transposed convolutions are computed
 */
public record GanFamily(ModelSpec spec, ConvKernel kernel) implements ModelFamily {
  /** The checkpoint entry of the trained generator. */
  public static final String GENERATOR = "generator";

  /** The checkpoint entry of the generator's weight average, which samples by default. */
  public static final String AVERAGE = "generator_ema";

  /** The checkpoint entry of the discriminator. */
  public static final String DISCRIMINATOR = "discriminator";

  /** The checkpoint entry of the noise the end-of-epoch grids are drawn from. */
  public static final String FIXED_NOISE = "fixed_noise";

  /** The family of {@code spec} with the default kernels. */
  public GanFamily(ModelSpec spec) {
    this(spec, ConvKernel.DEFAULT);
  }

  private static final GanNetworks.Entries ENTRIES =
      new GanNetworks.Entries(GENERATOR, AVERAGE, DISCRIMINATOR, FIXED_NOISE);

  @Override
  public List<String> entries() {
    return List.of(GENERATOR, AVERAGE, DISCRIMINATOR, FIXED_NOISE);
  }

  /**
   * The generator the model samples with: its weight average, or the trained one if {@code raw}.
   */
  public String samplingEntry(boolean raw) {
    return raw ? GENERATOR : AVERAGE;
  }

  /** What {@link #samplingEntry} loads, said for people. */
  public String describeSampling(boolean raw) {
    return raw ? GENERATOR + " (trained)" : AVERAGE + " (weight average)";
  }

  /**
   * What {@link #samplingEntry} loads and why, for a run trained with {@code average}: the average
   * by default, because with its ramp it scored no worse than the trained generator at any point
   * measured (docs/notes/quality.md).
   */
  public static String whySampling(boolean raw, Average average) {
    if (raw) return GENERATOR + ", the trained generator (--raw)";
    if (!average.on())
      return AVERAGE + ", which averaging off keeps equal to the trained generator";
    return String.format(
        Locale.ROOT,
        "%s, the weight average (half-life %.0f images, at most %s %% of the images seen), which"
            + " is never behind the trained generator in the measured curves; --raw for that one",
        AVERAGE,
        average.halfLifeImages(),
        new java.math.BigDecimal(Double.toString(100 * average.rampUp()))
            .stripTrailingZeros()
            .toPlainString());
  }

  @Override
  public Objective objective(RunConfig config, ImageSet test) {
    return fresh(config).objective();
  }

  @Override
  public List<String> networkEntries(boolean derived) {
    return List.of(derived ? GENERATOR : DISCRIMINATOR);
  }

  @Override
  public Fresh fresh(RunConfig config) {
    long seed = config.train().seed();
    GanNetworks n = networks(seed, config.train().precision());
    return new Fresh(new GanObjective(n, config.gan(), seed), n.byEntry(), n::restartAverage);
  }

  /**
   * The three networks of a new training run, each initialised as DCGAN's from draws keyed by
   * {@code seed} ({@link Randomness.Stream#INIT}), the average equal to the generator.
   */
  public GanNetworks networks(long seed) {
    return networks(seed, Precision.FP32);
  }

  /**
   * As above, the generator and discriminator trained in {@code precision} (each its half's, see
   * {@link Precision#declared()}); the average is never trained and stays float32.
   */
  public GanNetworks networks(long seed, Precision precision) {
    Randomness random = new Randomness(seed);
    DeconvNet g = mirror();
    NDManager manager = NDManager.newBaseManager();
    LatentInput input = LatentInput.of(spec, g);
    Block generator = ModelNetworks.derived(spec, g, kernel, precision.derived());
    Block discriminator = ModelNetworks.discriminator(spec, precision.declared());
    Block average = ModelNetworks.derived(spec, g, kernel);
    generator.initialize(manager, DataType.FLOAT32, input.shapes(2));
    discriminator.initialize(manager, DataType.FLOAT32, ModelNetworks.discriminatorShapes(spec, 2));
    average.initialize(manager, DataType.FLOAT32, input.shapes(2));
    Init.dcgan(generator, random.seed(Randomness.Stream.INIT, 0));
    Init.dcgan(discriminator, random.seed(Randomness.Stream.INIT, 1));
    GanNetworks networks =
        new GanNetworks(spec, g, manager, input, generator, average, discriminator, ENTRIES);
    networks.restartAverage();
    return networks;
  }

  /** The generator's spec: the mirror of the discriminator. */
  public DeconvNet generatorSpec() {
    return mirror();
  }

  /** What the generator takes: latent vectors, and labels when conditional. */
  public LatentInput input() {
    return LatentInput.of(spec, generatorSpec());
  }

  /**
   * A generator with the shapes of its weights set (their values are to be loaded), in {@code m}.
   */
  Block generator(NDManager m) {
    Block g = ModelNetworks.derived(spec, generatorSpec(), kernel);
    g.initialize(m, DataType.FLOAT32, input().shapes(2));
    return g;
  }

  /** A discriminator with the shapes of its weights set, in {@code m}. */
  Block discriminator(NDManager m) {
    Block d = ModelNetworks.discriminator(spec);
    d.initialize(m, DataType.FLOAT32, ModelNetworks.discriminatorShapes(spec, 2));
    return d;
  }
}
