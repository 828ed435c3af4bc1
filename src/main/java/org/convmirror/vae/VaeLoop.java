package org.convmirror.vae;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.data.BatchLoader;
import org.convmirror.data.ImageSet;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.ImageBatch;
import org.convmirror.run.ImageGrid;
import org.convmirror.run.LossPlot;
import org.convmirror.run.MetricsLog;
import org.convmirror.run.Progress;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.run.TrainState;

/** The epochs of one {@link VaeRun}: steps, per-iteration logging, and the end-of-epoch work. */
final class VaeLoop {
  static final List<String> COLUMNS =
      List.of("epoch", "iteration", "images", "loss", "recon", "kl", "beta", "seconds");
  static final List<String> EPOCH_COLUMNS =
      List.of("epoch", "test_nelbo", "test_recon", "test_kl", "train_nelbo", "seconds");

  private final TrainConfig config;
  private final VaeTrainer trainer;
  private final ImageSet data;
  private final ImageSet test;
  private final double floor;
  private final RunDirectory run;
  private final Checkpoints checkpoints;
  private final MetricsLog losses;
  private final MetricsLog epochs;
  private final PrintStream console;
  private final boolean interactive;
  private final NDArray fixedNoise;
  private final int perEpoch;

  VaeLoop(
      TrainConfig config,
      VaeTrainer trainer,
      ImageSet data,
      ImageSet test,
      double floor,
      RunDirectory run,
      Checkpoints checkpoints,
      MetricsLog losses,
      MetricsLog epochs,
      PrintStream console,
      boolean interactive,
      NDArray fixedNoise) {
    this.config = config;
    this.trainer = trainer;
    this.data = data;
    this.test = test;
    this.floor = floor;
    this.run = run;
    this.checkpoints = checkpoints;
    this.losses = losses;
    this.epochs = epochs;
    this.console = console;
    this.interactive = interactive;
    this.fixedNoise = fixedNoise;
    this.perEpoch = BatchLoader.batchesPerEpoch(data.count(), config.batchSize(), true);
  }

