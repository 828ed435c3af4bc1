package org.convmirror.internal.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.data.Flip;
import org.convmirror.internal.nn.Adam;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.ImageSource;
import org.convmirror.internal.train.Iteration;
import org.convmirror.internal.train.Metrics;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.PhaseTimer;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.train.TrainState;
import org.convmirror.options.GanOptions;
import org.convmirror.options.Penalty;

/**
 * Adversarial training of a declared discriminator and its mirrored generator (Goodfellow et al.
 * 2014), as the {@link org.convmirror.internal.train.RunLoop} sees it: the step ({@link GanStep}),
 * its named numbers, the checkpoint, the fixed-noise grid after every epoch, the sampler, and the
 * health rules ({@link GanHealth}). The networks come built and initialised ({@link GanNetworks}).
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

  static final String D_LOSS = "d_loss";
  static final String G_LOSS = "g_loss";
  static final String D_REAL = "d_real";
  static final String D_FAKE = "d_fake";

  /** With a gradient penalty, its value on the steps that carry it (0 on the others). */
  static final String PENALTY = "penalty";

  private static final List<Metric> METRICS =
      List.of(
          new Metric(D_LOSS, "d"),
          new Metric(G_LOSS, "g"),
          new Metric(D_REAL, "D(x)"),
          new Metric(D_FAKE, "D(G(z))"));

  private final GanNetworks networks;
  private final GanOptions options;
  private final long seed;
  private final List<Metric> metrics;
  private final GanStep step;
  private final GanHealth health;
  private final NDArray fixedNoise;

  /**
   * Trains {@code networks} (a conditional model's classes resolved) with {@code options}; every
   * random draw is keyed by {@code seed} (see {@link Randomness}).
   */
  public GanObjective(GanNetworks networks, GanOptions options, long seed) {
    this.networks = networks;
    this.options = options;
    this.seed = seed;
    Randomness random = new Randomness(seed);
    this.step = new GanStep(networks, options, random);
    this.health = new GanHealth(options);
    List<Metric> m = new ArrayList<>(METRICS);
    if (options.penalty().kind() != Penalty.Kind.NONE) m.add(new Metric(PENALTY, "gp"));
    this.metrics = List.copyOf(m);
    fixedNoise =
        networks.manager.create(
            random.gaussian(Randomness.Stream.FIXED_NOISE, 0, GRID * networks.spec.latent()),
            networks.input.latentShape(GRID));
  }

  @Override
  public void time(PhaseTimer timer) {
    step.timer = timer;
  }

  @Override
  public List<Metric> metrics() {
    return metrics;
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

  @Override
  public double[] step(Iteration iteration) {
    GanStep.Result r = step.run(iteration);
    double[] m = new double[metrics.size()];
    Metrics.put(metrics, m, D_LOSS, r.dLoss());
    Metrics.put(metrics, m, G_LOSS, r.gLoss());
    Metrics.put(metrics, m, D_REAL, r.dReal());
    Metrics.put(metrics, m, D_FAKE, r.dFake());
    if (metrics.size() > METRICS.size()) Metrics.put(metrics, m, PENALTY, r.penalty());
    return m;
  }

  @Override
  public Map<String, IoConsumer<OutputStream>> checkpoint() {
    GanNetworks.Entries e = networks.entries;
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    arrays.put(e.fixedNoise(), fixedNoise);
    arrays.putAll(step.generatorOptimizer.state(e.generator() + "."));
    arrays.putAll(step.discriminatorOptimizer.state(e.discriminator() + "."));
    return StateFiles.writers(networks.byEntry(), arrays);
  }

  @Override
  public void restore(Checkpoints.Loaded<TrainState> loaded) throws IOException {
    GanNetworks.Entries e = networks.entries;
    StateFiles.loadBlocks(loaded.files(), networks.byEntry(), networks.manager);
    // Loaded arrays replace the initialized ones and come without gradients.
    Networks.enableGradients(networks.generator);
    Networks.enableGradients(networks.discriminator);
    TrainState state = loaded.state();
    step.imagesSeen = state.images();
    try (NDManager tmp = networks.manager.newSubManager()) {
      Map<String, NDArray> arrays = StateFiles.loadArrays(loaded.files(), tmp);
      long iterations = state.iteration();
      long generatorUpdates =
          iterations == 0 ? 0 : options.generatorUpdates(iterations, state.images() / iterations);
      step.generatorOptimizer.load(arrays, e.generator() + ".", generatorUpdates);
      step.discriminatorOptimizer.load(
          arrays, e.discriminator() + ".", state.iteration() * options.discriminatorSteps());
      StateFiles.copy(arrays, e.fixedNoise(), fixedNoise);
    }
  }

  @Override
  public EpochReport endOfEpoch(int epoch, Map<String, Double> means, RunDirectory run)
      throws IOException {
    GanNetworks n = networks;
    ImageGrid grid =
        n.input.conditional()
            ? GanSampler.classGrid(
                n.average, n.input, n.spec.image(), n.store, n.manager, fixedNoise, seed)
            : GanSampler.grid(n.average, n.generatorSpec, n.store, n.manager, fixedNoise, seed);
    grid.write(run.layout().sampleFile(epoch));
    return EpochReport.empty();
  }

  @Override
  public ImageSource sampler() {
    GanNetworks n = networks;
    return GanSampler.source(
        n.average, n.generatorSpec, n.input, n.spec.image(), n.store, n.manager, seed);
  }

  @Override
  public Plot plot() {
    return new Plot(List.of(D_LOSS, G_LOSS), "GAN losses", "loss");
  }

  @Override
  public String trouble(Metrics m) {
    return health.trouble(m);
  }

  @Override
  public String divergence(Metrics m) {
    return health.divergence(m);
  }

  @Override
  public String advice() {
    return health.advice();
  }

  public Block generator() {
    return networks.generator;
  }

  /**
   * The exponential moving average of the generator's weights (Yazici et al. 2019), which samples
   * better than the generator itself; its batch norm needs standing statistics.
   */
  public Block averagedGenerator() {
    return networks.average;
  }

  public Block discriminator() {
    return networks.discriminator;
  }

  Adam generatorOptimizer() {
    return step.generatorOptimizer;
  }

  Adam discriminatorOptimizer() {
    return step.discriminatorOptimizer;
  }

  /** The manager holding every parameter (for tests that count its arrays). */
  NDManager manager() {
    return networks.manager;
  }

  @Override
  public void close() {
    step.close();
    networks.close();
  }
}
