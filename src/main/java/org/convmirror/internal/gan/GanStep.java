package org.convmirror.internal.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.Flip;
import org.convmirror.internal.nn.Adam;
import org.convmirror.internal.nn.DiffAugment;
import org.convmirror.internal.nn.FusedUpdates;
import org.convmirror.internal.nn.GradientPenalty;
import org.convmirror.internal.nn.HostBuffers;
import org.convmirror.internal.nn.InPlace;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.train.Iteration;
import org.convmirror.internal.train.PhaseTimer;
import org.convmirror.internal.train.Randomness;
import org.convmirror.options.AdamOptions;
import org.convmirror.options.GanLoss;
import org.convmirror.options.GanOptions;
import org.convmirror.options.Penalty;
import org.convmirror.spec.ModelKind;

/**
 * One adversarial training iteration (Goodfellow et al. 2014): {@code discriminatorSteps}
 * discriminator updates, then {@code generatorSteps} generator updates, then the generator's weight
 * average. Each network has its own Adam, which alone clears its gradients.
 */
final class GanStep implements AutoCloseable {
  /** The phases {@code bench} times, named by the halves they update. */
  private static final String D = ModelKind.GAN.declaredName();

  private static final String G = ModelKind.GAN.derivedName();

  /** What an iteration reports, before the objective names it. */
  record Result(float dLoss, float gLoss, float dReal, float dFake, double penalty) {}

  private final GanNetworks n;
  private final GanOptions options;
  private final Randomness random;
  final Adam generatorOptimizer;
  final Adam discriminatorOptimizer;
  private final HostBuffers inputs;
  private final HostBuffers noise;
  private final GanLabels labels;
  private final DiffAugment augment; // null: none
  PhaseTimer timer = PhaseTimer.NONE;
  long imagesSeen;

  GanStep(GanNetworks networks, GanOptions options, Randomness random) {
    this.n = networks;
    this.options = options;
    this.random = random;
    // One upload slot per D step, and one per G step on fresh latents after the first.
    int fresh = options.discriminatorSteps() + options.generatorSteps() - 1;
    inputs = new HostBuffers(options.discriminatorSteps());
    noise = new HostBuffers(fresh);
    labels = new GanLabels(n.input.classes(), fresh);
    generatorOptimizer = adam(n.generator, options.generator());
    discriminatorOptimizer = adam(n.discriminator, options.discriminator());
    DiffAugment a = DiffAugment.of(Flip.without(options.augment())); // flips are the loader's
    augment = a.policies().isEmpty() ? null : a;
  }

  private Adam adam(Block network, AdamOptions a) {
    return new Adam(network, n.manager, a.learningRate(), a.beta1(), a.beta2(), 1e-8f);
  }

