package org.convmirror.internal.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.convmirror.internal.bench.BenchReport;
import org.convmirror.internal.bench.BenchSettings;
import org.convmirror.internal.bench.Benchmarks;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.run.DecodeProgress;
import org.convmirror.internal.run.Progress;
import org.convmirror.options.Precision;
import org.convmirror.options.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convmirror bench}: flags to {@link BenchSettings}, the {@link BenchReport} of {@link
 * Benchmarks} printed as text or JSON.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Time training iterations, sampling and evaluation on in-memory data.",
      "--phase train (GAN: D step + G step; VAE: one step), sample (batch 1, 64, 1024: images/s",
      "and latency) or evaluate (convmirror evaluate cold and cached, by phase), or all;",
      "images/s, useful GFLOP/s against a same-run 2048x2048 matmul, resident memory.",
      "--layers: each generator layer against libtorch's native kernels. --data: train on",
      "real batches through the training loader instead, and time the wait for them."
    })
final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--model",
      defaultValue = "dcgan28",
      paramLabel = "NAME|FILE",
      description =
          "Built-in model (dcgan28, dcgan64, vae28) or a model file. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(
      names = "--batch-size",
      defaultValue = "" + TrainConfig.BATCH_SIZE,
      description = "Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(
      names = "--iterations",
      defaultValue = "50",
      description = "Timed iterations. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Untimed iterations first. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Mixin ThreadsOption engine;

  @Option(
      names = "--interop-threads",
      defaultValue = "1",
      description = "libtorch inter-op threads. Default: ${DEFAULT-VALUE}.")
  int interop;

  @Option(
      names = "--matmul-size",
      defaultValue = "2048",
      paramLabel = "N",
      description = "Side of the square float32 matmul probe. Default: ${DEFAULT-VALUE}.")
  int matmulSize;

  @Option(names = "--layers", description = "Per generator layer: ours vs native conv kernels.")
  boolean layers;

  @Option(
      names = "--layer-reps",
      defaultValue = "20",
      description = "Timed repetitions per layer with --layers. Default: ${DEFAULT-VALUE}.")
  int layerReps;

  @Option(
      names = "--conv-transpose",
      defaultValue = "native",
      description =
          "Transposed-convolution kernel: native, subpixel, or both (interleaved blocks of"
              + " iterations, a same-run A/B). Default: ${DEFAULT-VALUE}.")
  String convTranspose;

  @Option(
      names = "--seed",
      defaultValue = "" + TrainConfig.SEED,
      description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description =
          "Train on real batches from PATH (image folder via its cache, IDX, synthetic:N) through"
              + " the training loader, and report the data phase. Default: in-memory batches.")
  String data;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = "--phase",
      defaultValue = "train",
      description = "train, sample, evaluate or all. Default: ${DEFAULT-VALUE}.")
  String phase;

  @Option(
      names = "--sample-batches",
      split = ",",
      defaultValue = "1,64,1024",
      description = "Batch sizes of --phase sample. Default: ${DEFAULT-VALUE}.")
  int[] sampleBatches;

  @Option(
      names = "--sample-reps",
      defaultValue = "20",
      description = "Timed calls per sampling batch size. Default: ${DEFAULT-VALUE}.")
  int sampleReps;

  @Option(
      names = "--eval-count",
      defaultValue = "10000",
      description =
          "Generated images (and as many test images) of --phase evaluate."
              + " Default: ${DEFAULT-VALUE}.")
  int evalCount;

  @Option(
      names = "--precision",
      paramLabel = "fp32|bf16|bf16-declared|auto",
      defaultValue = "fp32",
      description = "Training convolutions' number format, as train's. Default: ${DEFAULT-VALUE}.")
  String precision;

  @Override
  public Integer call() throws IOException {
    BenchReport r =
        Benchmarks.run(
            new BenchSettings(
                model,
                ModelFiles.resolve(model),
                batch,
                iterations,
                warmup,
                engine.threads,
                interop,
                matmulSize,
                layers,
                layerReps,
                BenchSettings.Kernels.of(convTranspose),
                seed,
                BenchSettings.Phase.of(phase),
                sampleBatches,
                sampleReps,
                evalCount,
                data,
                Precision.of(precision)),
            // decoding notices go to stderr when stdout is for JSON
            json
                ? DecodeProgress.access(System.err, false)
                : DecodeProgress.access(System.out, Progress.detectInteractive()));
    System.out.print(json ? BenchJson.of(r) + "\n" : BenchText.of(r));
    return 0;
  }
}
