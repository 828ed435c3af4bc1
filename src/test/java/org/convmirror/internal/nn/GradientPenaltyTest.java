package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases and the errors for misuse; see also the golden and finite-difference tests.
 */
@Tier.Engine
class GradientPenaltyTest {

  private static float[] weightGradient(SequentialBlock critic) {
    return critic.getParameters().get(0).getValue().getArray().getGradient().toFloatArray();
  }

  /** D(x) = w·x, or (w·x)² when {@code squared}, with w = (3, 4). */
  private static SequentialBlock critic(NDManager m, int n, boolean squared) {
    SequentialBlock d =
        new SequentialBlock().add(Linear.builder().setUnits(1).optBias(false).build());
    if (squared) d.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().square())));
    d.initialize(m, DataType.FLOAT32, new Shape(n, 2));
    d.getParameters().get(0).getValue().getArray().set(new float[] {3, 4});
    return d;
  }

  private interface Penalty {
    GradientPenalty.Result of(UnaryOperator<NDArray> critic, NDArray real, NDArray fake);
  }

  /** The penalty's value, then its gradient with respect to w after {@code gc.backward}. */
  private static float[] run(SequentialBlock d, float[] real, float[] fake, Penalty p) {
    try (NDManager m = NDManager.newBaseManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      int n = real.length / 2;
      NDArray penalty =
          p.of(
                  GradientPenalty.critic(d, new ParameterStore(m, false)),
                  m.create(real, new Shape(n, 2)),
                  m.create(fake, new Shape(n, 2)))
              .penalty();
      gc.backward(penalty);
      float[] g = weightGradient(d);
      return new float[] {penalty.getFloat(), g[0], g[1]};
    }
  }

  @Test
  void linearCriticHasTheClosedForm() {
    try (NDManager m = NDManager.newBaseManager()) {
      // ∇ₓD = w for every x: ‖w‖ = 5, so WGAN-GP = λ(5 − 1)² and its gradient 2λ(‖w‖ − 1)·w/‖w‖.
      float[] gp =
          run(
              critic(m, 2, false),
              new float[] {1, 2, -1, 0},
              new float[] {0, 1, 3, 3},
              (c, x, f) -> GradientPenalty.wganGp(c, x, f, new float[] {0.3f, 0.9f}, 10));
      assertArrayEquals(new float[] {160, 48, 64}, gp, 1e-3f);
      // R1 = γ/2·‖w‖², gradient γ·w.
      float[] r1 =
          run(
              critic(m, 2, false),
              new float[] {1, 2, -1, 0},
              new float[] {0, 0, 0, 0},
              (c, x, f) -> GradientPenalty.r1(c, x, 2));
      assertArrayEquals(new float[] {25, 6, 8}, r1, 1e-4f);
    }
  }

  @Test
  void quadraticCriticMatchesHandComputedSecondOrderTerms() {
    try (NDManager m = NDManager.newBaseManager()) {
      // D = (w·x)²: ∇ₓD = 2(w·x)w, ‖∇ₓD‖ = 2|w·x|‖w‖. At x = (1, 2): w·x = 11, ‖∇‖ = 110;
      // R1 (γ = 2) = 4(w·x)²‖w‖² = 12100, d/dw = 8(w·x)(x‖w‖² + (w·x)w) = 88·(58, 94).
      float[] r1 =
          run(
              critic(m, 1, true),
              new float[] {1, 2},
              new float[] {0, 0},
              (c, x, f) -> GradientPenalty.r1(c, x, 2));
      assertArrayEquals(new float[] {12100, 5104, 8272}, r1, 0.05f);
      // x̂ = 0.25·(1, 2) + 0.75·(3, −1) = (2.5, −0.25): w·x̂ = 6.5, ‖∇‖ = 65, WGAN-GP (λ = 10)
      // = 10·64² = 40960; d/dw = 2λ(‖∇‖ − 1)·2(x̂‖w‖ + (w·x̂)w/‖w‖) = 1280·(32.8, 7.9).
      float[] gp =
          run(
              critic(m, 1, true),
              new float[] {1, 2},
              new float[] {3, -1},
              (c, x, f) -> GradientPenalty.wganGp(c, x, f, new float[] {0.25f}, 10));
      assertArrayEquals(new float[] {40960, 41984, 10112}, gp, 0.2f);
    }
  }

  @Test
  void r1ReturnsTheCriticOutputOnTheRealBatch() {
    try (NDManager m = NDManager.newBaseManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      SequentialBlock d = critic(m, 2, false);
      NDArray real = m.create(new float[] {1, 2, -1, 0}, new Shape(2, 2));
      var r = GradientPenalty.r1(GradientPenalty.critic(d, new ParameterStore(m, false)), real, 1);
      assertArrayEquals(new float[] {11, -3}, r.output().toFloatArray());
      assertEquals(m, r.penalty().getManager(), "results belong to the batch's manager");
      gc.backward(r.output().sum().add(r.penalty()));
      assertTrue(!real.hasGradient(), "the real batch itself never requires a gradient");
    }
  }

  @Test
  void misuseIsOneClearError() {
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock d = critic(m, 2, false);
      UnaryOperator<NDArray> c = GradientPenalty.critic(d, new ParameterStore(m, false));
      NDArray x = m.create(new float[] {1, 2, -1, 0}, new Shape(2, 2));
      NDArray three = m.zeros(new Shape(3, 2));
      var outside = assertThrows(IllegalStateException.class, () -> GradientPenalty.r1(c, x, 1));
      assertEquals(
          "a gradient penalty needs autograd recording: compute it inside a GradientCollector",
          outside.getMessage());
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        assertThrows(
            IllegalArgumentException.class,
            () -> GradientPenalty.wganGp(c, x, three, new float[] {0, 1}, 10),
            "shapes differ");
        var count =
            assertThrows(
                IllegalArgumentException.class,
                () -> GradientPenalty.wganGp(c, x, x, new float[] {0.5f}, 10));
        assertEquals("WGAN-GP: 1 interpolation weights for a batch of 2", count.getMessage());
        var range =
            assertThrows(
                IllegalArgumentException.class,
                () -> GradientPenalty.wganGp(c, x, x, new float[] {0.5f, 1.5f}, 10));
        assertEquals("WGAN-GP: interpolation weight 1.5 not in [0, 1]", range.getMessage());
      }
    }
  }

  @Test
  void lazyRegularisationWeighsDueStepsByTheInterval() {
    LazyRegularisation lazy = new LazyRegularisation(16);
    assertTrue(lazy.due(0) && lazy.due(32) && !lazy.due(1) && !lazy.due(15));
    assertEquals(160f, lazy.weight(10));
    assertEquals(16 / 17.0, lazy.adamRatio(), 1e-15);
    assertTrue(new LazyRegularisation(1).due(7));
    var e = assertThrows(IllegalArgumentException.class, () -> new LazyRegularisation(0));
    assertEquals("penalty interval must be >= 1, was 0", e.getMessage());
  }
}
