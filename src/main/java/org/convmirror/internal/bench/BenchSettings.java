package org.convmirror.internal.bench;

import java.util.Locale;
import org.convmirror.error.UsageException;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.options.Precision;
import org.convmirror.spec.ModelSpec;

/**
 * What {@link Benchmarks#run} measures and how long.
 *
 * @param model the model's name, for the report
 * @param spec the model
 * @param batch images per training batch
 * @param iterations timed training iterations
 * @param warmup untimed iterations first
 * @param threads libtorch intra-op threads (0: one per core; -1: auto, by the load)
 * @param interopThreads libtorch inter-op threads
 * @param matmulSize side of the square float32 matmul that measures the machine's limit
 * @param layers time each generator layer against libtorch's native kernels instead
 * @param layerReps timed repetitions per layer
 * @param kernels which transposed-convolution kernel the networks use, or both, A/B
 * @param seed seeds the weights and the data
 * @param phase what to time
 * @param sampleBatches batch sizes of the sampling phase
 * @param sampleReps timed calls per sampling batch size
 * @param evalCount generated images (and as many test images) of the evaluation phase
 * @param data real training batches from this source (an image folder through its cache, IDX,
 *     {@code synthetic:N}) through the training loader, or null for in-memory batches
 * @param precision the training convolutions' number format, {@link Precision#AUTO} as a new run
 *     resolves it
 */
public record BenchSettings(
    String model,
    ModelSpec spec,
    int batch,
    int iterations,
    int warmup,
    int threads,
    int interopThreads,
    int matmulSize,
    boolean layers,
    int layerReps,
    Kernels kernels,
    long seed,
    Phase phase,
    int[] sampleBatches,
    int sampleReps,
    int evalCount,
    String data,
    Precision precision) {

  /** The largest benchmark batch: far past where throughput stops growing on any one machine. */
  public static final int MAX_BATCH = 1 << 16;

  /** The largest matmul probe: three 8192² float32 matrices are 768 MiB. */
  public static final int MAX_MATMUL = 8192;

  public BenchSettings {
    check(
        batch >= 2 && batch <= MAX_BATCH,
        "--batch-size must be 2 to " + MAX_BATCH + " for a benchmark, was " + batch);
    check(
        matmulSize >= 1 && matmulSize <= MAX_MATMUL,
        "--matmul-size must be 1 to "
            + MAX_MATMUL
            + " (three such float32 squares), was "
            + matmulSize);
    check(iterations >= 1, "--iterations must be ≥ 1, was " + iterations);
    check(warmup >= 0, "--warmup must be ≥ 0, was " + warmup);
    check(layerReps >= 1, "--layer-reps must be ≥ 1, was " + layerReps);
    check(sampleReps >= 1, "--sample-reps must be ≥ 1, was " + sampleReps);
    for (int b : sampleBatches) check(b >= 1, "--sample-batches must be ≥ 1 each, was " + b);
    check(evalCount >= 4, "--eval-count must be ≥ 4, was " + evalCount);
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new UsageException(message);
  }

  /** What to time: training iterations, sampling, evaluation, or all three. */
  public enum Phase {
    TRAIN,
    SAMPLE,
    EVALUATE,
    ALL;

    /** The phase {@code --phase} names. */
    public static Phase of(String id) {
      for (Phase p : values()) if (p.name().equalsIgnoreCase(id)) return p;
      throw new UsageException("--phase must be train, sample, evaluate or all, was " + id);
    }

    /** Whether this phase times {@code p}. */
    public boolean includes(Phase p) {
      return this == p || this == ALL;
    }
  }

  /** The transposed-convolution kernel of the networks timed, or both in interleaved blocks. */
  public enum Kernels {
    NATIVE,
    SUBPIXEL,
    BOTH;

    /** The choice {@code --conv-transpose} names. */
    public static Kernels of(String id) {
      for (Kernels k : values()) if (k.id().equals(id)) return k;
      throw new UsageException("--conv-transpose must be native, subpixel or both");
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kernel the networks are built with; both compares sub-pixel against native. */
    public ConvKernel kernel() {
      return this == SUBPIXEL ? ConvKernel.SUB_PIXEL : ConvKernel.NATIVE;
    }
  }
}
