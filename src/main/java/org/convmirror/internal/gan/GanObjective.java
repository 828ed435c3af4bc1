package org.convmirror.internal.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.Flip;
import org.convmirror.internal.nn.Adam;
import org.convmirror.internal.nn.DiffAugment;
import org.convmirror.internal.nn.FusedUpdates;
import org.convmirror.internal.nn.GradientPenalty;
import org.convmirror.internal.nn.HostBuffers;
import org.convmirror.internal.nn.InPlace;
import org.convmirror.internal.nn.Init;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.ModelNetworks;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.AdamOptions;
import org.convmirror.internal.train.DivergenceGuard;
import org.convmirror.internal.train.ImageSource;
import org.convmirror.internal.train.Iteration;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.PhaseTimer;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.train.TrainState;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * Adversarial training of a declared discriminator and its mirrored generator (Goodfellow et al.
 * 2014): per iteration, {@code discriminatorSteps} discriminator updates, then one generator
 * update, then the generator's weight average. Each network has its own Adam, which alone clears
 * its gradients.
 *
 * <p>A conditional model (Mirza &amp; Osindero 2014) trains on labelled data: D judges each real
 * image with its own label and each generated image with the label it was generated for, drawn
 * uniformly over the classes ({@link Randomness.Stream#LABELS}); the generator's loss is the same
 * judgement of its images. Every loss, penalty and augmentation works unchanged on top: the critic
 * just takes the label as a second input.
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

  /** With a gradient penalty, its value on the steps that carry it (0 on the others). */
  private static final Metric PENALTY = new Metric("penalty", "gp");

  private final ModelSpec spec;
  private final DeconvNet generatorSpec;
  private final GanOptions options;
  private final long seed;
  private final Randomness random;
  private final NDManager manager;
  private final LatentInput input;
  private final Block generator;
  private final Block discriminator;
  private final Block average;
  private final ParameterStore store;
  private final Adam generatorOptimizer;
  private final Adam discriminatorOptimizer;
  private final HostBuffers inputs;
  private final HostBuffers noise;
  private final GanLabels labels;
  private final NDArray fixedNoise;
  private final DiffAugment augment; // null: none
  private PhaseTimer timer = PhaseTimer.NONE;
  private long imagesSeen;

  /**
   * Builds both networks with DCGAN initialisation, their optimizers and the fixed noise; a
   * conditional {@code spec} must have its classes resolved ({@link
   * org.convmirror.internal.train.ClassLabels#resolve}).
   */
  public GanObjective(ModelSpec spec, GanOptions options, long seed) {
    this.spec = spec;
    this.options = options;
    this.seed = seed;
    this.random = new Randomness(seed);
    this.generatorSpec = Mirror.of(spec);
    this.manager = NDManager.newBaseManager();
    input = LatentInput.of(spec, generatorSpec);
    generator = ModelNetworks.derived(spec, generatorSpec);
    discriminator = ModelNetworks.discriminator(spec);
    average = ModelNetworks.derived(spec, generatorSpec);
    generator.initialize(manager, DataType.FLOAT32, input.shapes(2));
    discriminator.initialize(manager, DataType.FLOAT32, ModelNetworks.discriminatorShapes(spec, 2));
    average.initialize(manager, DataType.FLOAT32, input.shapes(2));
    Init.dcgan(generator, random.seed(Randomness.Stream.INIT, 0));
    Init.dcgan(discriminator, random.seed(Randomness.Stream.INIT, 1));
    GeneratorAverage.copy(generator, average);
    store = new ParameterStore(manager, false);
    inputs = new HostBuffers(options.discriminatorSteps());
    noise = new HostBuffers(options.discriminatorSteps());
    labels = new GanLabels(input.classes(), options.discriminatorSteps());
    generatorOptimizer = adam(generator, options.generator());
    discriminatorOptimizer = adam(discriminator, options.discriminator());
    fixedNoise =
        manager.create(
            random.gaussian(Randomness.Stream.FIXED_NOISE, 0, GRID * spec.latent()),
            input.latentShape(GRID));
    DiffAugment a = DiffAugment.of(Flip.without(options.augment()));
    augment = a.policies().isEmpty() ? null : a;
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
    if (options.penalty().kind() == Penalty.Kind.NONE) return METRICS;
    List<Metric> m = new java.util.ArrayList<>(METRICS);
    m.add(PENALTY);
    return m;
  }

  @Override
  public List<String> epochColumns() {
    return List.of();
  }

  @Override
  public int batchesPerIteration() {
    return options.discriminatorSteps();
  }

  @Override
  public boolean flipsRealImages() {
    return Flip.requested(options.augment());
  }

  /**
   * One iteration on real batches (N×C×H×W in [-1, 1]): a discriminator update per batch, each on a
   * fresh G(z), then a generator update on the last G(z), then the weight average.
   */
  @Override
  public double[] step(Iteration iteration) {
    long n = iteration.number();
    Draws draws =
        new Draws(
            random.random(Randomness.Stream.NOISE, n),
            random.random(Randomness.Stream.AUGMENT, n),
            random.random(Randomness.Stream.PENALTY, n),
            random.random(Randomness.Stream.LABELS, n));
    Engine.getInstance() // for draws only the engine can make, e.g. dropout masks
        .setRandomSeed(random.engineSeed(Randomness.Stream.ENGINE, n));
    try (NDManager step = manager.newSubManager()) {
      Discriminated d = null;
      double penalty = 0;
      List<Batch> real = iteration.batches();
      for (int k = 0; k < real.size(); k++) {
        Batch batch = real.get(k);
        NDArray x = inputs.upload(step, k, batch.pixels(), imageShape(batch.size()));
        float[] latents = Randomness.gaussian(draws.noise(), batch.size() * spec.latent());
        NDArray z = noise.upload(step, k, latents, latentShape(batch.size()));
        GanLabels.Labelled y = labels.draw(step, k, batch, draws.labels());
        long dStep = n * real.size() + k;
        d = timer.time("discriminator", () -> updateDiscriminator(x, z, y, draws, dStep));
        penalty += d.penalty();
      }
      Discriminated last = d;
      float g = timer.time("generator", () -> updateGenerator(last.fake(), last.labels(), draws));
      imagesSeen += (long) real.get(0).size() * real.size();
      timer.time("average", () -> updateAverage(real.get(0).size()));
      double[] m = {d.loss(), g, d.real(), d.fakeScore()};
      if (options.penalty().kind() == Penalty.Kind.NONE) return m;
      double[] withPenalty = java.util.Arrays.copyOf(m, m.length + 1);
      withPenalty[m.length] = penalty / real.size();
      return withPenalty;
    }
  }

  /**
   * The iteration's random streams: latents, augmentation, penalty interpolation weights, labels of
   * the generated images.
   */
  private record Draws(
      SplittableRandom noise,
      SplittableRandom augment,
      SplittableRandom penalty,
      SplittableRandom labels) {}

  /**
   * G(z), its labels (null when unconditional), the discriminator's loss (penalty included), its
   * mean outputs, and the penalty.
   */
  private record Discriminated(
      NDArray fake, NDArray labels, float loss, float real, float fakeScore, float penalty) {}

  /** D as a function of its images, given their labels (none when unconditional). */
  private UnaryOperator<NDArray> critic(NDArray y) {
    return GanLabels.critic(discriminator, store, y);
  }

  /**
   * Minimises the discriminator's loss, e.g. for BCE −[log D(x) + log(1 − D(G(z)))], plus its
   * gradient penalty when due; D sees real and fake through the same augmentation, and the fake
   * batch is detached so that no gradient reaches the generator. G(z) is recorded for the generator
   * step. Conditional: D(x, y) with each image's label; R1 penalises D(·, y) at the real images,
   * WGAN-GP at the interpolates judged with the real images' labels (as StudioGAN does).
   */
  private Discriminated updateDiscriminator(
      NDArray real, NDArray z, GanLabels.Labelled labels, Draws draws, long dStep) {
    Discriminated d;
    Penalty p = options.penalty();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray fake = forward(generator, GanLabels.inputs(z, labels.fake()));
      UnaryOperator<NDArray> critic = critic(labels.real());
      NDArray realIn = augmented(real, draws);
      NDArray fakeIn = augmented(fake.stopGradient(), draws);
      NDArray penalty = null;
      NDArray realOut;
      if (p.kind() == Penalty.Kind.R1 && p.due(dStep)) {
        GradientPenalty.Result r1 = GradientPenalty.r1(critic, realIn, p.dueWeight());
        realOut = r1.output(); // D(x) itself: the adversarial loss reuses it
        penalty = r1.penalty();
      } else {
        realOut = critic.apply(realIn);
      }
      NDArray fakeOut = critic(labels.fake()).apply(fakeIn);
      NDArray loss = options.loss().discriminator(realOut, fakeOut, options.realLabel());
      if (p.kind() == Penalty.Kind.WGAN_GP && p.due(dStep)) {
        float[] eps = new float[(int) real.getShape().get(0)];
        for (int i = 0; i < eps.length; i++) eps[i] = (float) draws.penalty().nextDouble();
        penalty = GradientPenalty.wganGp(critic, realIn, fakeIn, eps, p.dueWeight()).penalty();
      }
      if (penalty != null) loss = loss.add(penalty);
      gc.backward(loss);
      boolean prob = options.loss().hasProbabilities();
      NDArray dReal = (prob ? ai.djl.nn.Activation.sigmoid(realOut) : realOut).mean();
      NDArray dFake = (prob ? ai.djl.nn.Activation.sigmoid(fakeOut) : fakeOut).mean();
      // One read for all the scalars: each getFloat would be a sync and a JNI round trip.
      NDList scalars = new NDList(loss, dReal, dFake, penalty == null ? loss.zerosLike() : penalty);
      float[] v = NDArrays.stack(scalars).toFloatArray();
      d = new Discriminated(fake, labels.fake(), v[0], v[1], v[2], v[3]);
    }
    discriminatorOptimizer.step();
    if (options.loss() == GanLoss.WASSERSTEIN && p.kind() == Penalty.Kind.NONE) clipCritic();
    return d;
  }

  /** {@code x} through this iteration's DiffAugment draws, or {@code x} itself without any. */
  private NDArray augmented(NDArray x, Draws draws) {
    return augment == null ? x : augment.apply(x, draws.augment());
  }

  /**
   * Minimises the generator's loss, e.g. the non-saturating −log D(G(z)). D is frozen meanwhile, so
   * the backward pass computes no gradients for D's weights, which are not D's to use.
   */
  private float updateGenerator(NDArray fake, NDArray labels, Draws draws) {
    float g;
    boolean freeze = FusedUpdates.enabled();
    if (freeze) FusedUpdates.requireGradients(discriminator, false);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = options.loss().generator(critic(labels).apply(augmented(fake, draws)));
      gc.backward(loss);
      g = loss.getFloat();
    } finally {
      if (freeze) FusedUpdates.requireGradients(discriminator, true);
    }
    generatorOptimizer.step();
    if (!freeze) discriminatorOptimizer.zeroGradients();
    return g;
  }

  private void updateAverage(int batchSize) {
    GeneratorAverage.update(
        generator, average, options.average().decay(imagesSeen, batchSize), manager);
  }

  private NDArray forward(Block block, NDList x) {
    return block.forward(store, x, true).singletonOrThrow();
  }

  private void clipCritic() {
    float c = options.clip();
    if (FusedUpdates.enabled()) {
      FusedUpdates.clamp(discriminator, c);
      return;
    }
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
    ImageGrid grid =
        input.conditional()
            ? GanSampler.classGrid(average, input, spec.image(), store, manager, fixedNoise, seed)
            : GanSampler.grid(average, generatorSpec, store, manager, fixedNoise, seed);
    grid.write(run.sampleFile(epoch));
    return EpochReport.empty();
  }

  @Override
  public ImageSource sampler() {
    return GanSampler.source(average, input, spec.image(), store, manager, seed);
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

  public Block generator() {
    return generator;
  }

  /**
   * The exponential moving average of the generator's weights (Yazici et al. 2019), which samples
   * better than the generator itself; its batch norm needs standing statistics.
   */
  public Block averagedGenerator() {
    return average;
  }

  public Block discriminator() {
    return discriminator;
  }

  Adam generatorOptimizer() {
    return generatorOptimizer;
  }

  Adam discriminatorOptimizer() {
    return discriminatorOptimizer;
  }

  /** The manager holding every parameter (for tests that count its arrays). */
  NDManager manager() {
    return manager;
  }

  private Shape latentShape(int n) {
    return input.latentShape(n);
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
