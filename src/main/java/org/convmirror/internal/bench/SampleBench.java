package org.convmirror.internal.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.internal.train.Randomness;
import org.convmirror.spec.ModelSpec;

/**
 * Times drawing images from a model as {@code convmirror sample} does — latent vectors drawn in
 * Java and uploaded, the generator (or the VAE's decoder and its sigmoid) in inference mode, pixels
 * back in the JVM — at several batch sizes; batch 1 is the latency a service sees.
 */
public final class SampleBench {
  private SampleBench() {}

  /** One batch size's timings: median and 90th percentile per call, throughput, useful work. */
  public record Row(int batch, double msMedian, double msP90, double imagesPerSecond) {
    /** Useful GFLOP/s at {@code macsPerImage} multiply-accumulates per image: 2·batch·G. */
    public double usefulGflops(long macsPerImage) {
      return 2.0 * macsPerImage * imagesPerSecond / 1e9;
    }
  }

  /**
   * Times {@code reps} calls per batch size after {@code warmup} untimed ones.
   *
   * @param spec the model; its weights are freshly initialised (speed does not depend on them)
   * @param kernel how its transposed convolutions are computed
   */
  public static Map<Integer, Row> run(
      ModelSpec spec, ConvKernel kernel, int[] batches, int warmup, int reps, long seed) {
    Map<Integer, Row> rows = new LinkedHashMap<>();
    // Standing statistics once, as a loaded model does.
    try (LoadedModel model = LoadedModel.untrained(spec, kernel, seed)) {
      int latent = model.latentSize();
      for (int batch : batches) {
        double[] ms = new double[reps];
        for (int i = -warmup; i < reps; i++) {
          long t = System.nanoTime();
          float[] z = Randomness.latents(seed + i, 0, batch, latent);
          model.decode(z, model.labels(LoadedModel.ANY, 0, batch), batch);
          if (i >= 0) ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double median = Stats.median(ms);
        rows.put(batch, new Row(batch, median, percentile(ms, 0.9), batch / (median / 1e3)));
      }
    }
    return rows;
  }

  private static double percentile(double[] v, double q) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c[Math.min(c.length - 1, (int) Math.ceil(q * c.length) - 1)];
  }
}
