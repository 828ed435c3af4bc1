package org.convmirror.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.convmirror.data.BatchLoader;
import org.convmirror.data.ImageSet;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.MetricsLog;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.run.TrainState;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;

/**
 * A whole VAE training job in a run directory, the counterpart of {@code GanRun}: epochs of {@link
 * VaeTrainer} steps with a progress bar, {@code losses.csv} and its plot, and after every epoch the
 * test-split negative ELBO in nats ({@code epochs.csv}, {@code metrics.json}), a reconstruction
 * grid, a fixed-noise prior-sample grid and an atomic checkpoint it can resume from.
 */
public final class VaeRun {
  /** Most test images scored per epoch; Fashion-MNIST's whole test split. */
  public static final int TEST_LIMIT = 10_000;

  /** Fixed-noise prior samples drawn after every epoch, to compare epochs by eye. */
  public static final int GRID = 64;

  /** Test images shown above their reconstructions after every epoch. */
  public static final int RECONSTRUCTIONS = 8;

  static final int EVAL_BATCH = 500;

  private VaeRun() {}

  /**
   * How the job went: the last training step, the last test −ELBO, the Bernoulli floor (NaN for a
   * Gaussian likelihood), and the training throughput.
   */
  public record Result(
      TrainState state, Elbo last, Elbo test, double floor, double imagesPerSecond) {}

  /**
   * Trains until {@code config.epochs()} epochs are done, resuming from the run's checkpoint; with
   * {@code moreEpochs} on a resumed run, trains that many more epochs.
   */
  public static Result train(
      TrainConfig config,
      ModelSpec spec,
      ImageSet data,
      ImageSet test,
      RunDirectory run,
      PrintStream console,
      boolean interactive,
      Integer moreEpochs)
      throws IOException {
    int perEpoch = BatchLoader.batchesPerEpoch(data.count(), config.batchSize(), true);
    if (perEpoch < 1) {
      throw new IllegalArgumentException(
          "the data has "
              + data.count()
              + " images, fewer than one batch (--batch-size "
              + config.batchSize()
              + "); lower it or add data");
    }
    if (test.count() == 0) throw new IllegalArgumentException("the test split has no images");
    test = test.head(TEST_LIMIT);
    Checkpoints checkpoints = new Checkpoints(run.checkpointsDir());
    try (NDManager manager = NDManager.newBaseManager();
        VaeTrainer trainer =
            new VaeTrainer(
                spec,
                config.learningRate(),
                config.beta1(),
                config.beta2(),
                manager,
                config.seed())) {
      Engine.getInstance().setRandomSeed((int) (config.seed() + 1));
      NDArray fixedNoise = manager.randomNormal(trainer.model().latentShape(GRID));
      TrainState state = TrainState.start();
      if (run.resumed()) {
        Checkpoints.Loaded<TrainState> loaded =
            checkpoints.load(trainer.model().blocks(), trainer.model().manager(), TrainState.class);
        loaded.warnings().forEach(w -> console.println("warning: " + w));
        state = loaded.state();
        trainer.restore(loaded.arrays(), state.generatorSteps());
        fixedNoise.set(loaded.arrays().get("fixed_noise").toByteBuffer());
        console.printf(
            Locale.ROOT,
            "resuming %s at epoch %d, iteration %d%n",
            run.root(),
            state.epoch() + 1,
            state.iteration());
      }
      if (moreEpochs != null) {
        config = config.withEpochs(state.epoch() + moreEpochs); // --epochs N on resume: N more
        run.writeRunInfo(run.readProvenance(), config);
      }
      double floor =
          spec.likelihood() == Likelihood.BERNOULLI ? BernoulliFloor.nats(test) : Double.NaN;
      if (state.epoch() >= config.epochs()) {
        console.printf("nothing to do: %d of %d epochs are done%n", state.epoch(), config.epochs());
        return new Result(state, null, null, floor, 0);
      }
      if (!Double.isNaN(floor)) {
        console.printf(
            Locale.ROOT,
            "Bernoulli floor (test data's cross-entropy with itself): %.1f nats/image%n",
            floor);
      }
      try (MetricsLog losses = open(run, run.lossesCsv(), VaeLoop.COLUMNS, "iteration", state);
          MetricsLog epochs = open(run, epochsCsv(run), VaeLoop.EPOCH_COLUMNS, "epoch", state)) {
        VaeLoop loop =
            new VaeLoop(
                config,
                trainer,
                data,
                test,
                floor,
                run,
                checkpoints,
                losses,
                epochs,
                console,
                interactive,
                fixedNoise);
        return loop.run(state);
      }
    }
  }

  /** {@code epochs.csv}: one row of test and train −ELBO per epoch. */
  public static Path epochsCsv(RunDirectory run) {
    return run.root().resolve("epochs.csv");
  }

  /** {@code samples/recon-0001.png}: test images above their reconstructions. */
  public static Path reconstructionFile(RunDirectory run, int epoch) {
    return run.samplesDir().resolve(String.format(Locale.ROOT, "recon-%04d.png", epoch));
  }

  /** β for an iteration: the KL weight, ramped linearly from 0 over the warm-up epochs. */
  static float beta(TrainConfig c, int epoch, int iteration, int iterationsPerEpoch) {
    if (c.klWarmupEpochs() <= 0) return c.klWeight();
    double progress = (epoch + iteration / (double) iterationsPerEpoch) / c.klWarmupEpochs();
    return (float) (c.klWeight() * Math.min(1, progress));
  }

  /** Seeds the engine from the run's seed and a position, so a resumed run draws the same noise. */
  static void reseed(long seed, long iteration) {
    Engine.getInstance().setRandomSeed((int) (seed * 1_000_003L + iteration * 7919L + 17));
  }

  private static MetricsLog open(
      RunDirectory run, Path csv, java.util.List<String> columns, String key, TrainState s)
      throws IOException {
    double kept = key.equals("epoch") ? s.epoch() : s.iteration();
    return run.resumed()
        ? MetricsLog.resume(csv, columns, key, kept)
        : MetricsLog.create(csv, columns);
  }

  /** The extra arrays of a checkpoint: the fixed noise and every Adam moment. */
  static Map<String, NDArray> arrays(VaeTrainer trainer, NDArray fixedNoise) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    arrays.put("fixed_noise", fixedNoise);
    arrays.putAll(trainer.optimizerState());
    return arrays;
  }

  /** Training stopped because it cannot go on; the message says why and what was kept. */
  public static final class TrainingFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingFailed(String message) {
      super(message);
    }
  }
}
