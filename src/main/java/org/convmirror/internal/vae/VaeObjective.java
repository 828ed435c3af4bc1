package org.convmirror.internal.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.nn.Adam;
import org.convmirror.internal.nn.HostBuffers;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.nn.Owned;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.DivergenceGuard;
import org.convmirror.internal.train.ImageSource;
import org.convmirror.internal.train.Iteration;
import org.convmirror.internal.train.Metrics;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.train.TrainState;
import org.convmirror.options.VaeOptions;

/**
 * Trains a VAE by minimising reconstruction + β·KL with one reparameterised sample per image
 * (Kingma &amp; Welling 2014, Algorithm 1 with L = 1), one Adam per block, and measures the
 * negative ELBO of the test split in nats after every epoch. A conditional VAE (Sohn et al. 2015)
 * is given each image's label in both networks, so its ELBO bounds log p(x|y); its prior samples
 * after each epoch are a class-by-row grid.
 */
public final class VaeObjective implements Objective {
  /** Most test images scored per epoch; Fashion-MNIST's whole test split. */
  public static final int TEST_LIMIT = 10_000;

  /** Fixed-noise prior samples drawn after every epoch, to compare epochs by eye. */
  public static final int GRID = 64;

  /** Test images shown above their reconstructions after every epoch. */
  public static final int RECONSTRUCTIONS = 8;

  static final int EVAL_BATCH = 500;

  private static final List<Metric> METRICS =
      List.of(
          new Metric("loss", "loss"),
          new Metric("recon", "recon"),
          new Metric("kl", "kl"),
          new Metric("beta", null));

  private final VaeOptions options;
  private final Randomness random;
  private final VaeEpochEnd epochEnd; // null without a test split
  private final NDManager manager;
  private final VaeModel model;
  private final Map<String, Adam> optimizers = new LinkedHashMap<>();
  private final HostBuffers inputs = new HostBuffers(3); // images, ε, labels
  private final NDArray fixedNoise;

  /**
   * Trains {@code model} (built and initialised by the model's family) with an Adam for each of its
   * blocks; every random draw is keyed by {@code seed}.
   *
   * @param test held-out images whose −ELBO is reported after every epoch (at most {@value
   *     #TEST_LIMIT} are used); null for an objective that is only checkpointed (an import), which
   *     then cannot end an epoch
   */
  public VaeObjective(VaeModel model, VaeOptions options, ImageSet test, long seed) {
    if (test != null && test.count() == 0) {
      throw new UsageException("the test split has no images; a VAE reports its test −ELBO");
    }
    this.options = options;
    this.random = new Randomness(seed);
    this.model = model;
    this.manager = model.manager();
    for (Map.Entry<String, Block> e : model.blocks().entrySet()) {
      optimizers.put(
          e.getKey(),
          new Adam(
              e.getValue(),
              model.manager(),
              options.adam().learningRate(),
              options.adam().beta1(),
              options.adam().beta2(),
              1e-8f));
    }
    fixedNoise =
        manager.create(
            random.gaussian(Randomness.Stream.FIXED_NOISE, 0, GRID * model.spec().latent()),
            model.latentShape(GRID));
    this.epochEnd =
        test == null ? null : new VaeEpochEnd(model, test.head(TEST_LIMIT), inputs, random);
  }

  @Override
  public List<Metric> metrics() {
    return METRICS;
  }

  @Override
  public List<String> epochColumns() {
    return List.of("test_nelbo", "test_recon", "test_kl", "train_nelbo");
  }

