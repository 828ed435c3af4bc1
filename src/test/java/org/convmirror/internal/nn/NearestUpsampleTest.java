package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class NearestUpsampleTest {

  @Test
  void sourceIndexIsFloorOfDstTimesInOverOut() {
    assertArrayEquals(new long[] {0, 0, 1, 1, 2}, NearestUpsample.sourceIndices(3, 5));
    assertArrayEquals(new long[] {0, 2}, NearestUpsample.sourceIndices(4, 2));
    assertArrayEquals(new long[] {0, 0, 1, 1}, NearestUpsample.sourceIndices(2, 4));
  }

  @Test
  void forwardAndGradientMatchPlainJava() {
    long[][] cases = { // H, W -> h, w
      {3, 5, 7, 4}, // general path, up in H, down in W
      {2, 3, 4, 9}, // integer factors: repeat path
      {4, 6, 2, 3}, // integer shrink: general path
      {5, 5, 5, 5}, // identity: repeat path with factor 1
      {1, 1, 3, 2}
    };
    try (NDManager root = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      for (long[] c : cases) {
        try (NDManager m = root.newSubManager()) {
          int n = 2;
          int ch = 3;
          NDArray x = m.randomNormal(new Shape(n, ch, c[0], c[1]));
          NDArray g = m.randomNormal(new Shape(n, ch, c[2], c[3]));
          x.setRequiresGradient(true);
          NDArray y;
          NDArray gx;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = NearestUpsample.resize(x, c[2], c[3]);
            gc.backward(y.mul(g).sum());
            gx = x.getGradient();
          }
          float[] xf = x.toFloatArray();
          float[] gf = g.toFloatArray();
          float[] yRef = new float[gf.length];
          float[] gxRef = new float[xf.length];
          int h = (int) c[0], w = (int) c[1], oh = (int) c[2], ow = (int) c[3];
          for (int b = 0; b < n * ch; b++) {
            for (int i = 0; i < oh; i++) {
              for (int j = 0; j < ow; j++) {
                int src = (b * h + (int) ((long) i * h / oh)) * w + (int) ((long) j * w / ow);
                int dst = (b * oh + i) * ow + j;
                yRef[dst] = xf[src];
                gxRef[src] += gf[dst];
              }
            }
          }
          assertEquals(new Shape(n, ch, c[2], c[3]), y.getShape());
          assertArrayEquals(yRef, y.toFloatArray(), 0f, "forward " + c[0] + "x" + c[1]);
          assertArrayEquals(gxRef, gx.toFloatArray(), 1e-5f, "gradient " + c[0] + "x" + c[1]);
        }
      }
    }
  }

  @Test
  void blockReportsItsOutputShape() {
    NearestUpsample up = NearestUpsample.to(7, 9);
    try (NDManager m = NDManager.newBaseManager()) {
      Shape in = new Shape(2, 3, 4, 4);
      up.initialize(m, DataType.FLOAT32, in);
      Shape expected = new Shape(2, 3, 7, 9);
      assertEquals(expected, up.getOutputShapes(new Shape[] {in})[0]);
      NDArray y =
          up.forward(new ParameterStore(m, false), new NDList(m.zeros(in)), false)
              .singletonOrThrow();
      assertEquals(expected, y.getShape());
    }
  }
}
