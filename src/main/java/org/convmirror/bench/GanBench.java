package org.convmirror.bench;

import ai.djl.ndarray.NDManager;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import org.convmirror.gan.GanOptions;
import org.convmirror.gan.GanTrainer;
import org.convmirror.gan.StepStats;
import org.convmirror.gan.StepTimer;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.ModelSpec;

/**
 * Times full GAN training iterations ({@link GanTrainer#step}: discriminator step + generator step,
 * DCGAN options) on synthetic in-memory batches, phase by phase.
 */
public final class GanBench {
  private GanBench() {}

  /**
   * What the timed iterations measured.
   *
   * @param iterationMs wall time of each timed iteration
   * @param phaseMs mean milliseconds per timed iteration, per phase, plus {@code other} (freeing
   *     the iteration's arrays, bookkeeping)
   * @param rssKib resident memory after the given iteration counts (warm-up included)
   * @param last the last iteration's losses, to show that training ran
   */
  public record Result(
      double[] iterationMs,
      Map<String, Double> phaseMs,
      Map<Integer, Long> rssKib,
      StepStats last) {}

  /**
   * Runs {@code warmup} untimed then {@code iterations} timed iterations.
   *
   * @param rssAt iteration counts (1-based, warm-up included) after which to record VmRSS
   * @param progress called with the number of iterations done, for a progress line
   */
  public static Result run(
      ModelSpec spec,
      NDManager manager,
      int batch,
      int warmup,
      int iterations,
      long seed,
      int[] rssAt,
      IntConsumer progress) {
    ImageShape image = spec.image();
    int size = batch * image.channels() * image.height() * image.width();
    // A few distinct batches, cycled: in-memory data, so that the data phase is the copy into
    // libtorch and nothing else.
    Random r = new Random(seed);
    float[][] batches = new float[4][size];
    for (float[] b : batches) {
      for (int i = 0; i < size; i++) b[i] = r.nextFloat() * 2 - 1;
    }
    EnumMap<StepTimer.Phase, Long> nanos = new EnumMap<>(StepTimer.Phase.class);
    for (StepTimer.Phase p : StepTimer.Phase.values()) nanos.put(p, 0L);
    boolean[] timing = {false};
    StepTimer timer =
        (phase, ns) -> {
          if (timing[0]) nanos.merge(phase, ns, Long::sum);
        };
    double[] ms = new double[iterations];
    Map<Integer, Long> rss = new LinkedHashMap<>();
    StepStats last = null;
    try (GanTrainer trainer = new GanTrainer(spec, GanOptions.dcgan(), manager, seed)) {
      int total = warmup + iterations;
      for (int i = 0; i < total; i++) {
        timing[0] = i >= warmup;
        long t = System.nanoTime();
        last = trainer.step(new float[][] {batches[i % batches.length]}, batch, timer);
        long dt = System.nanoTime() - t;
        if (i >= warmup) ms[i - warmup] = dt / 1e6;
        for (int at : rssAt) {
          if (at == i + 1) rss.put(at, Memory.residentKib());
        }
        if (progress != null) progress.accept(i + 1);
      }
      rss.put(total, Memory.residentKib());
    }
    Map<String, Double> phases = new LinkedHashMap<>();
    double sum = 0;
    for (StepTimer.Phase p : StepTimer.Phase.values()) {
      double v = nanos.get(p) / 1e6 / iterations;
      phases.put(p.name().toLowerCase(java.util.Locale.ROOT), v);
      sum += v;
    }
    phases.put("other", Stats.mean(ms) - sum);
    return new Result(ms, phases, rss, last);
  }
}
