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
import java.nio.file.Path;
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
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.DivergenceGuard;
import org.convmirror.internal.train.ImageSource;
import org.convmirror.internal.train.Iteration;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.train.TrainState;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;

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
  private final ImageSet test;
  private final double floor;
  private final NDManager manager;
  private final VaeModel model;
  private final Map<String, Adam> optimizers = new LinkedHashMap<>();
  private final HostBuffers inputs = new HostBuffers(3); // images, ε, labels
  private final NDArray fixedNoise;

  /**
   * Builds the model from {@code seed} and an Adam for each of its blocks.
   *
   * @param test held-out images whose −ELBO is reported after every epoch (at most {@value
   *     #TEST_LIMIT} are used); null for an objective that is only checkpointed (an import), which
   *     then cannot end an epoch
   */
  public VaeObjective(ModelSpec spec, VaeOptions options, ImageSet test, long seed) {
    if (test != null && test.count() == 0) {
      throw new UsageException("the test split has no images; a VAE reports its test −ELBO");
    }
    this.options = options;
    this.random = new Randomness(seed);
    this.test = test == null ? null : test.head(TEST_LIMIT);
    this.floor =
        test != null && spec.likelihood() == Likelihood.BERNOULLI
            ? BernoulliFloor.nats(this.test)
            : 0;
    this.manager = NDManager.newBaseManager();
    model = new VaeModel(spec, manager, random.seed(Randomness.Stream.INIT, 0));
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
            random.gaussian(Randomness.Stream.FIXED_NOISE, 0, GRID * spec.latent()),
            model.latentShape(GRID));
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
        NDArray[] terms = terms(x, e, y, true);
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
    if (model.classes() == 0) return null;
    if (labels == null)
      throw new IllegalStateException("a conditional VAE got images without labels");
    return inputs.uploadLabels(manager, 2, labels);
  }

  /**
   * Per-image reconstruction and KL, each (N), for images x in [-1, 1], noise ε and (conditional)
   * labels y.
   */
  private NDArray[] terms(NDArray x, NDArray eps, NDArray y, boolean training) {
    VaeModel.Posterior q = model.encode(x, y, training);
    NDArray out = model.decode(VaeModel.sample(q, eps), y, training);
    NDArray target = x.add(1).mul(0.5f); // the likelihood models pixels in [0, 1]
    NDArray recon =
        VaeLoss.reconstruction(
            model.spec().likelihood(), out, target, model.observationLogVariance(x, training));
    return new NDArray[] {recon, VaeLoss.kl(q.mean(), q.logVariance())};
  }

  /**
   * The negative ELBO of {@code data} in inference mode (batch norm on its running statistics), a
   * single-sample estimate per image, averaged over all images; image i always gets the same ε.
   */
  Elbo evaluate(ImageSet data, int batchSize) {
    long noise = random.seed(Randomness.Stream.TEST_POSTERIOR, 0);
    double recon = 0;
    double kl = 0;
    int size = data.imageSize();
    for (int start = 0; start < data.count(); start += batchSize) {
      int n = Math.min(batchSize, data.count() - start);
      float[] pixels = new float[n * size];
      for (int i = 0; i < n; i++) data.copyImage(start + i, pixels, i * size);
      try (NDManager it = model.manager().newSubManager()) {
        NDArray x = inputs.upload(it, 0, pixels, Networks.imageShape(model.spec().image(), n));
        float[] eps = Randomness.latents(noise, start, n, latent());
        NDArray y = labels(it, VaeSampler.labels(model, data, start, n));
        NDArray[] terms = terms(x, inputs.upload(it, 1, eps, new Shape(n, latent())), y, false);
        recon += terms[0].sum().getFloat();
        kl += terms[1].sum().getFloat();
      }
    }
    return new Elbo(recon / data.count(), kl / data.count());
  }

  @Override
  public Map<String, IoConsumer<OutputStream>> checkpoint() {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    arrays.put("fixed_noise", fixedNoise);
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
      StateFiles.copy(arrays, "fixed_noise", fixedNoise);
    }
  }

  /** Scores the test split, and draws reconstructions and fixed-noise prior samples. */
  @Override
  public EpochReport endOfEpoch(int epoch, Map<String, Double> means, RunDirectory run)
      throws IOException {
    if (test == null) throw new IllegalStateException("a VAE objective without a test split");
    Elbo t = evaluate(test, EVAL_BATCH);
    ImageShape s = model.spec().image();
    int scale = VaeSampler.scale(s.height());
    ImageBatch recon = VaeSampler.reconstructions(model, test, RECONSTRUCTIONS, RECONSTRUCTIONS);
    Path reconFile = run.layout().reconstructionFile(epoch);
    ImageGrid.of(recon).optRange(0, 1).optCols(RECONSTRUCTIONS).optScale(scale).write(reconFile);
    priorGrid(s, scale).write(run.layout().sampleFile(epoch));
    double train = means.get("recon") + means.get("kl");
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("test_nelbo", t.negative());
    values.put("test_recon", t.reconstruction());
    values.put("test_kl", t.kl());
    values.put("train_nelbo", train);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("test_images", test.count());
    details.put("likelihood", model.spec().likelihood().name().toLowerCase(Locale.ROOT));
    details.put("bce_floor", bernoulli() ? floor : null);
    details.put("units", "nats per image; recon summed over pixels, KL over latent dimensions");
    String summary =
        String.format(
            Locale.ROOT,
            "test −ELBO %.2f nats/image (recon %.2f + KL %.2f)%s, train %.2f; recon %s",
            t.negative(),
            t.reconstruction(),
            t.kl(),
            bernoulli() ? String.format(Locale.ROOT, ", floor %.2f", floor) : "",
            train,
            run.root().relativize(reconFile));
    return new EpochReport(values, summary, details);
  }

  /**
   * Decoded fixed noise: all 64 vectors, or for a conditional VAE one row per class over the first
   * vectors ({@link ClassLabels.Grid}).
   */
  private ImageGrid priorGrid(ImageShape s, int scale) {
    if (model.classes() == 0) {
      float[] prior = VaeSampler.decode(model, fixedNoise);
      return ImageGrid.of(new ImageBatch(prior, GRID, s.channels(), s.height(), s.width()))
          .optRange(0, 1)
          .optScale(scale);
    }
    ClassLabels.Grid grid =
        ClassLabels.Grid.of(fixedNoise.toFloatArray(), latent(), model.classes());
    float[] prior;
    try (NDManager tmp = manager.newSubManager()) {
      NDList in = model.input().create(tmp, grid.z(), grid.labels(), grid.count());
      prior = VaeSampler.decode(model, in.get(0), in.get(1));
    }
    return ImageGrid.of(new ImageBatch(prior, grid.count(), s.channels(), s.height(), s.width()))
        .optRange(0, 1)
        .optCols(grid.cols())
        .optScale(scale);
  }

  private boolean bernoulli() {
    return model.spec().likelihood() == Likelihood.BERNOULLI;
  }

  @Override
  public List<String> notes() {
    if (!bernoulli() || test == null) return List.of();
    return List.of(
        String.format(
            Locale.ROOT,
            "Bernoulli floor (test data's cross-entropy with itself): %.1f nats/image",
            floor));
  }

  /**
   * A −ELBO term beyond ±this many nats per pixel and latent dimension belongs to no healthy run: a
   * working model's reconstruction costs under a nat a pixel and its KL a few nats a dimension
   * (vae28 starts at 540 nats for 784 pixels, KL under 40); 100 a dimension takes logits or means
   * wrong by orders of magnitude.
   */
  static final double RUNAWAY_PER_DIMENSION = 100;

  @Override
  public String divergence(double[] m) {
    double limit = RUNAWAY_PER_DIMENSION * (model.spec().image().size() + latent());
    String runaway = DivergenceGuard.runaway(METRICS, m, List.of("loss", "recon", "kl"), limit);
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