  /**
   * One iteration on real batches (N×C×H×W in [-1, 1]): a discriminator update per batch, each on a
   * fresh G(z), then a generator update on the last G(z) and each further one (see {@link
   * GanOptions#generatorStepsAt}) on a fresh G(z) of the same size, then the weight average. The
   * reported generator loss is the mean of its steps'.
   */
  Result run(Iteration iteration) {
    long it = iteration.number();
    Draws draws =
        new Draws(
            random.random(Randomness.Stream.NOISE, it),
            random.random(Randomness.Stream.AUGMENT, it),
            random.random(Randomness.Stream.PENALTY, it),
            random.random(Randomness.Stream.LABELS, it));
    Engine.getInstance() // for draws only the engine can make, e.g. dropout masks
        .setRandomSeed(random.engineSeed(Randomness.Stream.ENGINE, it));
    try (NDManager step = n.manager.newSubManager()) {
      Discriminated d = null;
      double penalty = 0;
      List<Batch> real = iteration.batches();
      for (int k = 0; k < real.size(); k++) {
        Batch batch = real.get(k);
        NDArray x =
            inputs.upload(
                step, k, batch.pixels(), Networks.imageShape(n.spec.image(), batch.size()));
        float[] latents = Randomness.gaussian(draws.noise(), batch.size() * n.spec.latent());
        NDArray z = noise.upload(step, k, latents, n.input.latentShape(batch.size()));
        GanLabels.Labelled y = labels.draw(step, k, batch, draws.labels());
        long dStep = it * real.size() + k;
        d = timer.time(D, () -> updateDiscriminator(x, z, y, draws, dStep));
        penalty += d.penalty();
      }
      Discriminated last = d;
      float g = timer.time(G, () -> updateGenerator(() -> last.fake(), last.labels(), draws));
      int size = real.get(real.size() - 1).size();
      int gSteps = options.generatorStepsAt(imagesSeen);
      for (int s = 1; s < gSteps; s++) {
        int slot = real.size() + s - 1;
        g += timer.time(G, () -> updateGeneratorOnFresh(step, slot, size, draws));
      }
      g /= gSteps;
      imagesSeen += (long) real.get(0).size() * real.size();
      timer.time("average", () -> updateAverage(real.get(0).size()));
      return new Result(d.loss(), g, d.real(), d.fakeScore(), penalty / real.size());
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
    return GanLabels.critic(n.discriminator, n.store, y);
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
      NDArray fake = forward(n.generator, GanLabels.inputs(z, labels.fake()));
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
      NDArray loss =
          AdversarialLoss.discriminator(options.loss(), realOut, fakeOut, options.realLabel());
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
   * Minimises the generator's loss, e.g. the non-saturating −log D(G(z)), on the images {@code
   * fake} gives when called inside the step's recording (G(z) recorded by the D step, or a fresh
   * one). D is frozen meanwhile, so the backward pass computes no gradients for D's weights, which
   * are not D's to use.
   */
  private float updateGenerator(Supplier<NDArray> fake, NDArray labels, Draws draws) {
    float g;
    boolean freeze = FusedUpdates.enabled();
    if (freeze) FusedUpdates.requireGradients(n.discriminator, false);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray images = augmented(fake.get(), draws);
      NDArray loss = AdversarialLoss.generator(options.loss(), critic(labels).apply(images));
      gc.backward(loss);
      g = loss.getFloat();
    } finally {
      if (freeze) FusedUpdates.requireGradients(n.discriminator, true);
    }
    generatorOptimizer.step();
    if (!freeze) discriminatorOptimizer.zeroGradients();
    return g;
  }

  /**
   * A further generator update, on a fresh G(z) of {@code size} images. Its latents (and labels)
   * are drawn after every D step's, so that one G step per iteration draws what it always did.
   */
  private float updateGeneratorOnFresh(NDManager step, int slot, int size, Draws draws) {
    float[] latents = Randomness.gaussian(draws.noise(), size * n.spec.latent());
    NDArray z = noise.upload(step, slot, latents, n.input.latentShape(size));
    NDArray y = labels.fake(step, slot, size, draws.labels());
    return updateGenerator(() -> forward(n.generator, GanLabels.inputs(z, y)), y, draws);
  }

  private void updateAverage(int batchSize) {
    GeneratorAverage.update(
        n.generator, n.average, options.average().decay(imagesSeen, batchSize), n.manager);
  }

  private NDArray forward(Block block, NDList x) {
    return block.forward(n.store, x, true).singletonOrThrow();
  }

  private void clipCritic() {
    float c = options.clip();
    if (FusedUpdates.enabled()) {
      FusedUpdates.clamp(n.discriminator, c);
      return;
    }
    for (Parameter p : n.discriminator.getParameters().values()) {
      if (!p.requiresGradient()) continue;
      NDArray w = p.getArray();
      try (NDManager tmp = n.manager.newSubManager()) {
        w.tempAttach(tmp);
        InPlace.copy(w.clip(-c, c), w);
      }
    }
  }

  @Override
  public void close() {
    generatorOptimizer.close();
    discriminatorOptimizer.close();
  }
}
