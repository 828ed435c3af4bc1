package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.Seeds;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;
import org.junit.jupiter.api.Test;

@Tier.Engine
class StandingStatsTest {
  /** Dense → BN(24) → reshape → transposed conv → BN(4 channels, 4×4) → transposed conv. */
  private static final String TINY =
      """
      image: {channels: 1, height: 8, width: 8}
      latent: 3
      discriminator:
        conv:
          - {filters: 4, kernel: 4, stride: 2, padding: 1, activation: leaky_relu}
          - {filters: 6, kernel: 4, stride: 2, padding: 1, batch_norm: true, activation: leaky_relu}
        dense:
          - {units: 1, activation: none}
      """;

  /**
   * As TINY but with dropout on the generator's dense blocks; {@link #withSpectralNorm} adds
   * spectral norm to them (model files refuse spectral_norm under generator, so it is set on the
   * spec).
   */
  private static final String SN_DROPOUT =
      """
      image: {channels: 1, height: 8, width: 8}
      latent: 3
      discriminator:
        conv:
          - {filters: 4, kernel: 4, stride: 2, padding: 1, activation: leaky_relu}
        dense:
          - {units: 5, activation: leaky_relu}
          - {units: 1, activation: none}
      generator: {dropout: 0.3}
      """;

  private static final long SEED = 7;

  private static SequentialBlock generator(String yaml, NDManager m, Shape[] latent) {
    DeconvNet g = Mirror.of(ModelFiles.parse(yaml, "tiny.yaml"));
    if (yaml.equals(SN_DROPOUT)) g = withSpectralNorm(g);
    SequentialBlock block = Networks.of(g);
    Engine.getInstance().setRandomSeed(3);
    block.initialize(m, DataType.FLOAT32, Networks.latentShape(g, 2));
    latent[0] = Networks.latentShape(g, StandingStats.BATCH);
    return block;
  }

  private static DeconvNet withSpectralNorm(DeconvNet g) {
    List<DenseBlock> dense = new ArrayList<>();
    for (DenseBlock d : g.dense()) {
      dense.add(
          new DenseBlock(d.units(), d.bias(), d.batchNorm(), true, d.activation(), d.dropout()));
    }
    return new DeconvNet(g.latent(), dense, g.reshape(), g.deconv());
  }

