package org.convmirror.internal.bench;

import java.util.List;
import java.util.Map;
import org.convmirror.shape.Plan;
import org.convmirror.spec.ModelKind;

/**
 * What {@link Benchmarks#run} measured: where, and each phase that was timed (null when it was
 * not), or the per-layer comparison.
 *
 * @param machine the model, the engine's threads and the load around the measurement
 * @param derived the generator's (or decoder's) plan: its layers and multiply-accumulates
 * @param declared the discriminator's (or encoder's) plan
 */
public record BenchReport(
    Machine machine,
    Plan derived,
    Plan declared,
    Training training,
    Sampling sampling,
    Evaluation evaluation,
    List<LayerBench.Row> layers) {

  /** Where the numbers were taken. */
  public record Machine(
      String model,
      int batchSize,
      ModelKind kind,
      int threads,
      int interopThreads,
      int cores,
      String kernels,
      String precision,
      String loadBefore,
      String loadAfter) {}

  /**
   * Training iterations.
   *
   * @param phaseMsMean mean milliseconds per iteration of each phase the objective reports
   * @param usefulFlopsPerIteration multiply-accumulates of the plans ×2 (see {@link UsefulFlops})
   * @param matmulGflops the median of the matmul probes before and after
   * @param rssKib resident memory after the given iteration counts
   * @param lastMetrics the last iteration's numbers, to show that training ran
   * @param ab the interleaved native / sub-pixel comparison, or null
   * @param data the real batches' source and how long they took, or null for in-memory batches
   */
  public record Training(
      int warmup,
      int iterations,
      double iterationMsMedian,
      double iterationMsMean,
      double imagesPerSecond,
      Map<String, Double> phaseMsMean,
      double usefulFlopsPerIteration,
      double usefulGflops,
      int matmulSize,
      double matmulGflops,
      double matmulGflopsBefore,
      double matmulGflopsAfter,
      Map<Integer, Long> rssKib,
      long peakRssKib,
      Map<String, Double> lastMetrics,
      KernelAb ab,
      DataPhase data) {

    /** The useful GFLOP/s against the machine's own limit. */
    public double usefulOverMatmul() {
      return usefulGflops / matmulGflops;
    }
  }

  /**
   * Real batches through the training loader.
   *
   * @param identity the data, as a run records it
   * @param waitOverIteration the share of an iteration the step waited for its batches
   * @param prepareMsPerIteration milliseconds the loader thread spent preparing one iteration's
   *     batches (reading, converting)
   * @param prepareOverIteration that time as a share of an iteration
   */
  public record DataPhase(
      String identity,
      double waitOverIteration,
      double prepareMsPerIteration,
      double prepareOverIteration) {}

  /** Median milliseconds per training iteration of each kernel, in interleaved blocks. */
  public record KernelAb(double nativeMs, double subpixelMs) {
    public double subpixelOverNative() {
      return subpixelMs / nativeMs;
    }
  }

  /**
   * Drawing images at each batch size, beside the same run's matmul.
   *
   * @param macsPerImage the generator's multiply-accumulates per image
   */
  public record Sampling(List<SampleBench.Row> rows, long macsPerImage, double matmulGflops) {
    /** The useful GFLOP/s of {@code row} against the matmul. */
    public double usefulOverMatmul(SampleBench.Row row) {
      return row.usefulGflops(macsPerImage) / matmulGflops;
    }
  }

  /**
   * {@code convmirror evaluate}'s path on {@code result.count()} generated images: cold, warm from
   * the disk cache and warm in memory, each by phase, and the classifier's rate beside the matmul.
   *
   * @param usefulGflops the classifier's multiply-accumulates ×2 per second of its features
   */
  public record Evaluation(EvalBench.Result result, double usefulGflops, double matmulGflops) {
    public double usefulOverMatmul() {
      return usefulGflops / matmulGflops;
    }
  }
}
