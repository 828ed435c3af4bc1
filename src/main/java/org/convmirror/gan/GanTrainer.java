package org.convmirror.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.convmirror.mirror.Mirror;
import org.convmirror.nn.Adam;
import org.convmirror.nn.HostBuffers;
import org.convmirror.nn.InPlace;
import org.convmirror.nn.Networks;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * Adversarial training of a declared discriminator and its mirrored generator (Goodfellow et al.
 * 2014), one iteration at a time: {@code discriminatorSteps} discriminator updates, then one
 * generator update. Each network has its own Adam, which alone clears its gradients.
 */
public final class GanTrainer implements AutoCloseable {
  private final ModelSpec spec;
  private final DeconvNet generatorSpec;
  private final GanOptions options;
  private final NDManager manager;
  private final SequentialBlock generator;
  private final SequentialBlock discriminator;
  private final SequentialBlock averagedGenerator;
  private final ParameterStore store;
  private final Adam generatorOptimizer;
  private final Adam discriminatorOptimizer;
  private long imagesSeen;
  private final HostBuffers inputs;

  /** Builds and initialises both networks (DCGAN initialisation) from {@code seed}. */
  public GanTrainer(ModelSpec spec, GanOptions options, NDManager parent, long seed) {
    this.spec = spec;
    this.options = options;
    this.generatorSpec = Mirror.of(spec);
    this.manager = parent.newSubManager();
    Engine.getInstance().setRandomSeed((int) seed);
    generator = Networks.of(generatorSpec);
    discriminator = Networks.of(spec.declared());
    generator.initialize(manager, DataType.FLOAT32, Networks.latentShape(generatorSpec, 2));
    discriminator.initialize(manager, DataType.FLOAT32, Networks.imageShape(spec.image(), 2));
    averagedGenerator = Networks.of(generatorSpec);
    averagedGenerator.initialize(manager, DataType.FLOAT32, Networks.latentShape(generatorSpec, 2));
    GeneratorAverage.copy(generator, averagedGenerator);
    store = new ParameterStore(manager, false);
    inputs = new HostBuffers(options.discriminatorSteps());
    generatorOptimizer =
        new Adam(
            generator, manager, options.learningRate(), options.beta1(), options.beta2(), 1e-8f);
    discriminatorOptimizer =
        new Adam(
            discriminator,
            manager,
            options.learningRate(),
            options.beta1(),
            options.beta2(),
            1e-8f);
  }

  /**
   * One iteration: a discriminator update per real batch given, then one generator update.
   *
   * @param real batches of real images, N×C×H×W in [-1, 1], one per discriminator step
   */
  public StepStats step(float[][] real, int batchSize) {
    return step(real, batchSize, StepTimer.NONE);
  }

  /** {@link #step(float[][], int)}, reporting each phase's wall time to {@code timer}. */
  public StepStats step(float[][] real, int batchSize, StepTimer timer) {
    long t = System.nanoTime();
    try (NDManager it = manager.newSubManager()) {
      NDArray fake = null;
      float[] d = null;
      for (int k = 0; k < real.length; k++) {
        NDArray x = inputs.upload(it, k, real[k], Networks.imageShape(spec.image(), batchSize));
        NDArray z = it.randomNormal(Networks.latentShape(generatorSpec, batchSize));
        t = lap(timer, StepTimer.Phase.DATA, t);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          fake = forward(generator, z); // recorded: the generator step reuses this graph
          t = lap(timer, StepTimer.Phase.G_FORWARD, t);
          d = updateDiscriminator(gc, x, fake);
        }
        t = lap(timer, StepTimer.Phase.D_STEP, t);
        discriminatorOptimizer.step();
        if (options.loss() == GanLoss.WASSERSTEIN) clipCritic();
        t = lap(timer, StepTimer.Phase.OPTIMIZER, t);
      }
      float g;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        g = updateGenerator(gc, fake);
      }
      t = lap(timer, StepTimer.Phase.G_STEP, t);
      generatorOptimizer.step();
      // The generator's backward pass also left gradients on D; they are not D's to use.
      discriminatorOptimizer.zeroGradients();
      imagesSeen += (long) batchSize * real.length;
      GeneratorAverage.update(
          generator, averagedGenerator, GeneratorAverage.decay(imagesSeen, batchSize), manager);
      lap(timer, StepTimer.Phase.OPTIMIZER, t);
      return new StepStats(d[0], g, d[1], d[2]);
    }
  }

  private static long lap(StepTimer timer, StepTimer.Phase phase, long since) {
    long now = System.nanoTime();
    timer.record(phase, now - since);
    return now;
  }

  /**
   * Minimises the discriminator's loss, e.g. for BCE −[log D(x) + log(1 − D(G(z)))]; the fake batch
   * is detached so that no gradient reaches the generator. Returns {loss, D(x), D(G(z))}.
   */
  private float[] updateDiscriminator(GradientCollector gc, NDArray real, NDArray fake) {
    NDArray realOut = forward(discriminator, real);
    NDArray fakeOut = forward(discriminator, fake.stopGradient());
    NDArray loss = options.loss().discriminator(realOut, fakeOut, options.realLabel());
    gc.backward(loss);
    boolean p = options.loss().hasProbabilities();
    NDArray dReal = (p ? ai.djl.nn.Activation.sigmoid(realOut) : realOut).mean();
    NDArray dFake = (p ? ai.djl.nn.Activation.sigmoid(fakeOut) : fakeOut).mean();
    return new float[] {loss.getFloat(), dReal.getFloat(), dFake.getFloat()};
  }

  /** Minimises the generator's loss, e.g. the non-saturating −log D(G(z)). */
  private float updateGenerator(GradientCollector gc, NDArray fake) {
    NDArray loss = options.loss().generator(forward(discriminator, fake));
    gc.backward(loss);
    return loss.getFloat();
  }

  private NDArray forward(SequentialBlock block, NDArray x) {
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

  public SequentialBlock generator() {
    return generator;
  }

  /**
   * The exponential moving average of the generator's weights (Yazici et al. 2019), which samples
   * better than the generator itself; its batch norm needs standing statistics.
   */
  public SequentialBlock averagedGenerator() {
    return averagedGenerator;
  }

  /** Sets the images seen so far, which ramps the average's decay (after a resume). */
  public void setImagesSeen(long images) {
    imagesSeen = images;
  }

  public SequentialBlock discriminator() {
    return discriminator;
  }

  public DeconvNet generatorSpec() {
    return generatorSpec;
  }

  public ModelSpec spec() {
    return spec;
  }

  public Adam generatorOptimizer() {
    return generatorOptimizer;
  }

  public Adam discriminatorOptimizer() {
    return discriminatorOptimizer;
  }

  public ParameterStore store() {
    return store;
  }

  /** The manager holding both networks' parameters. */
  public NDManager manager() {
    return manager;
  }

  /** A batch of latent vectors drawn from N(0, I), shaped for the generator. */
  public NDArray noise(NDManager m, int n) {
    return m.randomNormal(Networks.latentShape(generatorSpec, n));
  }

  /** The shape of {@code n} latent vectors as the generator takes them. */
  public Shape latentShape(int n) {
    return Networks.latentShape(generatorSpec, n);
  }

  @Override
  public void close() {
    generatorOptimizer.close();
    discriminatorOptimizer.close();
    manager.close();
  }
}
