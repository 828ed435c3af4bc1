package org.convmirror.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.data.BatchLoader;
import org.convmirror.data.ImageSet;
import org.convmirror.nn.Networks;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.EpochEvaluation;
import org.convmirror.run.ImageSource;
import org.convmirror.run.LossPlot;
import org.convmirror.run.MetricsLog;
import org.convmirror.run.Progress;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.run.TrainState;
import org.convmirror.spec.ModelSpec;

/**
 * A whole GAN training job in a run directory: epochs of {@link GanTrainer} iterations with a
 * progress bar, the loss CSV and plot, a fixed-noise sample grid per epoch, health checks and
 * atomic checkpoints it can resume from.
 */
public final class GanRun {
  /** Columns of {@code losses.csv}. */
  public static final List<String> COLUMNS =
      List.of("epoch", "iteration", "images", "d_loss", "g_loss", "d_real", "d_fake", "seconds");

  /** Fixed-noise samples drawn after every epoch, to compare epochs by eye. */
  public static final int GRID = 64;

  /** Iterations of a near-zero discriminator loss before we say D has won outright. */
  static final int D_WINS_PATIENCE = 200;

  private GanRun() {}

  /** How the job went. */
  public record Result(TrainState state, StepStats last, double imagesPerSecond) {}

  /** Trains until {@code config.epochs()} epochs are done, resuming from the run's checkpoint. */
  public static Result train(
      TrainConfig config,
      ModelSpec spec,
      ImageSet data,
      RunDirectory run,
      PrintStream console,
      boolean interactive,
      Integer moreEpochs,
      EpochEvaluation evaluation)
      throws IOException {
    int batchSize = config.batchSize();
    int batchesPerEpoch = BatchLoader.batchesPerEpoch(data.count(), batchSize, true);
    int dSteps = config.discriminatorSteps();
    int iterationsPerEpoch = batchesPerEpoch / dSteps;
    if (iterationsPerEpoch < 1) {
      throw new IllegalArgumentException(
          "the data has "
              + data.count()
              + " images, fewer than the "
              + batchSize * dSteps
              + " one iteration needs (--batch-size "
              + batchSize
              + " × --d-steps "
              + dSteps
              + "); lower them or add data");
    }
    GanOptions options =
        new GanOptions(
            GanLoss.valueOf(config.loss().toUpperCase(Locale.ROOT)),
            config.learningRate(),
            config.beta1(),
            config.beta2(),
            dSteps,
            config.realLabel(),
            config.clip());
    Checkpoints checkpoints = new Checkpoints(run.checkpointsDir());
    try (NDManager manager = NDManager.newBaseManager();
        GanTrainer trainer = new GanTrainer(spec, options, manager, config.seed())) {
      Map<String, Block> blocks =
          Map.of(
              "generator", trainer.generator(),
              "generator_ema", trainer.averagedGenerator(),
              "discriminator", trainer.discriminator());
      Engine.getInstance().setRandomSeed((int) (config.seed() + 1));
      NDArray fixedNoise = trainer.noise(manager, GRID);
      TrainState state = TrainState.start();
      if (run.resumed()) {
        Checkpoints.Loaded<TrainState> loaded = checkpoints.load(blocks, manager, TrainState.class);
        loaded.warnings().forEach(w -> console.println("warning: " + w));
        state = loaded.state();
        Networks.enableGradients(trainer.generator());
        Networks.enableGradients(trainer.discriminator());
        trainer.setImagesSeen(state.images());
        trainer.generatorOptimizer().load(loaded.arrays(), "generator.", state.generatorSteps());
        trainer
            .discriminatorOptimizer()
            .load(loaded.arrays(), "discriminator.", state.discriminatorSteps());
        fixedNoise.set(loaded.arrays().get("fixed_noise").toByteBuffer());
        console.printf(
            Locale.ROOT,
            "resuming %s at epoch %d, iteration %d%n",
            run.root(),
            state.epoch() + 1,
            state.iteration());
      }
      if (moreEpochs != null) {
        // On resume, --epochs N means N more epochs than the checkpoint has done.
        config = config.withEpochs(state.epoch() + moreEpochs);
        run.writeRunInfo(run.readProvenance(), config);
      }
      if (state.epoch() >= config.epochs()) {
        console.printf("nothing to do: %d of %d epochs are done%n", state.epoch(), config.epochs());
        return new Result(state, null, 0);
      }
      MetricsLog log =
          run.resumed()
              ? MetricsLog.resume(run.lossesCsv(), COLUMNS, "iteration", state.iteration())
              : MetricsLog.create(run.lossesCsv(), COLUMNS);
      Loop loop =
          new Loop(
              evaluation,
              config,
              trainer,
              data,
              run,
              checkpoints,
              log,
              console,
              interactive,
              fixedNoise,
              iterationsPerEpoch,
              blocks);
      try (log) {
        return loop.run(state);
      }
    }
  }