  /** Per-channel mean and unbiased variance over every axis but 1, in double precision. */
  private static double[][] batchMoments(NDArray x) {
    long[] s = x.getShape().getShape();
    int channels = (int) s[1];
    int inner = 1;
    for (int d = 2; d < s.length; d++) inner *= (int) s[d];
    float[] v = x.toFloatArray();
    int n = (int) s[0] * inner;
    double[][] out = new double[2][channels];
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int b = 0; b < s[0]; b++) {
        for (int i = 0; i < inner; i++) sum += v[(b * channels + c) * inner + i];
      }
      double mean = sum / n;
      double sq = 0;
      for (int b = 0; b < s[0]; b++) {
        for (int i = 0; i < inner; i++) {
          double d = v[(b * channels + c) * inner + i] - mean;
          sq += d * d;
        }
      }
      out[0][c] = mean;
      out[1][c] = sq / (n - 1);
    }
    return out;
  }

  /**
   * The reference: for every pass, the layers run one by one in training mode on the same noise;
   * the input of each batch norm is captured and its moments computed in plain Java.
   */
  private static List<double[][]> reference(
      SequentialBlock g, ParameterStore store, NDManager m, Shape latent) {
    List<double[][]> sums = new ArrayList<>();
    for (int pass = 0; pass < StandingStats.PASSES; pass++) {
      float[] z = Seeds.gaussian(Seeds.random(SEED, 0, pass), (int) latent.size());
      try (NDManager tmp = m.newSubManager()) {
        NDArray x = tmp.create(z, latent);
        int k = 0;
        for (Block child : g.getChildren().values()) {
          if (child instanceof BatchNorm) {
            double[][] moments = batchMoments(x);
            if (sums.size() == k) sums.add(new double[2][moments[0].length]);
            for (int j = 0; j < 2; j++) {
              for (int c = 0; c < moments[j].length; c++) {
                sums.get(k)[j][c] += moments[j][c] / StandingStats.PASSES;
              }
            }
            k++;
          }
          x = child.forward(store, new NDList(x), true).singletonOrThrow();
        }
      }
    }
    return sums;
  }

  private static List<float[][]> statistics(SequentialBlock g) {
    List<float[][]> out = new ArrayList<>();
    for (Block child : g.getChildren().values()) {
      if (!(child instanceof BatchNorm)) continue;
      float[][] s = new float[2][];
      for (Parameter p : child.getDirectParameters().values()) {
        if (p.getType() == Parameter.Type.RUNNING_MEAN) s[0] = p.getArray().toFloatArray();
        if (p.getType() == Parameter.Type.RUNNING_VAR) s[1] = p.getArray().toFloatArray();
      }
      out.add(s);
    }
    return out;
  }

  @Test
  void statisticsAreTheExactAverageOfEveryBatchNormsBatchMoments() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape[] latent = new Shape[1];
      SequentialBlock g = generator(TINY, m, latent);
      ParameterStore store = new ParameterStore(m, false);
      List<double[][]> expected = reference(g, store, m, latent[0]);
      StandingStats.recompute(g, store, m, latent[0], SEED);
      List<float[][]> actual = statistics(g);
      assertEquals(2, actual.size());
      assertEquals(24, actual.get(0)[0].length); // the dense block's batch norm, (N, 24)
      assertEquals(4, actual.get(1)[0].length); // the transposed conv's, (N, 4, 4, 4)
      for (int k = 0; k < 2; k++) {
        for (int j = 0; j < 2; j++) {
          for (int c = 0; c < expected.get(k)[j].length; c++) {
            double e = expected.get(k)[j][c];
            double a = actual.get(k)[j][c];
            String what = "batch norm " + k + (j == 0 ? " mean" : " variance") + "[" + c + "]";
            // An exponential average (the old method) is off by 3.4% of the reset value.
            assertEquals(e, a, 2e-6 + 2e-5 * Math.abs(e), what);
          }
        }
      }
      assertTrue(actual.get(1)[1][0] > 1e-4, "a real variance, not a reset value");
    }
  }

  @Test
  void samplesDoNotDependOnTheSamplingBatchSize() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape[] latent = new Shape[1];
      SequentialBlock g = generator(TINY, m, latent);
      ParameterStore store = new ParameterStore(m, false);
      StandingStats.recompute(g, store, m, latent[0], SEED);
      NDArray z = m.create(Seeds.gaussian(Seeds.random(1, 185, 0), 7 * 3));
      float[] together = g.forward(store, new NDList(z.reshape(7, 3)), false).head().toFloatArray();
      for (int i = 0; i < 7; i++) {
        float[] alone =
            g.forward(store, new NDList(z.reshape(7, 3).get(i).reshape(1, 3)), false)
                .head()
                .toFloatArray();
        for (int j = 0; j < alone.length; j++) {
          assertEquals(together[i * alone.length + j], alone[j], 1e-6, "sample " + i);
        }
      }
    }
  }

  @Test
  void leavesSpectralNormStateAloneSkipsDropoutAndIgnoresTheEngineGenerator() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape[] latent = new Shape[1];
      SequentialBlock g = spectralGenerator(SN_DROPOUT, m, latent);
      ParameterStore store = new ParameterStore(m, false);
      List<float[]> before = spectralState(g);
      assertEquals(4, before.size(), "u and v of two spectrally normalised dense layers");
      Engine.getInstance().setRandomSeed(1);
      StandingStats.recompute(g, store, m, latent[0], SEED);
      List<float[][]> first = statistics(g);
      Engine.getInstance().setRandomSeed(2); // dropout would draw from it; it must not matter
      StandingStats.recompute(g, store, m, latent[0], SEED);
      List<float[][]> second = statistics(g);
      List<float[]> after = spectralState(g);
      for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i));
      for (int k = 0; k < first.size(); k++) {
        for (int j = 0; j < 2; j++) {
          assertArrayEquals(first.get(k)[j], second.get(k)[j], "batch norm " + k);
          for (float v : first.get(k)[j]) assertTrue(Float.isFinite(v));
        }
      }
    }
  }

  /**
   * The mirror with spectrally normalised dense blocks, built by hand: a model file cannot ask for
   * spectral norm on the derived half, but a DeconvNet can hold it, so StandingStats must keep it.
   */
  private static SequentialBlock spectralGenerator(String yaml, NDManager m, Shape[] latent) {
    DeconvNet base = Mirror.of(ModelFiles.parse(yaml, "tiny.yaml"));
    DeconvNet g =
        new DeconvNet(
            base.latent(),
            base.dense().stream()
                .map(
                    d ->
                        new DenseBlock(
                            d.units(), d.bias(), d.batchNorm(), true, d.activation(), d.dropout()))
                .toList(),
            base.reshape(),
            base.deconv());
    SequentialBlock block = Networks.of(g);
    Engine.getInstance().setRandomSeed(3);
    block.initialize(m, DataType.FLOAT32, Networks.latentShape(g, 2));
    latent[0] = Networks.latentShape(g, StandingStats.BATCH);
    return block;
  }

  private static List<float[]> spectralState(Block g) {
    List<float[]> out = new ArrayList<>();
    for (Parameter p : g.getParameters().values()) {
      if (p.getName().equals("u") || p.getName().equals("v")) {
        out.add(p.getArray().toFloatArray());
      }
    }
    return out;
  }
}
