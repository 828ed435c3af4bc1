package org.convmirror;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.gan.GanLoss;
import org.convmirror.internal.gan.GanOptions;
import org.convmirror.internal.train.AdamOptions;
import org.convmirror.internal.train.TrainConfig;
import org.convmirror.internal.vae.VaeOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * The resolved configuration of a training run as {@code run.json} records it: what every run
 * shares, and the options of its objective — {@code gan} for a GAN, {@code vae} for a VAE, the
 * other one null.
 */
public record RunConfig(String kind, TrainConfig train, GanOptions gan, VaeOptions vae) {

  public RunConfig {
    if (train == null) throw new UsageException("run configuration without 'train' settings");
    if ("gan".equals(kind) == (gan == null) || "vae".equals(kind) == (vae == null)) {
      throw new UsageException(
          "a run configuration needs kind gan with gan options or kind vae with vae options, was "
              + kind);
    }
  }

  /** A GAN run. */
  public static RunConfig gan(TrainConfig train, GanOptions options) {
    return new RunConfig("gan", train, options, null);
  }

  /** A VAE run. */
  public static RunConfig vae(TrainConfig train, VaeOptions options) {
    return new RunConfig("vae", train, null, options);
  }

  /** The configuration {@code run} recorded, whichever format its {@code run.json} is in. */
  public static RunConfig of(org.convmirror.internal.run.RunDirectory run) throws IOException {
    return org.convmirror.internal.run.RunDirectory.FORMAT_1.equals(run.format())
        ? fromFormat1(run.readConfigNode(), run.runJson())
        : run.readConfig(RunConfig.class);
  }

  /** The model, parsed from the text the run recorded. */
  public ModelSpec spec() {
    return ModelFiles.parse(train.modelYaml(), train.model());
  }

  /** Whether this is a GAN ({@code gan}) or a VAE run. */
  public ModelKind modelKind() {
    return "gan".equals(kind) ? ModelKind.GAN : ModelKind.VAE;
  }

  /**
   * The same run with another model text, e.g. a conditional model's classes resolved from the
   * data.
   */
  public RunConfig withModelYaml(String text) {
    TrainConfig t = train;
    return new RunConfig(
        kind,
        new TrainConfig(
            t.model(),
            text,
            t.dataset(),
            t.data(),
            t.epochs(),
            t.batchSize(),
            t.seed(),
            t.threads(),
            t.checkpointEvery(),
            t.keepCheckpoints(),
            t.evalEvery(),
            t.evalCount(),
            t.classifier()),
        gan,
        vae);
  }

  /** The same run with a new epoch target. */
  public RunConfig withEpochs(int epochs) {
    return new RunConfig(kind, train.withEpochs(epochs), gan, vae);
  }

  /**
   * Reads the {@code config} section of a {@code convmirror-run/1} run.json, which kept every
   * setting in one flat object, so that runs made by the first release can still be sampled,
   * evaluated and resumed.
   *
   * @throws IOException naming {@code runJson} if a setting is missing or of the wrong type
   */
  static RunConfig fromFormat1(JsonNode c, Path runJson) throws IOException {
    Format1 f = new Format1(c, runJson);
    TrainConfig train =
        new TrainConfig(
            f.text("model", null),
            f.text("model_yaml", null),
            f.text("dataset", null),
            f.text("data", null),
            f.integer("epochs", TrainConfig.EPOCHS),
            f.integer("batch_size", TrainConfig.BATCH_SIZE),
            f.integer("seed", (int) TrainConfig.SEED),
            f.integer("threads", 0),
            f.integer("checkpoint_every", TrainConfig.CHECKPOINT_EVERY),
            TrainConfig.KEEP_CHECKPOINTS,
            0,
            TrainConfig.EVAL_COUNT,
            null);
    if (train.modelYaml() == null) f.fail("model_yaml", "is missing");
    AdamOptions adam =
        new AdamOptions(
            f.number("learning_rate", 2e-4), f.number("beta1", 0.5), f.number("beta2", 0.999));
    if ("vae".equals(f.text("kind", "gan"))) {
      return vae(
          train, new VaeOptions(adam, f.number("kl_weight", 1), f.integer("kl_warmup_epochs", 0)));
    }
    return gan(
        train,
        new GanOptions(
            GanLoss.of(f.text("loss", "bce")),
            adam,
            adam,
            f.integer("discriminator_steps", 1),
            f.number("real_label", 1),
            f.number("clip", 0.01),
            null,
            null,
            null));
  }

  /** Typed reads of a first-release config, each mismatch one line naming the file and field. */
  private record Format1(JsonNode c, Path runJson) {
    String text(String field, String absent) throws IOException {
      JsonNode v = c.get(field);
      if (v == null || v.isNull()) return absent;
      if (!v.isTextual()) fail(field, "is not text");
      return v.asText();
    }

    int integer(String field, int absent) throws IOException {
      JsonNode v = c.get(field);
      if (v == null || v.isNull()) return absent;
      if (!v.canConvertToInt() || !v.isIntegralNumber()) fail(field, "is not an integer");
      return v.asInt();
    }

    float number(String field, double absent) throws IOException {
      JsonNode v = c.get(field);
      if (v == null || v.isNull()) return (float) absent;
      if (!v.isNumber()) fail(field, "is not a number");
      return (float) v.asDouble();
    }

    void fail(String field, String problem) throws IOException {
      throw new IOException(
          runJson
              + ": the \"config\" section does not fit this convmirror ("
              + field
              + " "
              + problem
              + "); restore the file, or train a new run");
    }
  }
}
