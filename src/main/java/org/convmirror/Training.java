package org.convmirror;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.convmirror.internal.job.TrainJob;
import org.convmirror.internal.job.TrainPlan;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ModelSpec;

/**
 * Trains a GAN or a VAE into a run directory — the library's entry point. Configure, then {@link
 * #train()}; every setting not given keeps its documented default ({@link TrainConfig}, {@link
 * GanOptions}, {@link VaeOptions}).
 *
 * <pre>{@code
 * Training.Result r =
 *     Training.of(ModelSpec.gan(discriminator, 100)).data("synthetic:256").epochs(1).train();
 * }</pre>
 */
public final class Training {
  private final TrainPlan plan;
  private PrintStream console = System.out;
  private boolean interactive;

  private Training(TrainPlan plan) {
    this.plan = plan;
  }

  /** Trains a model built in Java; its model file text is recorded in the run. */
  public static Training of(ModelSpec spec) {
    return new Training(TrainPlan.of(spec));
  }

  /** Trains a built-in model ({@code dcgan28}, {@code vae28}, …) or a model file. */
  public static Training of(String builtInOrPath) {
    return new Training(TrainPlan.of(builtInOrPath));
  }

  /** The model to be trained. */
  public ModelSpec spec() {
    return plan.spec();
  }

  /** {@code synthetic[:N]}, an IDX file or folder, or an image folder; default: Fashion-MNIST. */
  public Training data(String pathOrSynthetic) {
    plan.train().data(pathOrSynthetic);
    return this;
  }

  /**
   * Refuse an image folder that holds files which cannot be used (empty, unreadable, not an image,
   * truncated, corrupt) instead of skipping them with a warning.
   */
  public Training strictData(boolean strict) {
    plan.strictData(strict);
    return this;
  }

  /** A named dataset ({@code fashion-mnist}). */
  public Training dataset(String name) {
    plan.train().dataset(name);
    return this;
  }

  /** Epochs to train (default {@value TrainConfig#EPOCHS}). */
  public Training epochs(int epochs) {
    plan.train().epochs(epochs);
    return this;
  }

  /**
   * Images per batch (default: the GAN preset's, 32 for the default; {@value
   * TrainConfig#BATCH_SIZE} for a VAE).
   */
  public Training batchSize(int images) {
    plan.train().batchSize(images);
    return this;
  }

  /** Seeds every random draw of the run (default {@value TrainConfig#SEED}). */
  public Training seed(long seed) {
    plan.train().seed(seed);
    return this;
  }

  /**
   * libtorch threads (0: one per core; -1: by the load, as {@code --threads auto}); takes effect
   * only before the engine's first use.
   */
  public Training threads(int threads) {
    plan.train().threads(threads);
    return this;
  }

  /** Also checkpoint every this many iterations (default {@value TrainConfig#CHECKPOINT_EVERY}). */
  public Training checkpointEvery(int iterations) {
    plan.train().checkpointEvery(iterations);
    return this;
  }

  /** Evaluate every {@code epochs} epochs with {@code images} samples; keep the best checkpoint. */
  public Training evaluation(int epochs, int images, Path classifier) {
    plan.train().evalEvery(epochs).evalCount(images);
    plan.train().classifier(classifier == null ? null : classifier.toString());
    return this;
  }

  /**
   * Trains a GAN with a named recipe: its options, and its change to the discriminator (recorded in
   * the run as the model's text). Call it before {@link #gan} and the other settings.
   */
  public Training preset(GanPreset preset) {
    plan.preset(preset);
    return this;
  }

  /** The GAN options set so far (a preset's, or the default). */
  public GanOptions ganOptions() {
    return plan.ganOptions();
  }

  /**
   * The GAN's options (default: the {@code dcgan} preset's, {@code GanOptions.builder().build()}).
   */
  public Training gan(GanOptions options) {
    plan.gan(options);
    return this;
  }

  /** The VAE's options (default: {@code VaeOptions.builder().build()}). */
  public Training vae(VaeOptions options) {
    plan.vae(options);
    return this;
  }

  /** The folder the run directory goes into (default {@code runs}) and its name (a timestamp). */
  public Training into(Path runs, String name) {
    plan.into(runs, name);
    return this;
  }

  /** Where progress goes (default {@code System.out}); {@code interactive} redraws in place. */
  public Training console(PrintStream console, boolean interactive) {
    this.console = console;
    this.interactive = interactive;
    return this;
  }

  /** The command line recorded in the run's provenance. */
  public Training commandLine(List<String> arguments) {
    plan.commandLine(arguments);
    return this;
  }

  /** The resolved configuration {@link #train()} will record. */
  public RunConfig config() {
    return plan.config();
  }

  /** Trains a new run to the end; the run directory appears only once training can start. */
  public Result train() throws IOException {
    return Result.of(TrainJob.train(plan, console, interactive));
  }

  /**
   * Continues a run from its latest checkpoint with the settings it recorded; {@code moreEpochs}
   * (or null for the recorded total) more epochs.
   */
  public static Result resume(
      Path runDirectory, Integer moreEpochs, PrintStream console, boolean interactive)
      throws IOException {
    return Result.of(TrainJob.resume(runDirectory, moreEpochs, console, interactive));
  }

  /**
   * Where a run stands, as its latest checkpoint records it.
   *
   * @param epoch epochs done
   * @param iteration iterations done
   * @param images images seen
   * @param seconds training time so far
   */
  public record State(int epoch, long iteration, long images, double seconds) {}

  /**
   * What a training job did.
   *
   * @param runDirectory the run
   * @param config the configuration it recorded
   * @param state where it stands now
   * @param trained whether any training happened (false when the run had already reached its
   *     target)
   * @param summary one line: epochs, iterations, throughput and the last numbers
   */
  public record Result(
      Path runDirectory, RunConfig config, State state, boolean trained, String summary) {

    private static Result of(TrainJob.Outcome o) {
      var s = o.state();
      return new Result(
          o.runDirectory(),
          o.config(),
          new State(s.epoch(), s.iteration(), s.images(), s.seconds()),
          o.trained(),
          o.summary());
    }
  }
}
