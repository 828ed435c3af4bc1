package org.convmirror.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.convmirror.data.Batch;
import org.convmirror.mirror.Mirror;
import org.convmirror.nn.Adam;
import org.convmirror.nn.HostBuffers;
import org.convmirror.nn.InPlace;
import org.convmirror.nn.Init;
import org.convmirror.nn.Networks;
import org.convmirror.nn.StateFiles;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.IoConsumer;
import org.convmirror.run.RunDirectory;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;
import org.convmirror.train.AdamOptions;
import org.convmirror.train.DivergenceGuard;
import org.convmirror.train.ImageSource;
import org.convmirror.train.Iteration;
import org.convmirror.train.Objective;
import org.convmirror.train.PhaseTimer;
import org.convmirror.train.Randomness;
import org.convmirror.train.TrainState;

/**
 * Adversarial training of a declared discriminator and its mirrored generator (Goodfellow et al.
 * 2014): per iteration, {@code discriminatorSteps} discriminator updates, then one generator
 * update, then the generator's weight average. Each network has its own Adam, which alone clears
 * its gradients.
 */
public final class GanObjective implements Objective {
  /** Fixed-noise samples drawn after every epoch, to compare epochs by eye. */
  public static final int GRID = 64;

  /** Checkpoint names of the three networks. */
  public static final String GENERATOR = "generator";

  public static final String AVERAGE = "generator_ema";
  public static final String DISCRIMINATOR = "discriminator";

  private static final List<Metric> METRICS =
      List.of(
          new Metric("d_loss", "d"),
          new Metric("g_loss", "g"),
          new Metric("d_real", "D(x)"),
          new Metric("d_fake", "D(G(z))"));

  private final ModelSpec spec;
  private final DeconvNet generatorSpec;
  private final GanOptions options;
  private final long seed;
  private final Randomness random;
  private final NDManager manager;
  private final SequentialBlock generator;
  private final SequentialBlock discriminator;
  private final SequentialBlock average;
  private final ParameterStore store;
  private final Adam generatorOptimizer;
  private final Adam discriminatorOptimizer;
  private final HostBuffers inputs;
  private final HostBuffers noise;
  private final NDArray fixedNoise;
  private PhaseTimer timer = PhaseTimer.NONE;
  private long imagesSeen;

  /** Builds both networks with DCGAN initialisation, their optimizers and the fixed noise. */
  public GanObjective(ModelSpec spec, GanOptions options, long seed) {
    this.spec = spec;
    this.options = options;
    this.seed = seed;
    this.random = new Randomness(seed);
    this.generatorSpec = Mirror.of(spec);
    this.manager = NDManager.newBaseManager();
    generator = Networks.of(generatorSpec);
    discriminator = Networks.of(spec.declared());
    average = Networks.of(generatorSpec);
    generator.initialize(manager, DataType.FLOAT32, Networks.latentShape(generatorSpec, 2));
    discriminator.initialize(manager, DataType.FLOAT32, Networks.imageShape(spec.image(), 2));
    average.initialize(manager, DataType.FLOAT32, Networks.latentShape(generatorSpec, 2));
    Init.dcgan(generator, random.seed(Randomness.Stream.INIT, 0));
    Init.dcgan(discriminator, random.seed(Randomness.Stream.INIT, 1));
    GeneratorAverage.copy(generator, average);
    store = new ParameterStore(manager, false);
    inputs = new HostBuffers(options.discriminatorSteps());
    noise = new HostBuffers(options.discriminatorSteps());
    generatorOptimizer = adam(generator, options.generator());
    discriminatorOptimizer = adam(discriminator, options.discriminator());
    fixedNoise =
        manager.create(
            random.gaussian(Randomness.Stream.FIXED_NOISE, 0, GRID * spec.latent()),
            latentShape(GRID));
  }

  private Adam adam(Block network, AdamOptions a) {
    return new Adam(network, manager, a.learningRate(), a.beta1(), a.beta2(), 1e-8f);
  }

  @Override
  public void time(PhaseTimer timer) {
    this.timer = timer;
  }

  @Override
  public List<Metric> metrics() {
    return METRICS;
  }

  @Override
  public List<String> epochColumns() {
    return List.of();
  }

  @Override
  public int batchesPerIteration() {
    return options.discriminatorSteps();
  }

