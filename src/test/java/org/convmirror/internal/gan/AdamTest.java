package org.convmirror.internal.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.convmirror.internal.nn.Adam;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Our Adam against the update rule of Kingma &amp; Ba (2015), as PyTorch places eps. */
@Tier.Engine
class AdamTest {

  @Test
  void matchesThePlainUpdateRuleAndLeavesNoTemporaries() {
    try (NDManager m = NDManager.newBaseManager()) {
      Linear lin = Linear.builder().setUnits(1).optBias(false).build();
      lin.initialize(m, DataType.FLOAT32, new Shape(1, 2));
      NDArray w = lin.getParameters().get("weight").getArray();
      w.set(new float[] {0.5f, -1f});
      ParameterStore store = new ParameterStore(m, false);
      float lr = 0.1f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
      double[] ref = {0.5, -1};
      double[] mm = new double[2], vv = new double[2];
      float[] x = {1f, 2f};
      try (Adam adam = new Adam(lin, m, lr, b1, b2, eps)) {
        int arrays = m.getManagedArrays().size();
        for (int t = 1; t <= 5; t++) {
          try (NDManager s = m.newSubManager();
              GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y =
                lin.forward(store, new NDList(s.create(x, new Shape(1, 2))), true)
                    .singletonOrThrow();
            gc.backward(y.square().sum()); // L = (w·x)², dL/dw = 2(w·x)x
          }
          adam.step();
          double wx = ref[0] * x[0] + ref[1] * x[1];
          for (int i = 0; i < 2; i++) {
            double g = 2 * wx * x[i];
            mm[i] = b1 * mm[i] + (1 - b1) * g;
            vv[i] = b2 * vv[i] + (1 - b2) * g * g;
            double mh = mm[i] / (1 - Math.pow(b1, t));
            double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            ref[i] -= lr * mh / denom;
          }
          float[] got = w.toFloatArray();
          assertEquals(ref[0], got[0], 1e-5, "step " + t);
          assertEquals(ref[1], got[1], 1e-5, "step " + t);
          try (NDManager s = m.newSubManager()) {
            NDArray g = w.getGradient();
            g.attach(s);
            assertEquals(0f, g.abs().sum().getFloat(), "gradient cleared");
          }
        }
        assertEquals(arrays, m.getManagedArrays().size(), "no temporaries in the model's manager");
        Map<String, NDArray> state = adam.state("x.");
        try (Adam again = new Adam(lin, m, lr, b1, b2, eps)) {
          again.load(state, "x.", adam.steps());
          assertEquals(adam.steps(), again.steps());
          assertEquals(
              state.get("x.adam_m.weight").toFloatArray()[0],
              again.state("y.").get("y.adam_m.weight").toFloatArray()[0]);
        }
      }
    }
  }
}
