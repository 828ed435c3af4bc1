package org.convmirror;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.convmirror.config.ModelFiles;
import org.convmirror.gan.GanLoss;
import org.convmirror.gan.GanOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.train.AdamOptions;
import org.convmirror.train.TrainConfig;
import org.convmirror.vae.VaeOptions;

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

  /** The model, parsed from the text the run recorded. */
  public ModelSpec spec() {
    return ModelFiles.parse(train.modelYaml(), train.model());
  }

  /** Whether this is a GAN ({@code gan}) or a VAE run. */
  public ModelKind modelKind() {
    return "gan".equals(kind) ? ModelKind.GAN : ModelKind.VAE;
  }

  /** The same run with a new epoch target. */
  public RunConfig withEpochs(int epochs) {
    return new RunConfig(kind, train.withEpochs(epochs), gan, vae);
  }

  /**
   * Reads the {@code config} section of a {@code convmirror-run/1} run.json, which kept every
   * setting in one flat object, so that runs made by the first release can still be sampled,
   * evaluated and resumed.
   */
  static RunConfig fromFormat1(JsonNode c, Path runJson) throws IOException {
    try {
      return fromFormat1(c);
    } catch (NotFitting e) {
      throw new IOException(
          runJson
              + ": the \"config\" section does not fit this convmirror ("
              + e.getMessage()
              + "); restore the file, or train a new run",
          e);
    }
  }

  private static RunConfig fromFormat1(JsonNode c) {
    TrainConfig train =
        new TrainConfig(
            c.path("model").asText(null),
            c.path("model_yaml").asText(null),
            c.path("dataset").asText(null),
            c.path("data").asText(null),
            (int) number(c, "epochs", TrainConfig.EPOCHS),
            (int) number(c, "batch_size", TrainConfig.BATCH_SIZE),
            (long) number(c, "seed", TrainConfig.SEED),
            (int) number(c, "threads", 0),
            (int) number(c, "checkpoint_every", TrainConfig.CHECKPOINT_EVERY),
            TrainConfig.KEEP_CHECKPOINTS,
            0,
            TrainConfig.EVAL_COUNT,
            null);
    // The first release always wrote Adam's three numbers; without them there is no run to rebuild.
    float lr = (float) number(c, "learning_rate", null);
    float beta1 = (float) number(c, "beta1", null);
    float beta2 = (float) number(c, "beta2", null);
    if ("vae".equals(c.path("kind").asText())) {
      return vae(
          train,
          new VaeOptions(
              new AdamOptions(lr, beta1, beta2),
              (float) number(c, "kl_weight", 1),
              (int) number(c, "kl_warmup_epochs", 0)));
    }
    return gan(
        train,
        new GanOptions(
            GanLoss.of(c.path("loss").asText("bce")),
            new AdamOptions(lr, beta1, beta2),
            new AdamOptions(lr, beta1, beta2),
            (int) number(c, "discriminator_steps", 1),
            (float) number(c, "real_label", 1),
            (float) number(c, "clip", 0.01)));
  }

  /** A number of a format-1 config, or {@code absent} if it is missing (null: it must be there). */
  private static double number(JsonNode c, String field, Number absent) {
    JsonNode v = c.get(field);
    if (v == null || v.isNull()) {
      if (absent == null) throw new NotFitting("it has no " + field);
      return absent.doubleValue();
    }
    if (!v.isNumber()) throw new NotFitting(field + " is " + v + ", not a number");
    return v.asDouble();
  }

  private static final class NotFitting extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFitting(String message) {
      super(message);
    }
  }
}