  /**
   * One iteration on real batches (N×C×H×W in [-1, 1]): a discriminator update per batch, each on a
   * fresh G(z), then a generator update on the last G(z), then the weight average.
   */
  @Override
  public double[] step(Iteration iteration) {
    SplittableRandom draws = random.random(Randomness.Stream.NOISE, iteration.number());
    Engine.getInstance() // for draws only the engine can make, e.g. dropout masks
        .setRandomSeed(random.engineSeed(Randomness.Stream.ENGINE, iteration.number()));
    try (NDManager step = manager.newSubManager()) {
      Discriminated d = null;
      List<Batch> real = iteration.batches();
      for (int k = 0; k < real.size(); k++) {
        Batch batch = real.get(k);
        NDArray x = inputs.upload(step, k, batch.pixels(), imageShape(batch.size()));
        float[] latents = Randomness.gaussian(draws, batch.size() * spec.latent());
        NDArray z = noise.upload(step, k, latents, latentShape(batch.size()));
        d = timer.time("discriminator", () -> updateDiscriminator(x, z));
      }
      NDArray fake = d.fake();
      float g = timer.time("generator", () -> updateGenerator(fake));
      imagesSeen += (long) real.get(0).size() * real.size();
      timer.time("average", () -> updateAverage(real.get(0).size()));
      return new double[] {d.loss(), g, d.real(), d.fakeScore()};
    }
  }

  /** G(z), the discriminator's loss and its mean outputs on real and fake. */
  private record Discriminated(NDArray fake, float loss, float real, float fakeScore) {}