  /**
   * One update on a batch of images (N×C×H×W in [-1, 1]): minimises E_q[−log p(x|z)] + β·KL(q(z|x)
   * ‖ N(0, I)), each term summed per image and averaged over the batch.
   */
  @Override
  public double[] step(Iteration iteration) {
    Batch batch = iteration.batches().get(0);
    float beta = options.beta(iteration.epochs());
    float[] eps =
        random.gaussian(Randomness.Stream.POSTERIOR, iteration.number(), batch.size() * latent());
    Engine.getInstance() // for draws only the engine can make, e.g. dropout masks
        .setRandomSeed(random.engineSeed(Randomness.Stream.ENGINE, iteration.number()));
    Elbo elbo;
    try (NDManager step = model.manager().newSubManager()) {
      NDArray x =
          inputs.upload(
              step, 0, batch.pixels(), Networks.imageShape(model.spec().image(), batch.size()));
      NDArray e = inputs.upload(step, 1, eps, new Shape(batch.size(), latent()));
      NDArray y = labels(step, batch.labels());
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray[] terms = terms(model, x, e, y, true);
        NDArray recon = terms[0].mean();
        NDArray kl = terms[1].mean();
        gc.backward(recon.add(kl.mul(Owned.scalar(kl, beta))));
        elbo = new Elbo(recon.getFloat(), kl.getFloat());
      }
      optimizers.values().forEach(Adam::step);
    }
    return new double[] {elbo.loss(beta), elbo.reconstruction(), elbo.kl(), beta};
  }

  /** The labels as the model takes them: on the engine when conditional, else null. */
  private NDArray labels(NDManager manager, int[] labels) {
    return labels(model, inputs, manager, labels);
  }

  /** As above for {@code model}, uploaded through {@code inputs}' label slot. */
  static NDArray labels(VaeModel model, HostBuffers inputs, NDManager manager, int[] labels) {
    if (model.classes() == 0) return null;
    if (labels == null)
      throw new IllegalStateException("a conditional VAE got images without labels");
    return inputs.uploadLabels(manager, 2, labels);
  }

  /**
   * Per-image reconstruction and KL, each (N), for images x in [-1, 1], noise ε and (conditional)
   * labels y.
   */
  static NDArray[] terms(VaeModel model, NDArray x, NDArray eps, NDArray y, boolean training) {
    VaeModel.Posterior q = model.encode(x, y, training);
    NDArray out = model.decode(VaeModel.sample(q, eps), y, training);
    NDArray target = x.add(1).mul(0.5f); // the likelihood models pixels in [0, 1]
    NDArray recon =
        VaeLoss.reconstruction(
            model.spec().likelihood(), out, target, model.observationLogVariance(x, training));
    return new NDArray[] {recon, VaeLoss.kl(q.mean(), q.logVariance())};
  }

  @Override
  public Map<String, IoConsumer<OutputStream>> checkpoint() {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    arrays.put(model.entries().fixedNoise(), fixedNoise);
    optimizers.forEach((name, adam) -> arrays.putAll(adam.state(name + ".")));
    return StateFiles.writers(model.blocks(), arrays);
  }

  @Override
  public void restore(Checkpoints.Loaded<TrainState> loaded) throws IOException {
    StateFiles.loadBlocks(loaded.files(), model.blocks(), model.manager());
    // Loaded arrays replace the initialized ones and come without gradients.
    model.blocks().values().forEach(Networks::enableGradients);
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, NDArray> arrays = StateFiles.loadArrays(loaded.files(), tmp);
      for (Map.Entry<String, Adam> e : optimizers.entrySet()) {
        e.getValue().load(arrays, e.getKey() + ".", loaded.state().iteration());
      }
      StateFiles.copy(arrays, model.entries().fixedNoise(), fixedNoise);
    }
  }

  /** Scores the test split, and draws reconstructions and fixed-noise prior samples. */
  @Override
  public EpochReport endOfEpoch(int epoch, Map<String, Double> means, RunDirectory run)
      throws IOException {
    if (epochEnd == null) throw new IllegalStateException("a VAE objective without a test split");
    return epochEnd.report(epoch, means, run, fixedNoise);
  }

  /** The negative ELBO of {@code data} in inference mode (see {@link VaeEpochEnd#evaluate}). */
  Elbo evaluate(ImageSet data, int batchSize) {
    return VaeEpochEnd.evaluate(model, data, batchSize, inputs, random);
  }

  @Override
  public List<String> notes() {
    return epochEnd == null ? List.of() : epochEnd.notes();
  }

  /**
   * A −ELBO term beyond ±this many nats per pixel and latent dimension belongs to no healthy run: a
   * working model's reconstruction costs under a nat a pixel and its KL a few nats a dimension
   * (vae28 starts at 540 nats for 784 pixels, KL under 40); 100 a dimension takes logits or means
   * wrong by orders of magnitude.
   */
  static final double RUNAWAY_PER_DIMENSION = 100;

  @Override
  public String divergence(Metrics m) {
    double limit = RUNAWAY_PER_DIMENSION * (model.spec().image().size() + latent());
    String runaway = DivergenceGuard.runaway(m, List.of("loss", "recon", "kl"), limit);
    return runaway == null
        ? null
        : runaway + " nats, more than 100 per pixel and latent dimension: no healthy VAE's";
  }

  @Override
  public String advice() {
    return String.format(
        Locale.ROOT,
        "train a new run with a lower --lr (this one has %.3g)",
        options.adam().learningRate());
  }

  /**
   * Prior samples z ~ N(0, I) decoded, N×C×H×W mapped to [-1, 1] as the evaluation expects; a
   * conditional VAE draws image i as class i mod classes.
   */
  @Override
  public ImageSource sampler() {
    return (count, sampleSeed) -> {
      int size = model.spec().image().size();
      float[] out = new float[count * size];
      for (int done = 0; done < count; done += EVAL_BATCH) {
        int n = Math.min(EVAL_BATCH, count - done);
        try (NDManager tmp = manager.newSubManager()) {
          float[] z = Randomness.latents(sampleSeed, done, n, latent());
          int[] y = model.classes() == 0 ? null : ClassLabels.cycling(done, n, model.classes());
          NDList in = model.input().create(tmp, z, y, n);
          float[] x = VaeSampler.decode(model, in.get(0), y == null ? null : in.get(1));
          for (int i = 0; i < x.length; i++) out[done * size + i] = 2 * x[i] - 1;
        }
      }
      return out;
    };
  }

  @Override
  public Plot plot() {
    return new Plot(List.of("loss", "recon", "kl"), "VAE loss (nats per image)", "nats");
  }

  private int latent() {
    return model.spec().latent();
  }

  /** The networks. */
  public VaeModel model() {
    return model;
  }

  @Override
  public void close() {
    optimizers.values().forEach(Adam::close);
    model.close();
    manager.close();
  }
}
