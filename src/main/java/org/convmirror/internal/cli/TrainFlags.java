package org.convmirror.internal.cli;

import java.nio.file.Path;
import org.convmirror.internal.job.TrainPlan;
import org.convmirror.options.GanPreset;
import org.convmirror.options.Precision;
import org.convmirror.options.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The flags every training run shares, mapped onto {@link TrainConfig}; absent ones keep defaults.
 */
final class TrainFlags {
  @Option(names = "--dataset", paramLabel = "NAME", description = "Named dataset: fashion-mnist.")
  String dataset;

  @Option(
      names = "--data",
      paramLabel = "PATH|synthetic[:N]",
      description = "IDX file or folder, image folder (PNG/JPEG), or synthetic shapes.")
  String data;

  @Option(
      names = "--strict",
      description = "Refuse an image folder with unusable files (default: skip them, warn once).")
  boolean strict;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Epochs to train. Default: " + TrainConfig.EPOCHS + "; with --resume: N more.")
  Integer epochs;

  @Option(
      names = "--batch-size",
      description =
          "Default: "
              + GanPreset.DCGAN_BATCH_SIZE
              + " for a GAN (the dcgan preset's), "
              + TrainConfig.BATCH_SIZE
              + " for a VAE.")
  Integer batchSize;

  @Option(
      names = "--seed",
      description = "Seeds every random draw. Default: " + TrainConfig.SEED + ".")
  Long seed;

  @Option(names = "--runs", paramLabel = "DIR", description = "Run folder. Default: runs.")
  Path runs = Path.of("runs");

  @Option(names = "--name", description = "Run name. Default: a timestamp.")
  String name;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "Also checkpoint every N iterations (0: epoch ends only). Default: "
              + TrainConfig.CHECKPOINT_EVERY
              + ".")
  Integer checkpointEvery;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "N",
      description =
          "Keep the newest N step checkpoints, e.g. to score a run over time. Default: "
              + TrainConfig.KEEP_CHECKPOINTS
              + ".")
  Integer keepCheckpoints;

  @Option(
      names = "--eval-every",
      paramLabel = "K",
      description =
          "Every K epochs: score the model, keep checkpoints/best. Default: "
              + TrainConfig.EVAL_EVERY
              + " (off).")
  int evalEvery;

  @Option(
      names = "--eval-count",
      paramLabel = "N",
      description = "Images per evaluation. Default: " + TrainConfig.EVAL_COUNT + ".")
  int evalCount = TrainConfig.EVAL_COUNT;

  @Option(names = "--classifier", paramLabel = "FILE", description = "Feature classifier.")
  Path classifier;

  @Option(
      names = "--precision",
      paramLabel = "fp32|bf16|bf16-declared|auto",
      description =
          "fp32, or bf16: convolutions in bfloat16, everything else float32 (faster on CPUs with"
              + " AMX or AMD's AVX512-BF16; see the README); bf16-declared: bf16 in the"
              + " discriminator (encoder) only, the generator (decoder) float32; auto:"
              + " bf16-declared where bfloat16 is faster on this CPU, else fp32. Default: auto"
              + " (resolved when the run is made, recorded in run.json).")
  String precision;

  TrainPlan applyTo(TrainPlan p) {
    TrainConfig.Builder t = p.into(runs, name).strictData(strict).train();
    t.dataset(dataset).data(data).evalEvery(evalEvery).evalCount(evalCount);
    t.classifier(classifier == null ? null : classifier.toString());
    if (epochs != null) t.epochs(epochs);
    if (batchSize != null) t.batchSize(batchSize);
    if (seed != null) t.seed(seed);
    if (checkpointEvery != null) t.checkpointEvery(checkpointEvery);
    if (keepCheckpoints != null) t.keepCheckpoints(keepCheckpoints);
    if (precision != null) t.precision(Precision.of(precision));
    return p;
  }
}
