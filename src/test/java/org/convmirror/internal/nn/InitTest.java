package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.Arrays;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class InitTest {

  private static SequentialBlock net() {
    return new SequentialBlock()
        .add(
            Conv2d.builder()
                .setFilters(16)
                .setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .build()) // (2, 16, 4, 4)
        .add(BatchNorm.builder().build())
        .add(
            ConvTranspose2d.builder()
                .setFilters(8)
                .setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .build()) // (2, 8, 8, 8)
        .add(Blocks.batchFlattenBlock()) // (2, 512)
        .add(Linear.builder().setUnits(10).build()); // (2, 10)
  }

  private static float[][] values(SequentialBlock block) {
    return block.getParameters().values().stream()
        .map(p -> p.getArray().toFloatArray())
        .toArray(float[][]::new);
  }

  @Test
  void redrawsAnInitializedTreeWithDcganDistributions() {
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock block = net();
      block.initialize(m, DataType.FLOAT32, new Shape(2, 8, 8, 8));
      int arrays = m.getManagedArrays().size();
      Init.dcgan(block, 42);
      assertEquals(arrays, m.getManagedArrays().size(), "no temporaries left behind");
      int weights = 0;
      for (Parameter p : block.getParameters().values()) {
        float[] v = p.getArray().toFloatArray();
        double mean = Arrays.stream(toDouble(v)).average().orElseThrow();
        double std =
            Math.sqrt(
                Arrays.stream(toDouble(v)).map(x -> (x - mean) * (x - mean)).sum() / v.length);
        String what = p.getName() + " " + p.getType();
        switch (p.getType()) {
          case WEIGHT -> {
            weights++;
            assertTrue(Math.abs(mean) < 0.003, what + " mean " + mean);
            assertTrue(Math.abs(std - 0.02) < 0.002, what + " std " + std);
          }
          case GAMMA -> {
            assertTrue(Math.abs(mean - 1) < 0.02, what + " mean " + mean);
            assertTrue(std > 0.005 && std < 0.04, what + " std " + std);
          }
          case BIAS, BETA -> assertEquals(0.0, std + Math.abs(mean), 0.0, what);
          case RUNNING_MEAN -> assertEquals(0.0, std + Math.abs(mean), 0.0, what);
          case RUNNING_VAR -> assertEquals(1.0, mean, 0.0, what);
          default -> {}
        }
      }
      assertEquals(3, weights, "conv, convT and linear weights");
    }
  }

  @Test
  void sameSeedGivesSameParametersAndSetInitializersWorksBeforeInitialize() {
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock a = net();
      SequentialBlock b = net();
      a.initialize(m, DataType.FLOAT32, new Shape(2, 8, 8, 8));
      b.initialize(m, DataType.FLOAT32, new Shape(2, 8, 8, 8));
      Init.dcgan(a, 7);
      Init.dcgan(b, 7);
      float[][] va = values(a);
      float[][] vb = values(b);
      for (int i = 0; i < va.length; i++) {
        assertArrayEquals(va[i], vb[i], 0f);
      }
      Init.dcgan(b, 8);
      assertFalse(Arrays.equals(va[0], values(b)[0]));

      SequentialBlock c = net();
      Init.setDcganInitializers(c);
      c.initialize(m, DataType.FLOAT32, new Shape(2, 8, 8, 8));
      float[] w = c.getParameters().get(0).getValue().getArray().toFloatArray();
      double std = Math.sqrt(Arrays.stream(toDouble(w)).map(x -> x * x).average().orElseThrow());
      assertTrue(Math.abs(std - 0.02) < 0.003, "std " + std);
    }
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
