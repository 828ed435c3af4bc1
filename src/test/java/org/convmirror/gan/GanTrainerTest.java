package org.convmirror.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.convmirror.data.ImageSet;
import org.convmirror.data.Synthetic;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

class GanTrainerTest {
  static final ModelSpec TINY =
      ModelSpec.gan(
          new ConvNet(
              ImageShape.of(1, 12, 12),
              List.of(
                  ConvBlock.builder(8, 4).stride(2).padding(1).build(),
                  ConvBlock.builder(16, 4)
                      .stride(2)
                      .padding(1)
                      .batchNorm(true)
                      .spectralNorm(true)
                      .build(),
                  ConvBlock.builder(1, 3).activation(Activation.NONE).build())),
          8);

  private static float sumAbsGrad(SequentialBlock b, NDManager m) {
    float s = 0;
    try (NDManager tmp = m.newSubManager()) {
      for (Parameter p : b.getParameters().values()) {
        if (!p.requiresGradient()) continue;
        NDArray g = p.getArray().getGradient();
        g.attach(tmp);
        s += g.abs().sum().getFloat();
      }
    }
    return s;
  }

  private static float[] first(SequentialBlock b) {
    return b.getParameters().valueAt(0).getArray().toFloatArray();
  }

  @Test
  void eachNetworkOnlyMovesByItsOwnStepAndMemoryStaysFlat() {
    ImageSet data = Synthetic.generate(64, 1, 12, 12, 3);
    float[] batch = new float[16 * 144];
    for (int i = 0; i < 16; i++) data.copyImage(i, batch, i * 144);
    for (GanLoss loss : GanLoss.values()) {
      try (NDManager m = NDManager.newBaseManager();
          GanTrainer t =
              new GanTrainer(
                  TINY, new GanOptions(loss, 2e-4f, 0.5f, 0.999f, 2, 0.9f, 0.01f), m, 7)) {
        float[] g0 = first(t.generator());
        float[] d0 = first(t.discriminator());
        StepStats s = t.step(new float[][] {batch, batch}, 16);
        assertTrue(s.finite(), loss + " " + s);
        assertNotEquals(g0[0], first(t.generator())[0], loss + ": generator moved");
        assertNotEquals(d0[0], first(t.discriminator())[0], loss + ": discriminator moved");
        assertEquals(
            0f,
            sumAbsGrad(t.discriminator(), m),
            loss + ": D's gradients cleared after the G step");
        assertEquals(0f, sumAbsGrad(t.generator(), m), loss + ": G's gradients cleared");
        assertEquals(2, t.discriminatorOptimizer().steps());
        assertEquals(1, t.generatorOptimizer().steps());
        if (loss == GanLoss.WASSERSTEIN) {
          for (Parameter p : t.discriminator().getParameters().values()) {
            if (!p.requiresGradient()) continue;
            for (float w : p.getArray().toFloatArray())
              assertTrue(Math.abs(w) <= 0.01f + 1e-7, "clipped");
          }
        }
        int arrays = t.manager().getManagedArrays().size();
        for (int i = 0; i < 30; i++) t.step(new float[][] {batch, batch}, 16);
        assertEquals(
            arrays,
            t.manager().getManagedArrays().size(),
            loss + ": no arrays accumulate per step");
      }
    }
  }
}