  /**
   * Minimises the discriminator's loss, e.g. for BCE −[log D(x) + log(1 − D(G(z)))]; the fake batch
   * is detached so that no gradient reaches the generator. G(z) is recorded for the generator step.
   */
  private Discriminated updateDiscriminator(NDArray real, NDArray z) {
    Discriminated d;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray fake = forward(generator, z);
      NDArray realOut = forward(discriminator, real);
      NDArray fakeOut = forward(discriminator, fake.stopGradient());
      NDArray loss = options.loss().discriminator(realOut, fakeOut, options.realLabel());
      gc.backward(loss);
      boolean p = options.loss().hasProbabilities();
      NDArray dReal = (p ? ai.djl.nn.Activation.sigmoid(realOut) : realOut).mean();
      NDArray dFake = (p ? ai.djl.nn.Activation.sigmoid(fakeOut) : fakeOut).mean();
      d = new Discriminated(fake, loss.getFloat(), dReal.getFloat(), dFake.getFloat());
    }
    discriminatorOptimizer.step();
    if (options.loss() == GanLoss.WASSERSTEIN) clipCritic();
    return d;
  }

  /** Minimises the generator's loss, e.g. the non-saturating −log D(G(z)). */
  private float updateGenerator(NDArray fake) {
    float g;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = options.loss().generator(forward(discriminator, fake));
      gc.backward(loss);
      g = loss.getFloat();
    }
    generatorOptimizer.step();
    // The generator's backward pass also left gradients on D; they are not D's to use.
    discriminatorOptimizer.zeroGradients();
    return g;
  }

  private void updateAverage(int batchSize) {
    GeneratorAverage.update(
        generator, average, GeneratorAverage.decay(imagesSeen, batchSize), manager);
  }

  private NDArray forward(Block block, NDArray x) {
    return block.forward(store, new NDList(x), true).singletonOrThrow();
  }

  private void clipCritic() {
    float c = options.clip();
    for (Parameter p : discriminator.getParameters().values()) {
      if (!p.requiresGradient()) continue;
      NDArray w = p.getArray();
      try (NDManager tmp = manager.newSubManager()) {
        w.tempAttach(tmp);
        InPlace.copy(w.clip(-c, c), w);
      }
    }
  }

  @Override
  public Map<String, IoConsumer<OutputStream>> checkpoint() {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    arrays.put("fixed_noise", fixedNoise);
    arrays.putAll(generatorOptimizer.state(GENERATOR + "."));
    arrays.putAll(discriminatorOptimizer.state(DISCRIMINATOR + "."));
    return StateFiles.writers(networks(), arrays);
  }

  /** The three networks by checkpoint name. */
  public Map<String, Block> networks() {
    Map<String, Block> blocks = new LinkedHashMap<>();
    blocks.put(GENERATOR, generator);
    blocks.put(AVERAGE, average);
    blocks.put(DISCRIMINATOR, discriminator);
    return blocks;
  }

  @Override
  public void restore(Checkpoints.Loaded<TrainState> loaded) throws IOException {
    StateFiles.loadBlocks(loaded.files(), networks(), manager);
    // Loaded arrays replace the initialized ones and come without gradients.
    Networks.enableGradients(generator);
    Networks.enableGradients(discriminator);
    TrainState state = loaded.state();
    imagesSeen = state.images();
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, NDArray> arrays = StateFiles.loadArrays(loaded.files(), tmp);
      generatorOptimizer.load(arrays, GENERATOR + ".", state.iteration());
      discriminatorOptimizer.load(
          arrays, DISCRIMINATOR + ".", state.iteration() * options.discriminatorSteps());
      StateFiles.copy(arrays, "fixed_noise", fixedNoise);
    }
  }

  @Override
  public EpochReport endOfEpoch(int epoch, Map<String, Double> means, RunDirectory run)
      throws IOException {
    GanSampler.grid(average, generatorSpec, store, manager, fixedNoise, seed)
        .write(run.sampleFile(epoch));
    return EpochReport.empty();
  }

  @Override
  public ImageSource sampler() {
    return GanSampler.source(average, generatorSpec, store, manager, seed);
  }

  @Override
  public Plot plot() {
    return new Plot(List.of("d_loss", "g_loss"), "GAN losses", "loss");
  }

  @Override
  public String trouble(double[] m) {
    boolean probabilities = options.loss() == GanLoss.BCE || options.loss() == GanLoss.LSGAN;
    if (!probabilities || m[0] >= 0.01) return null;
    return String.format(
        Locale.ROOT,
        "the discriminator has won outright (D loss %.4f): the generator gets almost no"
            + " gradient. Try --real-label 0.9, spectral_norm: true on the discriminator, or"
            + " --loss hinge.",
        m[0]);
  }

  /**
   * A GAN loss beyond ±this belongs to no healthy run: DCGAN's BCE and LSGAN losses stay below ~10
   * (dcgan28's largest in its first epoch on Fashion-MNIST: 7.2), a BCE loss of 1e5 needs logits of
   * 1e5, and the critic values of WGAN-GP, which legitimately reach 10–100, are 1,000× below it.
   * --lr 1e9 gives 1e18–1e21.
   */
  static final double RUNAWAY = 1e5;

  /**
   * D(x) and D(G(z)) both this close to 0 or 1: every logit beyond about ±13.8, where σ' < 1e-6, so
   * that D's loss passes it no gradient. A healthy dcgan28 came no closer than D(G(z)) = 0.0016 in
   * its first epoch on Fashion-MNIST.
   */
  static final double SATURATED = 1e-6;

  @Override
  public String divergence(double[] m) {
    String runaway = DivergenceGuard.runaway(METRICS, m, List.of("d_loss", "g_loss"), RUNAWAY);
    if (runaway != null) return runaway + ", more than any healthy GAN loss";
    if (options.loss().hasProbabilities() && saturated(m[2]) && saturated(m[3])) {
      return String.format(
          Locale.ROOT,
          "the discriminator's outputs are saturated (D(x) %.7f, D(G(z)) %.7f): its sigmoid"
              + " passes no gradient",
          m[2],
          m[3]);
    }
    return null;
  }

  private static boolean saturated(double probability) {
    return probability < SATURATED || probability > 1 - SATURATED;
  }

  @Override
  public String advice() {
    return String.format(
        Locale.ROOT,
        "train a new run with a lower --lr (this one has %.3g)%s",
        options.discriminator().learningRate(),
        options.loss() == GanLoss.HINGE ? "" : " or with --loss hinge");
  }

  public SequentialBlock generator() {
    return generator;
  }

  /**
   * The exponential moving average of the generator's weights (Yazici et al. 2019), which samples
   * better than the generator itself; its batch norm needs standing statistics.
   */
  public SequentialBlock averagedGenerator() {
    return average;
  }

  public SequentialBlock discriminator() {
    return discriminator;
  }

  Adam generatorOptimizer() {
    return generatorOptimizer;
  }

  Adam discriminatorOptimizer() {
    return discriminatorOptimizer;
  }

  public DeconvNet generatorSpec() {
    return generatorSpec;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The manager holding every parameter. */
  public NDManager manager() {
    return manager;
  }

  private Shape latentShape(int n) {
    return Networks.latentShape(generatorSpec, n);
  }

  private Shape imageShape(int n) {
    return Networks.imageShape(spec.image(), n);
  }

  @Override
  public void close() {
    generatorOptimizer.close();
    discriminatorOptimizer.close();
    manager.close();
  }
}
