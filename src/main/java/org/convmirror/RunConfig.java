package org.convmirror;

import com.fasterxml.jackson.databind.JsonNode;
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
  static RunConfig fromFormat1(JsonNode c) {
    TrainConfig train =
        new TrainConfig(
            c.path("model").asText(null),
            c.path("model_yaml").asText(null),
            c.path("dataset").asText(null),
            c.path("data").asText(null),
            c.path("epochs").asInt(TrainConfig.EPOCHS),
            c.path("batch_size").asInt(TrainConfig.BATCH_SIZE),
            c.path("seed").asLong(TrainConfig.SEED),
            c.path("threads").asInt(0),
            c.path("checkpoint_every").asInt(TrainConfig.CHECKPOINT_EVERY),
            TrainConfig.KEEP_CHECKPOINTS,
            0,
            TrainConfig.EVAL_COUNT,
            null);
    float lr = (float) c.path("learning_rate").asDouble();
    float beta1 = (float) c.path("beta1").asDouble();
    float beta2 = (float) c.path("beta2").asDouble();
    if ("vae".equals(c.path("kind").asText())) {
      return vae(
          train,
          new VaeOptions(
              new AdamOptions(lr, beta1, beta2),
              (float) c.path("kl_weight").asDouble(1),
              c.path("kl_warmup_epochs").asInt(0)));
    }
    return gan(
        train,
        new GanOptions(
            GanLoss.of(c.path("loss").asText("bce")),
            new AdamOptions(lr, beta1, beta2),
            new AdamOptions(lr, beta1, beta2),
            c.path("discriminator_steps").asInt(1),
            (float) c.path("real_label").asDouble(1),
            (float) c.path("clip").asDouble(0.01)));
  }
}
