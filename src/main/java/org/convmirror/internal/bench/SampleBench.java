package org.convmirror.internal.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeSampler;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelKind;
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
   */
  public static Map<Integer, Row> run(
      ModelSpec spec, int[] batches, int warmup, int reps, long seed) {
    Map<Integer, Row> rows = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      Sampler s = sampler(spec, manager, seed);
      for (int batch : batches) {
        double[] ms = new double[reps];
        for (int i = -warmup; i < reps; i++) {
          long t = System.nanoTime();
          s.draw(batch, seed + i);
          if (i >= 0) ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double median = Stats.median(ms);
        rows.put(batch, new Row(batch, median, percentile(ms, 0.9), batch / (median / 1e3)));
      }
    }
    return rows;
  }

  /** Draws {@code n} images from latent seed {@code seed} and brings their pixels back. */
  private interface Sampler {
    float[] draw(int n, long seed);
  }

  private static Sampler sampler(ModelSpec spec, NDManager manager, long seed) {
    int latent = spec.latent();
    if (spec.kind() == ModelKind.VAE) {
      VaeModel vae = new VaeModel(spec, manager, seed);
      return (n, s) -> {
        try (NDManager tmp = manager.newSubManager()) {
          NDArray z = tmp.create(Randomness.latents(s, 0, n, latent), vae.latentShape(n));
          return VaeSampler.decode(vae, z);
        }
      };
    }
    DeconvNet g = Mirror.of(spec);
    SequentialBlock generator = Networks.of(g);
    generator.initialize(manager, DataType.FLOAT32, Networks.latentShape(g, 2));
    ParameterStore store = new ParameterStore(manager, false);
    GanSampler.prepare(generator, g, store, manager, seed); // once, as a loaded model does
    return (n, s) -> {
      try (NDManager tmp = manager.newSubManager()) {
        NDArray z = tmp.create(Randomness.latents(s, 0, n, latent), Networks.latentShape(g, n));
        return GanSampler.forward(generator, store, manager, z);
      }
    };
  }

  private static double percentile(double[] v, double q) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c[Math.min(c.length - 1, (int) Math.ceil(q * c.length) - 1)];
  }
}
