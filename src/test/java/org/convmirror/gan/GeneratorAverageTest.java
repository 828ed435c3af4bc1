package org.convmirror.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

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
    assertEquals(Math.pow(0.5, 0.064), new Average(1000, 0).decay(0, 64), 1e-6);
    assertEquals(0f, Average.OFF.decay(1_000_000, 64));
  }

  @Test
  void averageMovesTowardTheLiveWeightsWithoutTemporaries() {
    try (NDManager m = NDManager.newBaseManager()) {
      Linear live = Linear.builder().setUnits(2).build();
      Linear avg = Linear.builder().setUnits(2).build();
      live.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      avg.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      live.getParameters().get("weight").getArray().set(new float[] {1f, 2f});
      avg.getParameters().get("weight").getArray().set(new float[] {0f, 0f});
      int arrays = m.getManagedArrays().size();
      GeneratorAverage.update(live, avg, 0.75f, m);
      float[] w = avg.getParameters().get("weight").getArray().toFloatArray();
      assertEquals(0.25f, w[0], 1e-6);
      assertEquals(0.5f, w[1], 1e-6);
      assertEquals(arrays, m.getManagedArrays().size());
      GeneratorAverage.copy(live, avg);
      assertEquals(2f, avg.getParameters().get("weight").getArray().toFloatArray()[1]);
    }
  }
}
