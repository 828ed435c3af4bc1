package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * Engine tier: the classifier's inference shortcut against the layers it replaces (ReLU, then DJL's
 * 2×2 max-pooling), on the two shapes the classifier feeds it and on odd ones, with many ties and
 * negative values.
 */
@Tier.Engine
class PoolThenReluTest {

  private static float[] run(Block block, NDManager m, float[] x, Shape shape) {
    block.initialize(m, DataType.FLOAT32, shape);
    NDArray in = m.create(x, shape);
    NDList out = block.forward(new ParameterStore(m, false), new NDList(in), false);
    NDArray y = out.singletonOrThrow();
    long[] expected = shape.getShape().clone();
    expected[2] /= 2;
    expected[3] /= 2;
    assertEquals(new Shape(expected), y.getShape());
    return y.toFloatArray();
  }

  @Test
  void equalsReluThenMaxPoolingOnEveryValue() {
    Random random = new Random(5);
    Shape[] shapes = {
      new Shape(3, 32, 26, 26), // conv1's output for 28×28 images
      new Shape(3, 64, 11, 11), // conv2's: odd, the last row and column are dropped
      new Shape(2, 1, 5, 8),
      new Shape(1, 2, 2, 3)
    };
    try (NDManager m = Engine.getInstance().newBaseManager()) {
      for (Shape shape : shapes) {
        float[] x = new float[(int) shape.size()];
        for (int i = 0; i < x.length; i++) {
          // Quantised to eighths: many exact ties, within a window and across the ReLU's zero.
          x[i] =
              random.nextInt(2) == 0 ? random.nextInt(17) / 8f - 1 : (float) random.nextGaussian();
        }
        SequentialBlock reference =
            new SequentialBlock()
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)));
        float[] expected = run(reference, m, x, shape);
        float[] actual = run(PoolThenRelu.block(), m, x, shape);
        // Delta 0: equal values (+0 and −0 alike, the only bits the order could change).
        assertArrayEquals(expected, actual, 0f, shape.toString());
      }
    }
  }

  @Test
  void allNegativeWindowsGiveZeroAndTheMaximumIsTakenPerWindow() {
    float[] x = {
      -3, -1, 5, 2, //
      -2, -4, 1, 7, //
      0, -1, -5, -6, //
      9, 8, -7, -8
    };
    try (NDManager m = Engine.getInstance().newBaseManager()) {
      float[] y = run(PoolThenRelu.block(), m, x, new Shape(1, 1, 4, 4));
      assertArrayEquals(new float[] {0, 7, 9, 0}, y, 0f);
    }
  }
}
