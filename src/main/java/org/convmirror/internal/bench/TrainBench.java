package org.convmirror.internal.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.BatchLoader;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.train.Iteration;
import org.convmirror.internal.train.Objective;
import org.convmirror.spec.ImageShape;

/**
 * Times full training iterations of any {@link Objective} (a GAN's discriminator + generator step,
 * a VAE's step) on synthetic in-memory batches, or on real batches from a source such as the
 * training loader (then the wait for them is the {@code data} phase), phase by phase where the
 * objective names phases.
 */
public final class TrainBench {
  private TrainBench() {}

  /**
   * What the timed iterations measured.
   *
   * @param iterationMs wall time of each timed iteration
   * @param phaseMs mean milliseconds per timed iteration, per phase the objective reports, plus
   *     {@code other} (freeing the iteration's arrays, bookkeeping)
   * @param rssKib resident memory after the given iteration counts (warm-up included)
   * @param last the last iteration's metrics, to show that training ran
   * @param dataPrepareMs milliseconds the loader thread spent preparing one iteration's batches
   *     (reading, converting), or NaN for in-memory batches
   */
  public record Result(
      double[] iterationMs,
      Map<String, Double> phaseMs,
      Map<Integer, Long> rssKib,
      double[] last,
      double dataPrepareMs) {}

  /**
   * Runs {@code warmup} untimed then {@code iterations} timed iterations, on shuffled batches of
   * {@code real} from the training loader (the time spent waiting for them is the {@code data}
   * phase of each iteration), or on in-memory batches when it is null.
   *
   * @param rssAt iteration counts (1-based, warm-up included) after which to record VmRSS
   * @param progress called with the number of iterations done, for a progress line
   */
  public static Result run(
      Objective objective,
      ImageShape image,
      int batch,
      int warmup,
      int iterations,
      long seed,
      int[] rssAt,
      IntConsumer progress,
      ImageSet real) {
    if (real == null) {
      return timed(objective, image, batch, warmup, iterations, seed, rssAt, progress, null);
    }
    try (BatchLoader loader = BatchLoader.start(real, batch, seed, true)) {
      Result r =
          timed(objective, image, batch, warmup, iterations, seed, rssAt, progress, loader::next);
      double perBatch = loader.preparingNanos() / 1e6 / Math.max(1, loader.prepared());
      return new Result(
          r.iterationMs(),
          r.phaseMs(),
          r.rssKib(),
          r.last(),
          perBatch * objective.batchesPerIteration());
    }
  }

  /** Runs the iterations on batches from {@code data}, or on in-memory ones when it is null. */
  private static Result timed(
      Objective objective,
      ImageShape image,
      int batch,
      int warmup,
      int iterations,
      long seed,
      int[] rssAt,
      IntConsumer progress,
      Supplier<Batch> data) {
    int size = batch * image.size();
    // A few distinct batches, cycled: in-memory data, so that uploading them is all the data
    // phase does.
    Random r = new Random(seed);
    float[][] batches = new float[4][size];
    for (float[] b : batches) {
      for (int i = 0; i < size; i++) b[i] = r.nextFloat() * 2 - 1;
    }
    Map<String, Long> nanos = new LinkedHashMap<>();
    boolean[] timing = {false};
    objective.time(
        (phase, ns) -> {
          if (timing[0]) nanos.merge(phase, ns, Long::sum);
        });
    double[] ms = new double[iterations];
    Map<Integer, Long> rss = new LinkedHashMap<>();
    double[] last = null;
    int k = objective.batchesPerIteration();
    int total = warmup + iterations;
    for (int i = 0; i < total; i++) {
      timing[0] = i >= warmup;
      long t = System.nanoTime();
      List<Batch> real = new java.util.ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        real.add(
            data != null
                ? data.get()
                : new Batch(batches[(i * k + j) % batches.length], null, batch, 0, i * k + j));
      }
      if (data != null && timing[0]) nanos.merge("data", System.nanoTime() - t, Long::sum);
      last = objective.step(new Iteration(i, 0, i, total, real));
      long dt = System.nanoTime() - t;
      if (i >= warmup) ms[i - warmup] = dt / 1e6;
      for (int at : rssAt) {
        if (at == i + 1) rss.put(at, Memory.residentKib());
      }
      if (progress != null) progress.accept(i + 1);
    }
    rss.put(total, Memory.residentKib());
    Map<String, Double> phases = new LinkedHashMap<>();
    double sum = 0;
    for (Map.Entry<String, Long> e : nanos.entrySet()) {
      double v = e.getValue() / 1e6 / iterations;
      phases.put(e.getKey(), v);
      sum += v;
    }
    phases.put("other", Stats.mean(ms) - sum);
    return new Result(ms, phases, rss, last, Double.NaN);
  }
}
