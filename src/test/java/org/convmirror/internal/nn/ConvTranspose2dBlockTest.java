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
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.Precision;
import org.junit.jupiter.api.Test;

@Tier.Engine
class ConvTranspose2dBlockTest {

  @Test
  void singlePixelMatMulPathAgreesWithSubPixelPath() {
    int[][] configs = { // k, k, s, s, p, p, op, op, d, d
      {4, 4, 1, 1, 0, 0, 0, 0, 1, 1}, // DCGAN's first layer
      {3, 5, 2, 3, 1, 2, 1, 2, 2, 1},
      {2, 3, 4, 1, 0, 1, 3, 0, 1, 2}
    };
    try (NDManager m = NDManager.newBaseManager()) {
      for (int[] c : configs) {
        int[] s = {c[2], c[3]};
        int[] p = {c[4], c[5]};
        int[] op = {c[6], c[7]};
        int[] d = {c[8], c[9]};
        float[][] viaMatMul = forwardAndGrads(m, c, s, p, op, d, true);
        float[][] viaConv = forwardAndGrads(m, c, s, p, op, d, false);
        for (int i = 0; i < viaMatMul.length; i++) {
          assertArrayEquals(viaConv[i], viaMatMul[i], 1e-4f, "output/gradient " + i);
        }
      }
    }
  }

  /** Returns {y, dx, dw, db} for L = sum(y * y0) on a fixed 1x1 input. */
  private static float[][] forwardAndGrads(
      NDManager root, int[] c, int[] s, int[] p, int[] op, int[] d, boolean matMul) {
    try (NDManager m = root.newSubManager()) {
      Engine.getInstance().setRandomSeed(7);
      NDArray x = m.randomNormal(new Shape(3, 5, 1, 1));
      NDArray w = m.randomNormal(new Shape(5, 2, c[0], c[1]));
      NDArray b = m.randomNormal(new Shape(2));
      for (NDArray a : new NDArray[] {x, w, b}) {
        a.setRequiresGradient(true);
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y =
            ConvTransposeOps.convTranspose2d(
                x, w, b, s, p, op, d, ConvKernel.DEFAULT, Precision.FP32, matMul);
        NDArray g = m.randomNormal(y.getShape());
        gc.backward(y.mul(g).sum());
        return new float[][] {
          y.toFloatArray(),
          x.getGradient().toFloatArray(),
          w.getGradient().toFloatArray(),
          b.getGradient().toFloatArray()
        };
      }
    }
  }

  @Test
  void outputShapesMatchTheActualOutputAndWeightUsesPyTorchLayout() {
    ConvTranspose2d block =
        ConvTranspose2d.builder()
            .setFilters(3)
            .setKernelShape(new Shape(4, 3))
            .optStride(new Shape(2, 3))
            .optPadding(new Shape(1, 2))
            .optOutputPadding(new Shape(1, 0))
            .optDilation(new Shape(1, 2))
            .build();
    try (NDManager m = NDManager.newBaseManager()) {
      Shape in = new Shape(2, 5, 7, 4);
      block.initialize(m, DataType.FLOAT32, in);
      Shape expected = new Shape(2, 3, (7 - 1) * 2 - 2 + 3 + 1 + 1, (4 - 1) * 3 - 4 + 4 + 0 + 1);
      assertEquals(expected, block.getOutputShapes(new Shape[] {in})[0]);
      NDArray y =
          block
              .forward(new ParameterStore(m, false), new NDList(m.ones(in)), false)
              .singletonOrThrow();
      assertEquals(expected, y.getShape());
      assertEquals(
          new Shape(5, 3, 4, 3), block.getParameters().get("weight").getArray().getShape());
      assertEquals(new Shape(3), block.getParameters().get("bias").getArray().getShape());
    }
  }

  @Test
  void parametersSurviveSaveAndLoad() throws Exception {
    Shape in = new Shape(1, 2, 3, 3);
    ConvTranspose2d a =
        ConvTranspose2d.builder().setFilters(3).setKernelShape(new Shape(2, 4)).build();
    ConvTranspose2d b =
        ConvTranspose2d.builder().setFilters(3).setKernelShape(new Shape(2, 4)).build();
    try (NDManager m = NDManager.newBaseManager()) {
      a.initialize(m, DataType.FLOAT32, in);
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      a.saveParameters(new java.io.DataOutputStream(bytes));
      b.loadParameters(
          m, new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
      NDArray x = m.randomNormal(in);
      ParameterStore store = new ParameterStore(m, false);
      assertArrayEquals(
          a.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray(),
          b.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray(),
          0f);
    }
  }

  @Test
  void rejectsOutputPaddingNotSmallerThanStrideOrDilation() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConvTranspose2d.builder()
                    .setFilters(1)
                    .setKernelShape(new Shape(3, 3))
                    .optStride(new Shape(2, 2))
                    .optOutputPadding(new Shape(1, 2))
                    .build());
    assertTrue(e.getMessage().contains("outputPadding[width]"), e.getMessage());
    assertTrue(e.getMessage().contains("max(2, 1)"), e.getMessage());
    // Dilation allows an output padding as large as the stride (PyTorch does the same).
    ConvTranspose2d.builder()
        .setFilters(1)
        .setKernelShape(new Shape(3, 3))
        .optDilation(new Shape(3, 1))
        .optOutputPadding(new Shape(2, 0))
        .build();
    assertThrows(
        IllegalArgumentException.class,
        () -> ConvTranspose2d.builder().setKernelShape(new Shape(3, 3)).build());
  }

  @Test
  void repeatedTrainingStepsLeaveNoArraysInTheModelManager() {
    ConvTranspose2d block =
        ConvTranspose2d.builder()
            .setFilters(4)
            .setKernelShape(new Shape(4, 4))
            .optStride(new Shape(2, 2))
            .optPadding(new Shape(1, 1))
            .optDilation(new Shape(2, 1))
            .build();
    try (NDManager model = NDManager.newBaseManager()) {
      block.initialize(model, DataType.FLOAT32, new Shape(2, 3, 5, 5));
      ParameterStore store = new ParameterStore(model, false);
      step(block, store, model, 3);
      assertEquals(2, model.getManagedArrays().size(), "only weight and bias");
      step(block, store, model, 200);
      assertEquals(2, model.getManagedArrays().size(), "only weight and bias");
    }
  }

  private static void step(ConvTranspose2d block, ParameterStore store, NDManager model, int n) {
    for (int i = 0; i < n; i++) {
      try (NDManager batch = model.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray x = batch.randomNormal(new Shape(2, 3, 5, 5));
        NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
        gc.backward(y.square().sum());
      }
    }
  }
}
