package org.convmirror.internal.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Each term against a plain-Java definition on two 1×1×2 "images". */
@Tier.Engine
class VaeLossTest {
  static final Shape IMAGES = new Shape(2, 1, 1, 2);
  static final float[] X = {0f, 0.25f, 1f, 0.5f};
  static final float[] OUT = {-2f, 0.5f, 30f, -40f};

  @Test
  void bernoulliFromLogitsIsTheCrossEntropyOfTheSigmoid() {
    double[] expected = new double[2];
    for (int i = 0; i < 4; i++) {
      double l = OUT[i];
      // log σ(l) and log(1 − σ(l)) written stably by hand: −log(1 + e^−l), −log(1 + e^l).
      double logP = -Math.log1p(Math.exp(-l));
      double logQ = -Math.log1p(Math.exp(l));
      if (Double.isInfinite(logQ)) logQ = -l; // l = 30: log(1 + e^30) ≈ 30
      if (Double.isInfinite(logP)) logP = l;
      expected[i / 2] += -(X[i] * logP + (1 - X[i]) * logQ);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray loss = VaeLoss.bernoulli(m.create(OUT, IMAGES), m.create(X, IMAGES));
      assertEquals(new Shape(2), loss.getShape());
      assertArrayEquals(toFloat(expected), loss.toFloatArray(), 1e-4f);
      // l = 30 with x = 1: the loss is e^−30, not the log(0) a sigmoid-then-log would hit.
      assertEquals(expected[1], loss.toFloatArray()[1], 1e-4);
    }
  }

  @Test
  void gaussianUnitVarianceIsHalfSquaredErrorPlusNormaliser() {
    double[] expected = new double[2];
    for (int i = 0; i < 4; i++) {
      double d = X[i] - OUT[i];
      expected[i / 2] += 0.5 * d * d + 0.5 * Math.log(2 * Math.PI);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray loss = VaeLoss.gaussian(m.create(OUT, IMAGES), m.create(X, IMAGES));
      assertArrayEquals(toFloat(expected), loss.toFloatArray(), 1e-3f);
    }
  }

  @Test
  void gaussianLearnedVarianceIsTheNegativeLogDensity() {
    double s = 0.7; // log σ²
    double[] expected = new double[2];
    for (int i = 0; i < 4; i++) {
      double d = X[i] - OUT[i];
      expected[i / 2] += 0.5 * (d * d / Math.exp(s) + s + Math.log(2 * Math.PI));
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray loss =
          VaeLoss.gaussian(
              m.create(OUT, IMAGES), m.create(X, IMAGES), m.create(new float[] {(float) s}));
      assertArrayEquals(toFloat(expected), loss.toFloatArray(), 1e-2f);
      // s = 0 is the unit-variance case.
      NDArray unit =
          VaeLoss.gaussian(m.create(OUT, IMAGES), m.create(X, IMAGES), m.create(new float[] {0}));
      assertArrayEquals(
          VaeLoss.gaussian(m.create(OUT, IMAGES), m.create(X, IMAGES)).toFloatArray(),
          unit.toFloatArray(),
          1e-3f);
    }
  }

  @Test
  void klIsTheClosedFormSummedOverLatentDimensions() {
    float[] mu = {0f, 0f, 1f, -2f, 0.5f, 0f};
    float[] logVar = {0f, 0f, 0f, 1f, -1f, 2f};
    double[] expected = new double[2];
    for (int i = 0; i < 6; i++) {
      // KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1 − log σ²) per dimension.
      expected[i / 3] += 0.5 * (Math.exp(logVar[i]) + mu[i] * mu[i] - 1 - logVar[i]);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray kl = VaeLoss.kl(m.create(mu, new Shape(2, 3)), m.create(logVar, new Shape(2, 3)));
      assertEquals(new Shape(2), kl.getShape());
      assertArrayEquals(toFloat(expected), kl.toFloatArray(), 1e-5f);
      assertEquals(0.5, expected[0], 1e-12); // only μ = 1 in image 0 costs anything
    }
  }

  @Test
  void floorIsTheSelfCrossEntropyPerImage() {
    // Pixels in [-1, 1]: −1 → 0 and 1 → 1 cost nothing; 0 → ½ costs log 2.
    float[] pixels = {-1f, 1f, 0f, 0f, 0f, -1f};
    ImageSet set = ImageSet.of(1, 1, 3, pixels, null, "test");
    assertEquals((Math.log(2) + 2 * Math.log(2)) / 2, BernoulliFloor.nats(set), 1e-6);
    assertEquals(0, BernoulliFloor.entropy(1.0000001), 0);
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }
}
