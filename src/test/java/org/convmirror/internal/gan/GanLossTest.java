package org.convmirror.internal.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.GanLoss;
import org.junit.jupiter.api.Test;

/** Each objective against its definition, written out in plain Java on tiny batches. */
@Tier.Engine
class GanLossTest {
  private static final float[] REAL = {2.0f, -0.5f, 0.1f};
  private static final float[] FAKE = {-1.5f, 0.3f, 40f};

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double mean(float[] v, java.util.function.DoubleUnaryOperator f) {
    double s = 0;
    for (float x : v) s += f.applyAsDouble(x);
    return s / v.length;
  }

  private static double[] both(GanLoss loss, float realTarget) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray r = m.create(REAL);
      NDArray f = m.create(FAKE);
      return new double[] {
        AdversarialLoss.discriminator(loss, r, f, realTarget).getFloat(),
        AdversarialLoss.generator(loss, f).getFloat()
      };
    }
  }

  @Test
  void bceIsCrossEntropyOfSigmoidWithSmoothing() {
    double t = 0.9;
    // −log(1 − σ(x)) for the fakes: 1 − σ(40) rounds to 0 in double, so use its identity
    // softplus(x).
    double d =
        mean(REAL, x -> -(t * Math.log(sigmoid(x)) + (1 - t) * Math.log(1 - sigmoid(x))))
            + (softplusRef(-1.5) + softplusRef(0.3) + softplusRef(40)) / 3;
    double g = mean(FAKE, x -> -Math.log(sigmoid(x)));
    double[] got = both(GanLoss.BCE, 0.9f);
    assertEquals(d, got[0], 1e-5);
    assertEquals(g, got[1], 1e-5);
  }

  private static double softplusRef(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  @Test
  void lsganHingeAndWasserstein() {
    double[] ls = both(GanLoss.LSGAN, 1f);
    assertEquals(0.5 * (mean(REAL, x -> (x - 1) * (x - 1)) + mean(FAKE, x -> x * x)), ls[0], 1e-4);
    assertEquals(0.5 * mean(FAKE, x -> (x - 1) * (x - 1)), ls[1], 1e-4);
    double[] h = both(GanLoss.HINGE, 1f);
    assertEquals(
        mean(REAL, x -> Math.max(0, 1 - x)) + mean(FAKE, x -> Math.max(0, 1 + x)), h[0], 1e-5);
    assertEquals(-mean(FAKE, x -> x), h[1], 1e-5);
    double[] w = both(GanLoss.WASSERSTEIN, 1f);
    assertEquals(mean(FAKE, x -> x) - mean(REAL, x -> x), w[0], 1e-5);
    assertEquals(-mean(FAKE, x -> x), w[1], 1e-5);
  }

  @Test
  void softplusNeverOverflows() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] v = AdversarialLoss.softplus(m.create(new float[] {-100f, 0f, 100f})).toFloatArray();
      assertEquals(0, v[0], 1e-6);
      assertEquals(Math.log(2), v[1], 1e-6);
      assertEquals(100, v[2], 1e-4);
    }
  }

  @Test
  void softplusGradientIsTheSigmoidEverywhere() {
    float[] at = {-100f, -30f, -1.5f, 0f, 0.3f, 19.9f, 20.1f, 40f, 100f};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(at);
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(AdversarialLoss.softplus(x).sum());
      }
      float[] g = x.getGradient().toFloatArray();
      for (int i = 0; i < at.length; i++) {
        assertEquals(sigmoid(at[i]), g[i], 1e-6, "d softplus / dx at " + at[i]);
      }
    }
  }
}