  /** Seeds the engine from the run's seed and a position, so a resumed run draws the same noise. */
  static void reseed(long seed, long iteration) {
    Engine.getInstance().setRandomSeed((int) (seed * 1_000_003L + iteration * 7919L + 17));
  }

  private static final class Loop {
    private final EpochEvaluation evaluation;
    private final TrainConfig config;
    private final GanTrainer trainer;
    private final ImageSet data;
    private final RunDirectory run;
    private final Checkpoints checkpoints;
    private final MetricsLog log;
    private final PrintStream console;
    private final boolean interactive;
    private final int percentStep;
    private final NDArray fixedNoise;
    private final int iterationsPerEpoch;
    private final Map<String, Block> blocks;
    private int dWinning;

    Loop(
        EpochEvaluation evaluation,
        TrainConfig config,
        GanTrainer trainer,
        ImageSet data,
        RunDirectory run,
        Checkpoints checkpoints,
        MetricsLog log,
        PrintStream console,
        boolean interactive,
        NDArray fixedNoise,
        int iterationsPerEpoch,
        Map<String, Block> blocks) {
      this.evaluation = evaluation;
      this.config = config;
      this.trainer = trainer;
      this.data = data;
      this.run = run;
      this.checkpoints = checkpoints;
      this.log = log;
      this.console = console;
      this.interactive = interactive;
      this.percentStep = interactive ? 10 : 25;
      this.fixedNoise = fixedNoise;
      this.iterationsPerEpoch = iterationsPerEpoch;
      this.blocks = blocks;
    }

    Result run(TrainState start) throws IOException {
      int b = config.batchSize();
      int dSteps = config.discriminatorSteps();
      int perEpoch = BatchLoader.batchesPerEpoch(data.count(), b, true);
      TrainState state = start;
      StepStats last = null;
      long startImages = state.images();
      long t0 = System.nanoTime();
      double seconds0 = state.seconds();
      reseed(config.seed(), state.iteration());
      try (BatchLoader loader =
          BatchLoader.start(data, b, config.seed(), true, state.epoch(), state.batch())) {
        for (int epoch = state.epoch(); epoch < config.epochs(); epoch++) {
          int doneInEpoch = state.batch() / dSteps;
          Progress bar =
              Progress.builder(console)
                  .total(iterationsPerEpoch)
                  .optLabel(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.epochs()))
                  .optUnit("img")
                  .optInteractive(interactive)
                  .optPercentStep(10)
                  .build();
          for (int i = doneInEpoch; i < iterationsPerEpoch; i++) {
            float[][] real = new float[dSteps][];
            for (int k = 0; k < dSteps; k++) real[k] = loader.next().pixels();
            last = trainer.step(real, b);
            double seconds = seconds0 + (System.nanoTime() - t0) / 1e9;
            state =
                new TrainState(
                    epoch,
                    (i + 1) * dSteps,
                    state.iteration() + 1,
                    state.images() + (long) b * dSteps,
                    seconds,
                    trainer.generatorOptimizer().steps(),
                    trainer.discriminatorOptimizer().steps());
            log.append(
                epoch + 1,
                state.iteration(),
                state.images(),
                last.dLoss(),
                last.gLoss(),
                last.dReal(),
                last.dFake(),
                seconds);
            if (!last.finite()) throw diverged(state, last);
            checkHealth(state, last);
            bar.set("d", last.dLoss())
                .set("g", last.gLoss())
                .set("D(x)", last.dReal())
                .set("D(G(z))", last.dFake());
            bar.step((long) b * dSteps);
            if (config.checkpointEvery() > 0
                && state.iteration() % config.checkpointEvery() == 0
                && i + 1 < iterationsPerEpoch) {
              save(state);
            }
          }
          bar.finish();
          // Leftover batches (fewer than --d-steps) are skipped so each epoch starts aligned.
          for (int k = iterationsPerEpoch * dSteps; k < perEpoch; k++) loader.next();
          state = state.nextEpoch();
          endOfEpoch(state);
        }
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      return new Result(state, last, (state.images() - startImages) / wall);
    }