  VaeRun.Result run(TrainState start) throws IOException {
    int b = config.batchSize();
    TrainState state = start;
    Elbo last = null;
    Elbo test = null;
    long t0 = System.nanoTime();
    double seconds0 = state.seconds();
    VaeRun.reseed(config.seed(), state.iteration());
    try (BatchLoader loader =
        BatchLoader.start(data, b, config.seed(), true, state.epoch(), state.batch())) {
      for (int epoch = state.epoch(); epoch < config.epochs(); epoch++) {
        Progress bar =
            Progress.builder(console)
                .total(perEpoch)
                .optLabel(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.epochs()))
                .optUnit("img")
                .optInteractive(interactive)
                .optPercentStep(10)
                .build();
        double trainSum = 0; // −ELBO over the steps of this epoch that this process ran
        int trainSteps = 0;
        for (int i = state.batch(); i < perEpoch; i++) {
          float beta = VaeRun.beta(config, epoch, i, perEpoch);
          last = trainer.step(loader.next().pixels(), b, beta);
          double seconds = seconds0 + (System.nanoTime() - t0) / 1e9;
          state =
              new TrainState(
                  epoch,
                  i + 1,
                  state.iteration() + 1,
                  state.images() + b,
                  seconds,
                  trainer.steps(),
                  0);
          losses.append(
              epoch + 1,
              state.iteration(),
              state.images(),
              last.loss(beta),
              last.reconstruction(),
              last.kl(),
              beta,
              seconds);
          if (!last.finite()) throw diverged(state, last);
          trainSum += last.negative();
          trainSteps++;
          bar.set("loss", last.loss(beta)).set("recon", last.reconstruction()).set("kl", last.kl());
          bar.step(b);
          if (config.checkpointEvery() > 0
              && state.iteration() % config.checkpointEvery() == 0
              && i + 1 < perEpoch) {
            save(state);
          }
        }
        bar.finish();
        state = state.nextEpoch();
        test = endOfEpoch(state, trainSteps == 0 ? Double.NaN : trainSum / trainSteps);
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return new VaeRun.Result(state, last, test, floor, (state.images() - start.images()) / wall);
  }

  /** Scores the test split, draws the grids, logs, checkpoints; returns the test −ELBO. */
  private Elbo endOfEpoch(TrainState state, double trainNelbo) throws IOException {
    losses.sync();
    VaeRun.reseed(config.seed() + 1, 0); // the same ε for the test split every epoch
    Elbo t = trainer.evaluate(test, VaeRun.EVAL_BATCH);
    if (!t.finite()) throw diverged(state, t);
    int epoch = state.epoch();
    int scale = VaeSampler.scale(data.height());
    int cols = VaeRun.RECONSTRUCTIONS;
    ImageBatch recon = VaeSampler.reconstructions(trainer.model(), test, cols, cols);
    ImageGrid.of(recon)
        .optRange(0, 1)
        .optCols(cols)
        .optScale(scale)
        .write(VaeRun.reconstructionFile(run, epoch));
    float[] prior = VaeSampler.decode(trainer.model(), fixedNoise);
    var s = trainer.model().spec().image();
    ImageGrid.of(new ImageBatch(prior, VaeRun.GRID, s.channels(), s.height(), s.width()))
        .optRange(0, 1)
        .optScale(scale)
        .write(run.sampleFile(epoch));
    LossPlot.of(MetricsLog.read(run.lossesCsv()))
        .series("loss", "recon", "kl")
        .optSmoothing(Math.max(1, perEpoch / 20))
        .optTitle("VAE loss (nats per image)")
        .optAxisLabels("iteration", "nats")
        .write(run.lossesPng());
    epochs.append(epoch, t.negative(), t.reconstruction(), t.kl(), trainNelbo, state.seconds());
    epochs.sync();
    run.writeMetrics(metrics(state, t, trainNelbo));
    save(state);
    console.printf(
        Locale.ROOT,
        "epoch %d: test −ELBO %.2f nats/image (recon %.2f + KL %.2f)%s, train %.2f; %s, %s%n",
        epoch,
        t.negative(),
        t.reconstruction(),
        t.kl(),
        Double.isNaN(floor) ? "" : String.format(Locale.ROOT, ", floor %.2f", floor),
        trainNelbo,
        run.root().relativize(VaeRun.reconstructionFile(run, epoch)),
        run.root().relativize(run.sampleFile(epoch)));
    return t;
  }

  private Map<String, Object> metrics(TrainState state, Elbo t, double trainNelbo) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", state.epoch());
    m.put("iteration", state.iteration());
    m.put("test_nelbo", t.negative());
    m.put("test_recon", t.reconstruction());
    m.put("test_kl", t.kl());
    m.put("test_images", test.count());
    m.put("train_nelbo", Double.isNaN(trainNelbo) ? null : trainNelbo);
    m.put("likelihood", trainer.model().spec().likelihood().name().toLowerCase(Locale.ROOT));
    m.put("bce_floor", Double.isNaN(floor) ? null : floor);
    m.put("units", "nats per image; recon summed over pixels, KL over latent dimensions");
    m.put("seconds", state.seconds());
    return m;
  }

  private void save(TrainState state) throws IOException {
    losses.sync();
    checkpoints.save(
        (int) state.iteration(),
        trainer.model().blocks(),
        VaeRun.arrays(trainer, fixedNoise),
        state);
    // Evaluation drew from the engine's generator: re-seed from the position, as a resume would.
    VaeRun.reseed(config.seed(), state.iteration());
  }

  private VaeRun.TrainingFailed diverged(TrainState state, Elbo e) throws IOException {
    String kept =
        checkpoints
            .latest()
            .map(p -> "the last good checkpoint is " + p)
            .orElse("no checkpoint was written yet");
    return new VaeRun.TrainingFailed(
        String.format(
            Locale.ROOT,
            "training diverged at iteration %d (recon=%s, kl=%s); %s; resume with a lower --lr",
            state.iteration(),
            e.reconstruction(),
            e.kl(),
            kept));
  }
}
