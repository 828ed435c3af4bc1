package org.convmirror.internal.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.Average;
import org.junit.jupiter.api.Test;

@Tier.Engine
class GeneratorAverageTest {

  @Test
  void decayRampsWithImagesSeen() {
    Average a = Average.STYLEGAN;
    assertEquals(0f, a.decay(0, 64));
    // 5% of 20,000 images = 1,000-image half-life: 0.5^(64/1000).
    assertEquals(Math.pow(0.5, 0.064), a.decay(20_000, 64), 1e-6);
    // From 200,000 images on, the full 10k-image half-life.
    assertEquals(Math.pow(0.5, 0.0064), a.decay(1_000_000, 64), 1e-6);
    // Without a ramp the half-life holds from the start; off means the live weights.
    assertEquals(
        Math.pow(0.5, 0.064),
        Average.builder().halfLifeImages(1000).rampUp(0).build().decay(0, 64),
        1e-6);
    assertEquals(0f, Average.OFF.decay(1_000_000, 64));
  }

  @Test
  void averageMovesTowardTheLiveWeightsWithoutTemporaries() {
    for (boolean fused : new boolean[] {true, false}) {
      averageMovesTowardTheLiveWeightsWithoutTemporaries(fused);
    }
  }

  private static void averageMovesTowardTheLiveWeightsWithoutTemporaries(boolean fused) {
    try (NDManager m = NDManager.newBaseManager()) {
      Linear live = Linear.builder().setUnits(2).build();
      Linear avg = Linear.builder().setUnits(2).build();
      live.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      avg.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      live.getParameters().get("weight").getArray().set(new float[] {1f, 2f});
      avg.getParameters().get("weight").getArray().set(new float[] {0f, 0f});
      int arrays = m.getManagedArrays().size();
      GeneratorAverage.update(live, avg, 0.75f, m, fused);
      float[] w = avg.getParameters().get("weight").getArray().toFloatArray();
      assertEquals(0.25f, w[0], 1e-6, "fused " + fused);
      assertEquals(0.5f, w[1], 1e-6);
      assertEquals(arrays, m.getManagedArrays().size());
      GeneratorAverage.copy(live, avg);
      assertEquals(2f, avg.getParameters().get("weight").getArray().toFloatArray()[1]);
    }
  }

  /** A generator-like block: weights of odd sizes and batch norm's running statistics. */
  private static SequentialBlock network(NDManager m) {
    SequentialBlock b =
        new SequentialBlock()
            .add(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)).build())
            .add(BatchNorm.builder().build());
    b.initialize(m, DataType.FLOAT32, new Shape(2, 3, 7, 7));
    return b;
  }

  @Test
  void fusedUpdateEqualsTheUnfusedOneOverManySteps() {
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock live = network(m);
      SequentialBlock fused = network(m);
      SequentialBlock plain = network(m);
      GeneratorAverage.copy(live, fused);
      GeneratorAverage.copy(live, plain);
      Random r = new Random(9);
      List<Parameter> ps = live.getParameters().values();
      for (int step = 1; step <= 200; step++) {
        for (Parameter p : ps) { // the live network moves; its running statistics too
          float[] x = p.getArray().toFloatArray();
          for (int i = 0; i < x.length; i++) x[i] += (float) (0.05 * r.nextGaussian());
          p.getArray().set(x);
        }
        float decay = Average.STYLEGAN.decay(64L * step, 64);
        GeneratorAverage.update(live, fused, decay, m, true);
        GeneratorAverage.update(live, plain, decay, m, false);
      }
      List<Parameter> a = fused.getParameters().values();
      List<Parameter> b = plain.getParameters().values();
      for (int k = 0; k < a.size(); k++) {
        float[] x = a.get(k).getArray().toFloatArray();
        float[] y = b.get(k).getArray().toFloatArray();
        float[] l = ps.get(k).getArray().toFloatArray();
        for (int i = 0; i < x.length; i++) {
          assertEquals(y[i], x[i], 1e-6 * Math.max(1, Math.abs(y[i])), a.get(k).getName());
        }
        if (!ps.get(k).requiresGradient()) {
          assertArrayEquals(l, x, "running statistics copied: " + a.get(k).getName());
        } else {
          assertNotEquals(l[0], x[0], "an average, not a copy: " + a.get(k).getName());
        }
      }
    }
  }
}
