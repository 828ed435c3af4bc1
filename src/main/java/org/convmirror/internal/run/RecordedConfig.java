package org.convmirror.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.convmirror.options.AdamOptions;
import org.convmirror.options.GanLoss;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.Precision;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;

/** The configuration a run recorded in its {@code run.json}, whichever format it is in. */
public final class RecordedConfig {
  private RecordedConfig() {}

  /** The configuration {@code run} recorded. */
  public static RunConfig of(RunDirectory run) throws IOException {
    return RunDirectory.FORMAT_1.equals(run.format())
        ? fromFormat1(run.readConfigNode(), run.layout().runJson())
        : run.readConfig(RunConfig.class);
  }

  /**
   * {@code config} as a {@code run.json} of this format records it, whatever format it was read
   * from: one shape for every run, so pages can show and compare any runs' settings.
   */
  public static JsonNode tree(RunConfig config) {
    return Json.JSON.valueToTree(config);
  }

  /**
   * Reads the {@code config} section of a {@code convmirror-run/1} run.json, which kept every
   * setting in one flat object, so that runs made by the first release can still be sampled,
   * evaluated and resumed. A setting it lacks takes the first release's default.
   *
   * @throws IOException naming {@code runJson} if a setting is missing or of the wrong type
   */
  static RunConfig fromFormat1(JsonNode c, Path runJson) throws IOException {
    Format1 f = new Format1(c, runJson);
    TrainConfig train =
        TrainConfig.builder(f.text("model", null), f.text("model_yaml", null))
            .dataset(f.text("dataset", null))
            .data(f.text("data", null))
            .epochs(f.integer("epochs", TrainConfig.EPOCHS))
            .batchSize(f.integer("batch_size", TrainConfig.BATCH_SIZE))
            .seed(f.integer("seed", (int) TrainConfig.SEED))
            .threads(f.integer("threads", TrainConfig.THREADS))
            .checkpointEvery(f.integer("checkpoint_every", TrainConfig.CHECKPOINT_EVERY))
            .precision(Precision.FP32) // the first release computed in float32 only
            .build();
    if (train.modelYaml() == null) f.fail("model_yaml", "is missing");
    if ("vae".equals(f.text("kind", "gan"))) {
      AdamOptions adam =
          f.adam(
              GanPreset.CLASSIC.options().generator()); // the first release's one default, for both
      return RunConfig.vae(
          train,
          VaeOptions.builder()
              .adam(adam)
              .klWeight(f.number("kl_weight", VaeOptions.KL_WEIGHT))
              .klWarmupEpochs(f.integer("kl_warmup_epochs", VaeOptions.KL_WARMUP_EPOCHS))
              .build());
    }
    GanOptions then = GanPreset.CLASSIC.options(); // the recipe first-release runs trained with
    return RunConfig.gan(
        train,
        then.toBuilder()
            .loss(GanLoss.of(f.text("loss", GanOptions.LOSS.id())))
            .adam(f.adam(then.generator()))
            .discriminatorSteps(f.integer("discriminator_steps", GanOptions.DISCRIMINATOR_STEPS))
            .realLabel(f.number("real_label", GanOptions.REAL_LABEL))
            .clip(f.number("clip", GanOptions.CLIP))
            .build());
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

    /** The one Adam the first release kept for every network. */
    AdamOptions adam(AdamOptions absent) throws IOException {
      return AdamOptions.builder(
              number("learning_rate", absent.learningRate()), number("beta1", absent.beta1()))
          .beta2(number("beta2", absent.beta2()))
          .build();
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
