package org.convmirror.internal.job;

import java.nio.file.Path;
import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * What a new training run is to be, gathered setting by setting: the model, the shared settings
 * ({@link #train()}, a builder to set directly), the objective's options, where the run goes and
 * the command line it records. The API's {@code Training} and the CLI's {@code train} both fill one
 * in; {@link TrainJob#train} runs it.
 */
public final class TrainPlan {
  private final String model;
  private ModelSpec spec;
  private final TrainConfig.Builder train;
  private GanOptions gan;
  private VaeOptions vae;
  private Path runs = Path.of("runs");
  private String name;
  private List<String> commandLine = List.of("java");
  private boolean strictData;

  private TrainPlan(ModelSpec spec, String model, String modelText) {
    this.model = model;
    this.spec = spec;
    this.train = TrainConfig.builder(model, modelText);
    if (spec.kind() == ModelKind.GAN) {
      gan = GanPreset.DEFAULT.options();
      train.batchSize(GanPreset.DEFAULT.batchSize());
    } else {
      vae = VaeOptions.builder().build();
    }
  }

  /** A model built in Java; its model file text is recorded in the run. */
  public static TrainPlan of(ModelSpec spec) {
    return new TrainPlan(spec, "java", ModelWriter.yaml(spec));
  }

  /** A built-in model ({@code dcgan28}, {@code vae28}, …) or a model file. */
  public static TrainPlan of(String builtInOrPath) {
    String text = ModelFiles.text(builtInOrPath);
    return new TrainPlan(ModelFiles.parse(text, builtInOrPath), builtInOrPath, text);
  }

  /** The model to be trained. */
  public ModelSpec spec() {
    return spec;
  }

  /** The settings every run shares, to be set in place. */
  public TrainConfig.Builder train() {
    return train;
  }

  /**
   * A named GAN recipe: its options, and its change to the discriminator (recorded in the run as
   * the model's text). Apply it before {@link #gan} and the other settings.
   */
  public TrainPlan preset(GanPreset preset) {
    if (spec.kind() != ModelKind.GAN) {
      throw new UsageException("--preset " + preset.id() + " is a GAN recipe; the model is a VAE");
    }
    ModelSpec adapted = preset.model(spec);
    if (!adapted.equals(spec)) {
      spec = adapted;
      train.model(model, ModelWriter.yaml(adapted));
    }
    gan = preset.options();
    train.batchSize(preset.batchSize());
    return this;
  }

  /** The GAN options so far (a preset's, or the default). */
  public GanOptions ganOptions() {
    return gan;
  }

  public TrainPlan gan(GanOptions options) {
    if (spec.kind() != ModelKind.GAN) throw new UsageException("GAN options given for a VAE");
    this.gan = options;
    return this;
  }

  public TrainPlan vae(VaeOptions options) {
    if (spec.kind() != ModelKind.VAE) throw new UsageException("VAE options given for a GAN");
    this.vae = options;
    return this;
  }

  /** The folder the run directory goes into (default {@code runs}) and its name (a timestamp). */
  public TrainPlan into(Path runs, String name) {
    this.runs = runs;
    this.name = name;
    return this;
  }

  public Path runs() {
    return runs;
  }

  public String name() {
    return name;
  }

  /**
   * Refuse an image folder that holds unusable files instead of skipping them with a warning (not
   * recorded: it decides only whether a run starts, never what it computes).
   */
  public TrainPlan strictData(boolean strict) {
    this.strictData = strict;
    return this;
  }

  public boolean strictData() {
    return strictData;
  }

  /** The command line recorded in the run's provenance. */
  public TrainPlan commandLine(List<String> arguments) {
    this.commandLine = List.copyOf(arguments);
    return this;
  }

  public List<String> commandLine() {
    return commandLine;
  }

  /** The resolved configuration the run will record. */
  public RunConfig config() {
    TrainConfig c = train.build();
    return gan != null ? RunConfig.gan(c, gan) : RunConfig.vae(c, vae);
  }
}