    private void endOfEpoch(TrainState state) throws IOException {
      log.sync();
      GanSampler.grid(trainer, fixedNoise, config.seed(), data.height())
          .write(run.sampleFile(state.epoch()));
      LossPlot.of(MetricsLog.read(run.lossesCsv()))
          .series("d_loss", "g_loss")
          .optSmoothing(Math.max(1, iterationsPerEpoch / 20))
          .optTitle("GAN losses")
          .optAxisLabels("iteration", "loss")
          .write(run.lossesPng());
      save(state);
      evaluate(state);
      console.printf(
          Locale.ROOT,
          "epoch %d: samples %s, losses %s%n",
          state.epoch(),
          run.root().relativize(run.sampleFile(state.epoch())),
          run.root().relativize(run.lossesPng()));
    }

    /** Scores the averaged generator when due, and keeps the best checkpoint by that score. */
    private void evaluate(TrainState state) throws IOException {
      if (evaluation == null || !evaluation.due(state.epoch())) return;
      ImageSource model =
          GanSampler.source(
              trainer.averagedGenerator(),
              trainer.generatorSpec(),
              trainer.store(),
              trainer.manager(),
              config.seed());
      double score = evaluation.score(state.epoch(), model);
      reseed(config.seed(), state.iteration()); // sampling drew from the engine's generator
      BestScore best = BestScore.read(run);
      if (best == null || score < best.score()) {
        Path kept = checkpoints.keepAsBest(checkpoints.latest().orElseThrow());
        new BestScore(evaluation.name(), score, state.epoch(), state.iteration()).write(run);
        console.printf(
            Locale.ROOT,
            "epoch %d: %s %.4f, the best so far: kept as %s%n",
            state.epoch(),
            evaluation.name(),
            score,
            run.root().relativize(kept));
      } else {
        console.printf(
            Locale.ROOT,
            "epoch %d: %s %.4f (best %.4f at epoch %d)%n",
            state.epoch(),
            evaluation.name(),
            score,
            best.score(),
            best.epoch());
      }
    }

    private void save(TrainState state) throws IOException {
      log.sync();
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      arrays.put("fixed_noise", fixedNoise);
      arrays.putAll(trainer.generatorOptimizer().state("generator."));
      arrays.putAll(trainer.discriminatorOptimizer().state("discriminator."));
      checkpoints.save((int) state.iteration(), blocks, arrays, state);
      // Standing statistics for a grid drew from the engine's generator: re-seed from the position.
      reseed(config.seed(), state.iteration());
    }

    /** A discriminator that wins outright leaves the generator no gradient to learn from. */
    private void checkHealth(TrainState state, StepStats s) {
      boolean winning =
          config.loss().equalsIgnoreCase("bce") || config.loss().equalsIgnoreCase("lsgan")
              ? s.dLoss() < 0.01
              : false;
      dWinning = winning ? dWinning + 1 : 0;
      if (dWinning == D_WINS_PATIENCE) {
        console.printf(
            Locale.ROOT,
            "%nwarning: the discriminator has won outright for %d iterations "
                + "(D loss %.4f at iteration %d): the generator gets almost no gradient. Try "
                + "--real-label 0.9, spectral_norm: true on the discriminator, or --loss hinge.%n",
            D_WINS_PATIENCE,
            s.dLoss(),
            state.iteration());
      }
    }

    private TrainingFailed diverged(TrainState state, StepStats s) throws IOException {
      String kept =
          checkpoints
              .latest()
              .map(p -> "the last good checkpoint is " + p)
              .orElse("no checkpoint was written yet");
      return new TrainingFailed(
          String.format(
              Locale.ROOT,
              "training diverged at iteration %d (d_loss=%s, g_loss=%s); %s; resume with a lower --lr or try --loss hinge",
              state.iteration(),
              s.dLoss(),
              s.gLoss(),
              kept));
    }
  }

  /** Training stopped because it cannot go on; the message says why and what was kept. */
  public static final class TrainingFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingFailed(String message) {
      super(message);
    }
  }
}
