package org.convmirror;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.internal.data.DataAccess;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.internal.gan.GanObjective;
import org.convmirror.internal.gan.GanOptions;
import org.convmirror.internal.gan.GanPreset;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.DecodeProgress;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.RunLoop;
import org.convmirror.internal.train.TrainConfig;
import org.convmirror.internal.train.TrainState;
import org.convmirror.internal.vae.VaeObjective;
import org.convmirror.internal.vae.VaeOptions;
import org.convmirror.shape.ModelPlans;
import org.convmirror.shape.PlanTable;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * Trains a GAN or a VAE into a run directory — the library's entry point and the command line's.
 * Configure, then {@link #train()}; every setting not given keeps its documented default.
 *
 * <pre>{@code
 * Training.Result r =
 *     Training.of(ModelSpec.gan(discriminator, 100)).data("synthetic:256").epochs(1).train();
 * }</pre>
 */
public final class Training {
  private final String model;
  private ModelSpec spec;
  private TrainConfig.Builder config;
  private GanOptions gan;
  private VaeOptions vae;
  private Path runs = Path.of("runs");
  private String name;
  private PrintStream console = System.out;
  private boolean interactive;
  private boolean strictData;
  private List<String> commandLine = List.of("java");

  private Training(ModelSpec spec, String model, String modelText) {
    this.model = model;
    this.spec = spec;
    this.config = TrainConfig.builder(model, modelText);
    if (spec.kind() == ModelKind.GAN) gan = GanOptions.dcgan();
    else vae = VaeOptions.defaults();
  }

  /** Trains a model built in Java; its model file text is recorded in the run. */
  public static Training of(ModelSpec spec) {
    return new Training(spec, "java", ModelWriter.yaml(spec));
  }

  /** Trains a built-in model ({@code dcgan28}, {@code vae28}, …) or a model file. */
  public static Training of(String builtInOrPath) {
    String text = ModelFiles.text(builtInOrPath);
    return new Training(ModelFiles.parse(text, builtInOrPath), builtInOrPath, text);
  }

  /** The model to be trained. */
  public ModelSpec spec() {
    return spec;
  }

  /** {@code synthetic[:N]}, an IDX file or folder, or an image folder; default: Fashion-MNIST. */
  public Training data(String pathOrSynthetic) {
    config.data(pathOrSynthetic);
    return this;
  }

  /**
   * Refuse an image folder that holds files which cannot be used (empty, unreadable, not an image,
   * truncated, corrupt) instead of skipping them with a warning.
   */
  public Training strictData(boolean strict) {
    this.strictData = strict;
    return this;
  }

  /** A named dataset ({@code fashion-mnist}). */
  public Training dataset(String name) {
    config.dataset(name);
    return this;
  }

  public Training epochs(int epochs) {
    config.epochs(epochs);
    return this;
  }

  public Training batchSize(int images) {
    config.batchSize(images);
    return this;
  }

  public Training seed(long seed) {
    config.seed(seed);
    return this;
  }

  /** libtorch threads (0: one per core); takes effect only before the engine's first use. */
  public Training threads(int threads) {
    config.threads(threads);
    return this;
  }

  public Training checkpointEvery(int iterations) {
    config.checkpointEvery(iterations);
    return this;
  }

  /** Evaluate every {@code epochs} epochs with {@code images} samples; keep the best checkpoint. */
  public Training evaluation(int epochs, int images, Path classifier) {
    config.evalEvery(epochs).evalCount(images);
    config.classifier(classifier == null ? null : classifier.toString());
    return this;
  }

  /**
   * Trains a GAN with a named recipe: its options, and its change to the discriminator (recorded in
   * the run as the model's text). Call it before {@link #gan} and the other settings.
   */
  public Training preset(GanPreset preset) {
    if (spec.kind() != ModelKind.GAN) {
      throw new UsageException("--preset " + preset.id() + " is a GAN recipe; the model is a VAE");
    }
    ModelSpec adapted = preset.model(spec);
    if (!adapted.equals(spec)) {
      spec = adapted;
      config = config.withModel(model, ModelWriter.yaml(adapted));
    }
    gan = preset.options();
    return this;
  }

  /** The GAN options set so far (a preset's, or the default). */
  public GanOptions ganOptions() {
    return gan;
  }

  /** The GAN's options (default: {@link GanOptions#dcgan()}). */
  public Training gan(GanOptions options) {
    if (spec.kind() != ModelKind.GAN) throw new UsageException("GAN options given for a VAE");
    this.gan = options;
    return this;
  }

  /** The VAE's options. */
  public Training vae(VaeOptions options) {
    if (spec.kind() != ModelKind.VAE) throw new UsageException("VAE options given for a GAN");
    this.vae = options;
    return this;
  }

  /** The folder the run directory goes into (default {@code runs}) and its name (a timestamp). */
  public Training into(Path runs, String name) {
    this.runs = runs;
    this.name = name;
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
    this.commandLine = List.copyOf(arguments);
    return this;
  }

  /** The resolved configuration {@link #train()} will record. */
  public RunConfig config() {
    TrainConfig c = config.build();
    return gan != null ? RunConfig.gan(c, gan) : RunConfig.vae(c, vae);
  }

  /** Trains a new run to the end; the run directory appears only once training can start. */
  public Result train() throws IOException {
    RunConfig rc = config();
    TrainConfig c = rc.train();
    RunDirectory.checkCreatable(runs, name);
    EngineSetup.configure(c.threads());
    DataAccess access = DecodeProgress.access(console, interactive).withStrict(strictData);
    try (Setup setup = Setup.of(rc, spec, access);
        RunDirectory run = RunDirectory.create(runs, name)) {
      run.writeRunInfo(
          Provenance.capture(commandLine, c.seed(), setup.train.identity(), EngineSetup.describe()),
          setup.config);
      console.println(spec.kind() + " " + c.model() + " on " + setup.train.identity());
      if (setup.spec.isConditional()) {
        Conditioning k = setup.spec.conditioning();
        console.println("conditional on " + k.classes() + " classes: " + k.describeClasses());
      }
      console.print(PlanTable.render(ModelPlans.derived(setup.spec)));
      console.println("run directory: " + run.root());
      return new Result(run.root(), setup.config, setup.loop(run, null, console, interactive));
    }
  }

  /**
   * Continues a run from its latest checkpoint with the settings it recorded; {@code moreEpochs}
   * (or null for the recorded total) more epochs.
   */
  public static Result resume(
      Path runDirectory, Integer moreEpochs, PrintStream console, boolean interactive)
      throws IOException {
    if (moreEpochs != null && moreEpochs < 1) {
      throw new UsageException(
          "--epochs must be ≥ 1 (with --resume: how many epochs more to train), was " + moreEpochs);
    }
    try (RunDirectory run = RunDirectory.openForResume(runDirectory)) {
      return resume(run, moreEpochs, console, interactive);
    }
  }

  private static Result resume(
      RunDirectory run, Integer moreEpochs, PrintStream console, boolean interactive)
      throws IOException {
    RunConfig rc = RunConfig.of(run);
    EngineSetup.configure(rc.train().threads());
    try (Setup setup = Setup.of(rc, rc.spec(), DecodeProgress.access(console, interactive))) {
      Provenance provenance = run.readProvenance();
      RunConfig[] recorded = {rc};
      RunLoop.Result r =
          setup.loop(
              run,
              target -> {
                recorded[0] = rc.withEpochs(target);
                try {
                  run.writeRunInfo(provenance, recorded[0]);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              moreEpochs,
              console,
              interactive);
      return new Result(run.root(), recorded[0], r);
    }
  }

  /** What a training job did. */
  public record Result(Path runDirectory, RunConfig config, RunLoop.Result loop) {

    /** Where training stands now. */
    public TrainState state() {
      return loop.state();
    }

    /** Whether any training happened (false when the run had already reached its target). */
    public boolean trained() {
      return loop.last() != null;
    }

    /** One line: epochs, iterations, throughput and the last numbers. */
    public String summary() {
      StringBuilder s =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%d epochs, %d iterations, %.1f images/s",
                  state().epoch(),
                  state().iteration(),
                  loop.imagesPerSecond()));
      String epoch = loop.lastEpoch() == null ? "" : loop.lastEpoch().summary();
      if (!epoch.isEmpty()) {
        s.append("; ").append(epoch.replaceFirst("; [^;]*$", ""));
      } else if (loop.last() != null) {
        for (int i = 0; i < 2 && i < loop.last().length; i++) {
          s.append(i == 0 ? "; " : ", ")
              .append(loop.metrics().get(i).column())
              .append(String.format(Locale.ROOT, " %.3f", loop.last()[i]));
        }
      }
      return s.append("; run ").append(runDirectory).toString();
    }
  }

  /**
   * Everything a run needs before its directory is touched: data, objective, evaluation, and the
   * configuration to record — a conditional model's classes resolved from the data.
   */
  private static final class Setup implements AutoCloseable {
    final RunConfig config;
    final ModelSpec spec;
    final ImageSet train;
    final Objective objective;
    final RunEvaluation evaluation;

    private Setup(
        RunConfig config, ModelSpec spec, ImageSet train, Objective objective, RunEvaluation eval) {
      this.config = config;
      this.spec = spec;
      this.train = train;
      this.objective = objective;
      this.evaluation = eval;
    }

    static Setup of(RunConfig rc, ModelSpec spec, DataAccess access) throws IOException {
      TrainConfig c = rc.train();
      TrainingMemory.check(spec, c.batchSize());
      ImageSet train = load(c, spec, Split.TRAIN, access);
      ImageSet test =
          spec.kind() == ModelKind.VAE || c.evalEvery() > 0
              ? load(c, spec, Split.TEST, access)
              : null;
      if (spec.isConditional()) {
        Conditioning resolved =
            ClassLabels.resolve(spec.conditioning(), train, "the training data");
        if (test != null) ClassLabels.check(resolved, test, "the test split");
        if (!resolved.equals(spec.conditioning())) {
          spec = spec.withConditioning(resolved);
          rc = rc.withModelYaml(ModelWriter.yaml(spec));
        }
      }
      Objective objective =
          spec.kind() == ModelKind.GAN
              ? new GanObjective(spec, rc.gan(), c.seed())
              : new VaeObjective(spec, rc.vae(), test, c.seed());
      try {
        RunLoop.checkFits(train.count(), c.batchSize(), objective.batchesPerIteration());
        RunEvaluation eval =
            c.evalEvery() <= 0
                ? null
                : RunEvaluation.open(
                    test,
                    train,
                    c.classifier() == null ? null : Path.of(c.classifier()),
                    c.evalCount(),
                    c.evalEvery(),
                    null,
                    System.out);
        return new Setup(rc, spec, train, objective, eval);
      } catch (IOException | RuntimeException e) {
        objective.close();
        throw e;
      }
    }

    RunLoop.Result loop(
        RunDirectory run,
        java.util.function.IntConsumer onTarget,
        Integer more,
        PrintStream console,
        boolean interactive)
        throws IOException {
      if (evaluation != null) evaluation.reportTo(run, console);
      return RunLoop.builder(objective, train, config.train(), run)
          .optConsole(console, interactive)
          .optMoreEpochs(more, onTarget)
          .optEvaluation(evaluation)
          .build()
          .run();
    }

    RunLoop.Result loop(RunDirectory run, Integer more, PrintStream console, boolean interactive)
        throws IOException {
      return loop(run, target -> {}, more, console, interactive);
    }

    private static ImageSet load(TrainConfig c, ModelSpec spec, Split split, DataAccess access) {
      var s = spec.image();
      return DataSources.load(
          c.dataset(), c.data(), split, s.channels(), s.height(), s.width(), c.seed(), access);
    }

    @Override
    public void close() {
      if (evaluation != null) evaluation.close();
      objective.close();
    }
  }
}
