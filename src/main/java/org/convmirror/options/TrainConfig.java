package org.convmirror.options;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.convmirror.error.UsageException;

/**
 * What every training run shares, GAN or VAE, as resolved before the first step and written into
 * the run directory, so that a run can be explained and continued from its directory alone. The
 * objective's own knobs are in its options record ({@link GanOptions}, {@link VaeOptions}). Make
 * one with {@link #builder}, change one with {@link #toBuilder}.
 *
 * @param model the model as the user named it: a built-in name or a file path
 * @param modelYaml the model file's full text, so the run does not depend on the file staying
 * @param dataset the named dataset ({@code fashion-mnist}), or null
 * @param data a data path or {@code synthetic[:N]}, or null (then the default dataset)
 * @param epochs epochs to train in total
 * @param batchSize images per batch
 * @param seed seeds every random draw of the run
 * @param threads libtorch intra-op threads, 0 for one per core
 * @param checkpointEvery iterations between mid-epoch checkpoints, 0 for epoch ends only
 * @param keepCheckpoints how many of the newest checkpoints to keep
 * @param evalEvery evaluate (and keep the best checkpoint) every this many epochs, 0 for never
 * @param evalCount images generated per evaluation
 * @param classifier the feature classifier for evaluation, or null for the shipped one
 * @param precision the convolutions' number format; {@link Precision#AUTO} is resolved when a run
 *     is made and the run records the concrete choice; null (a run of an earlier release) reads as
 *     {@link Precision#FP32}
 */
public record TrainConfig(
    String model,
    @JsonProperty("model_yaml") String modelYaml,
    String dataset,
    String data,
    int epochs,
    @JsonProperty("batch_size") int batchSize,
    long seed,
    int threads,
    @JsonProperty("checkpoint_every") int checkpointEvery,
    @JsonProperty("keep_checkpoints") int keepCheckpoints,
    @JsonProperty("eval_every") int evalEvery,
    @JsonProperty("eval_count") int evalCount,
    String classifier,
    Precision precision) {

  /** Five epochs: where the default GAN's samples stop improving quickly. */
  public static final int EPOCHS = 5;

  /** DCGAN's batch (Radford et al. 2015); batch norm needs at least two images. */
  public static final int BATCH_SIZE = 64;

  /** Any fixed number makes a run repeatable from its directory; 42 by long convention. */
  public static final long SEED = 42;

  /** Zero: libtorch's own choice, one thread per core. */
  public static final int THREADS = 0;

  /** About 30 s of work on two cores, so a kill loses little. */
  public static final int CHECKPOINT_EVERY = 500;

  /** Two, so a checkpoint damaged on disk still leaves one to fall back to. */
  public static final int KEEP_CHECKPOINTS = 2;

  /** Zero (off): scoring takes about a minute per epoch that most runs need not spend. */
  public static final int EVAL_EVERY = 0;

  /** Enough for a Fréchet distance whose sampling error is well below epoch-to-epoch change. */
  public static final int EVAL_COUNT = 5000;

  /**
   * Auto: the discriminator's (or encoder's) convolutions in bfloat16 where bfloat16 is faster on
   * this CPU (Intel AMX, or AMD's AVX512-BF16), float32 elsewhere. With AMX the default job trains
   * ~1.27× as fast, on an AMD EPYC with AVX512-BF16 1.1–1.2×, and its samples score as float32's do
   * (five seeds, docs/notes/quality.md); on other CPUs bfloat16 is slower than float32, so float32
   * it is. PyTorch makes the same kind of choice for its users (TF32 convolutions by default on
   * GPUs that have TF32 units). {@code --precision fp32} pins float32 on every machine.
   */
  public static final Precision PRECISION = Precision.AUTO;

  public TrainConfig {
    if (precision == null) precision = Precision.FP32; // recorded before precision was a setting
    check(epochs >= 1, "--epochs must be ≥ 1, was " + epochs);
    check(
        batchSize >= 2, "--batch-size must be ≥ 2 (batch norm needs two images), was " + batchSize);
    check(threads >= -1, "--threads must be auto (-1), 0 (one per core) or more, was " + threads);
    check(checkpointEvery >= 0, "--checkpoint-every must be ≥ 0, was " + checkpointEvery);
    check(keepCheckpoints >= 1, "checkpoints to keep must be ≥ 1, was " + keepCheckpoints);
    check(evalEvery >= 0, "--eval-every must be ≥ 0 (0: off), was " + evalEvery);
    check(evalCount >= 2, "--eval-count must be ≥ 2, was " + evalCount);
  }

  /** A configuration with every default, for {@code model} (a built-in name or a path). */
  public static Builder builder(String model, String modelYaml) {
    return new Builder().model(model, modelYaml);
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new UsageException(message);
  }

  /** Builds a {@link TrainConfig}; every field starts at its default. */
  public static final class Builder {
    private String model;
    private String modelYaml;
    private String dataset;
    private String data;
    private int epochs = EPOCHS;
    private int batchSize = BATCH_SIZE;
    private long seed = SEED;
    private int threads = THREADS;
    private int checkpointEvery = CHECKPOINT_EVERY;
    private int keepCheckpoints = KEEP_CHECKPOINTS;
    private int evalEvery = EVAL_EVERY;
    private int evalCount = EVAL_COUNT;
    private String classifier;
    private Precision precision = PRECISION;

    private Builder() {}

    private Builder(TrainConfig c) {
      model = c.model;
      modelYaml = c.modelYaml;
      dataset = c.dataset;
      data = c.data;
      epochs = c.epochs;
      batchSize = c.batchSize;
      seed = c.seed;
      threads = c.threads;
      checkpointEvery = c.checkpointEvery;
      keepCheckpoints = c.keepCheckpoints;
      evalEvery = c.evalEvery;
      evalCount = c.evalCount;
      classifier = c.classifier;
      precision = c.precision;
    }

    /** The model's name (a built-in name or a path) and its model file's text. */
    public Builder model(String name, String text) {
      this.model = name;
      this.modelYaml = text;
      return this;
    }

    public Builder dataset(String name) {
      this.dataset = name;
      return this;
    }

    public Builder data(String pathOrSynthetic) {
      this.data = pathOrSynthetic;
      return this;
    }

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder checkpointEvery(int iterations) {
      this.checkpointEvery = iterations;
      return this;
    }

    public Builder keepCheckpoints(int count) {
      this.keepCheckpoints = count;
      return this;
    }

    public Builder evalEvery(int epochs) {
      this.evalEvery = epochs;
      return this;
    }

    public Builder evalCount(int images) {
      this.evalCount = images;
      return this;
    }

    public Builder classifier(String path) {
      this.classifier = path;
      return this;
    }

    public Builder precision(Precision precision) {
      this.precision = precision;
      return this;
    }

    public TrainConfig build() {
      return new TrainConfig(
          model,
          modelYaml,
          dataset,
          data,
          epochs,
          batchSize,
          seed,
          threads,
          checkpointEvery,
          keepCheckpoints,
          evalEvery,
          evalCount,
          classifier,
          precision);
    }
  }
}
