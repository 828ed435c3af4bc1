package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** The fused Adam step (one engine call per network) against the op-by-op one. */
@Tier.Engine
class FusedUpdatesTest {

  /** Conv + batch norm + linear: weights of odd sizes (vector tails) and untrainable state. */
  static SequentialBlock network(NDManager m, int seed) {
    SequentialBlock b =
        new SequentialBlock()
            .add(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)).build())
            .add(BatchNorm.builder().build())
            .add(ai.djl.nn.Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build());
    Engine.getInstance().setRandomSeed(seed);
    b.initialize(m, DataType.FLOAT32, new Shape(2, 2, 6, 6));
    return b;
  }

  static List<Parameter> trainable(SequentialBlock b) {
    return b.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
  }

  /**
   * Leaves {@code gradients[i]} on trainable parameter i: the loss Σ g·w has exactly that gradient,
   * so both optimizers see the same gradients however far their weights drift.
   */
  static void backward(SequentialBlock b, NDManager m, float[][] gradients) {
    List<Parameter> ps = trainable(b);
    try (NDManager s = m.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = s.zeros(new Shape());
      for (int i = 0; i < ps.size(); i++) {
        NDArray w = ps.get(i).getArray();
        loss = loss.add(w.mul(s.create(gradients[i], w.getShape())).sum());
      }
      gc.backward(loss);
    }
  }

  static float[][] randomGradients(SequentialBlock b, Random r, int step) {
    List<Parameter> ps = trainable(b);
    float[][] g = new float[ps.size()][];
    for (int i = 0; i < g.length; i++) {
      g[i] = new float[(int) ps.get(i).getArray().size()];
      // Scales from 1e-4 to 10, and an all-zero gradient now and then (v decays towards eps).
      double scale = step % 17 == 0 ? 0 : Math.pow(10, (i + step) % 6 - 4);
      for (int k = 0; k < g[i].length; k++) g[i][k] = (float) (r.nextGaussian() * scale);
    }
    return g;
  }

  /** Largest difference relative to max(1, |x|): 1e-6 is a few float32 roundings. */
  static double maxDifference(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double d = 0;
    for (int i = 0; i < x.length; i++) {
      d = Math.max(d, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(x[i])));
    }
    return d;
  }

  static float maxGradient(SequentialBlock b) {
    float d = 0;
    for (Parameter p : trainable(b)) {
      for (float x : p.getArray().getGradient().toFloatArray()) d = Math.max(d, Math.abs(x));
    }
    return d;
  }

  static void assertSame(SequentialBlock a, Adam fa, SequentialBlock b, Adam fb, String when) {
    List<Parameter> pa = a.getParameters().values();
    List<Parameter> pb = b.getParameters().values();
    for (int i = 0; i < pa.size(); i++) {
      double d = maxDifference(pa.get(i).getArray(), pb.get(i).getArray());
      assertEquals(0, d, 1e-6, pa.get(i).getName() + " " + when);
    }
    Map<String, NDArray> sa = fa.state("");
    Map<String, NDArray> sb = fb.state("");
    for (String k : sa.keySet()) {
      assertEquals(0, maxDifference(sa.get(k), sb.get(k)), 1e-6, k + " " + when);
    }
    assertEquals(fa.steps(), fb.steps());
  }

  /** Steps {@code from..to} with the same gradients on both sides, comparing every 25 steps. */
  static void stepBoth(
      SequentialBlock a,
      Adam fa,
      SequentialBlock b,
      Adam fb,
      NDManager m,
      Random r,
      int from,
      int to) {
    for (int t = from; t <= to; t++) {
      float[][] g = randomGradients(a, r, t);
      backward(a, m, g);
      backward(b, m, g);
      fa.step();
      fb.step();
      if (t % 25 == 0 || t == to) {
        assertSame(a, fa, b, fb, "after step " + t);
        assertEquals(0f, maxGradient(a), "fused step clears the gradients");
        assertEquals(0f, maxGradient(b), "unfused step clears the gradients");
      }
    }
  }

  @Test
  void theModuleLoadsOnThisEngine() {
    // Otherwise every training run would silently take the op-by-op path.
    assertTrue(FusedUpdates.enabled(), "fused_updates.pt did not load on libtorch");
  }

  @Test
  void fusedStepEqualsTheUnfusedStepOverManyStepsAndAfterALoad() {
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock a = network(m, 3);
      SequentialBlock b = network(m, 3);
      float lr = 1e-2f;
      Random r = new Random(5);
      try (Adam fused = new Adam(a, m, lr, 0.5f, 0.999f, 1e-8f, true);
          Adam plain = new Adam(b, m, lr, 0.5f, 0.999f, 1e-8f, false)) {
        // Two steps before any backward pass: a missing gradient counts as zero on both paths.
        for (int t = 1; t <= 2; t++) {
          fused.step();
          plain.step();
        }
        assertSame(a, fused, b, plain, "after two steps without gradients");
        stepBoth(a, fused, b, plain, m, r, 3, 300);
        // A resumed run: moments and step count restored into a fresh fused optimizer.
        try (Adam resumed = new Adam(a, m, lr, 0.5f, 0.999f, 1e-8f, true)) {
          resumed.load(fused.state("x."), "x.", fused.steps());
          stepBoth(a, resumed, b, plain, m, r, 301, 340);
        }
      }
    }
  }

  @Test
  void zeroGradientsClearsBothWaysAndSkipsParametersWithoutOne() {
    for (boolean fused : new boolean[] {true, false}) {
      try (NDManager m = NDManager.newBaseManager()) {
        SequentialBlock a = network(m, 4);
        try (Adam adam = new Adam(a, m, 1e-3f, 0.5f, 0.999f, 1e-8f, fused)) {
          adam.zeroGradients(); // before any backward pass: nothing to clear, no failure
          backward(a, m, randomGradients(a, new Random(1), 1));
          assertTrue(maxGradient(a) > 0);
          float[] before = trainable(a).get(0).getArray().toFloatArray();
          adam.zeroGradients();
          assertEquals(0f, maxGradient(a), "fused " + fused);
          assertEquals(
              before[0], trainable(a).get(0).getArray().toFloatArray()[0], "weights untouched");
        }
      }
    }
  }

  @Test
  void clampClipsTrainableWeightsOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock a = network(m, 7);
      Parameter gamma = a.getParameters().get("02BatchNorm_gamma");
      Parameter runningVar = a.getParameters().get("02BatchNorm_runningVar");
      runningVar.getArray().set(new float[] {3f, -3f, 0.5f, 2f, 1f});
      FusedUpdates.clamp(a, 0.25f);
      for (Parameter p : trainable(a)) {
        for (float x : p.getArray().toFloatArray()) assertTrue(Math.abs(x) <= 0.25f, p.getName());
      }
      assertEquals(0.25f, gamma.getArray().toFloatArray()[0], "gamma starts at 1: clipped");
      assertEquals(3f, runningVar.getArray().toFloatArray()[0], "running statistics untouched");
    }
  }

  @Test
  void frozenWeightsGetNoGradientWhileTheInputStillDoes() {
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock a = network(m, 8);
      ParameterStore store = new ParameterStore(m, false);
      for (boolean frozen : new boolean[] {true, false}) {
        FusedUpdates.requireGradients(a, !frozen);
        try (NDManager s = m.newSubManager()) {
          NDArray x = s.randomNormal(new Shape(2, 2, 6, 6));
          x.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(a.forward(store, new NDList(x), true).singletonOrThrow().sum());
          }
          assertTrue(x.getGradient().abs().sum().getFloat() > 0, "the input's gradient flows");
          assertEquals(frozen ? 0f : 1f, Math.signum(maxGradient(a)), "frozen " + frozen);
        }
      }
      for (Parameter p : a.getParameters().values()) {
        assertEquals(p.requiresGradient(), p.getArray().hasGradient(), p.getName());
      }
    }
  }
}
