package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class SpectralNormTest {

  /** Largest singular value of a (rows x cols) row-major matrix: power iteration on W W^T. */
  static double largestSingularValue(float[] w, int rows, int cols) {
    double[][] g = new double[rows][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < rows; j++) {
        for (int k = 0; k < cols; k++) {
          g[i][j] += (double) w[i * cols + k] * w[j * cols + k];
        }
      }
    }
    double[] x = new double[rows];
    java.util.Arrays.fill(x, 1);
    double lambda = 0;
    for (int it = 0; it < 20000; it++) {
      double[] y = new double[rows];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < rows; j++) {
          y[i] += g[i][j] * x[j];
        }
      }
      double norm = Math.sqrt(java.util.Arrays.stream(y).map(a -> a * a).sum());
      for (int i = 0; i < rows; i++) {
        x[i] = y[i] / norm;
      }
      lambda = norm;
    }
    return Math.sqrt(lambda);
  }

  private static NDArray param(Block block, String name) {
    return block.getParameters().get(name).getArray();
  }

  private static void trainForwards(Block block, NDManager model, Shape in, int n) {
    ParameterStore store = new ParameterStore(model, false);
    for (int i = 0; i < n; i++) {
      try (NDManager batch = model.newSubManager()) {
        block.forward(store, new NDList(batch.randomNormal(in)), true);
      }
    }
  }

  @Test
  void sigmaConvergesToTheLargestSingularValueAndForwardUsesWOverSigma() {
    SnConv2d conv =
        SnConv2d.builder()
            .setFilters(6)
            .setKernelShape(new Shape(3, 3))
            .optPadding(new Shape(1, 1))
            .build();
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      Shape in = new Shape(2, 4, 5, 5);
      conv.initialize(m, DataType.FLOAT32, in);
      trainForwards(conv, m, in, 200);
      float[] w = param(conv, "weight").toFloatArray(); // (6, 36) as a matrix
      float[] u = param(conv, "u").toFloatArray();
      float[] v = param(conv, "v").toFloatArray();
      double sigma = 0;
      for (int i = 0; i < 6; i++) {
        for (int k = 0; k < 36; k++) {
          sigma += u[i] * w[i * 36 + k] * v[k];
        }
      }
      double reference = largestSingularValue(w, 6, 36);
      assertEquals(reference, sigma, 1e-3, "sigma = u^T W v");

      // In inference the block must compute conv2d(x, W / sigma) with the stored u, v.
      NDArray x = m.randomNormal(in);
      NDArray y =
          conv.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      NDArray expected =
          Conv2d.conv2d(
                  x,
                  param(conv, "weight").div((float) sigma),
                  param(conv, "bias"),
                  new Shape(1, 1),
                  new Shape(1, 1),
                  new Shape(1, 1))
              .head();
      assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-4f);
      assertEquals(conv.getOutputShapes(new Shape[] {in})[0], y.getShape());
    }
  }

  @Test
  void normalisedLinearWeightHasSpectralNormOneAndGradientFlowsThroughSigma() {
    SnLinear linear = SnLinear.builder().setUnits(5).build();
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(12);
      linear.initialize(m, DataType.FLOAT32, new Shape(3, 7));
      trainForwards(linear, m, new Shape(3, 7), 100);
      // y = I W_sn^T + b - b: the rows of W_sn^T (7 x 5), whose spectral norm must be 1.
      ParameterStore store = new ParameterStore(m, false);
      NDArray wsnT =
          linear
              .forward(store, new NDList(m.eye(7)), false)
              .singletonOrThrow()
              .sub(param(linear, "bias"));
      assertEquals(1.0, largestSingularValue(wsnT.transpose().toFloatArray(), 5, 7), 1e-3);

      // Training-mode gradient of L = sum(y * g): dL/dW = A/s - sum(A*W)/s^2 u v^T, A = g^T x.
      NDArray w = param(linear, "weight");
      NDArray x = m.randomNormal(new Shape(3, 7));
      NDArray g = m.randomNormal(new Shape(3, 5));
      NDArray grad;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = linear.forward(store, new NDList(x), true).singletonOrThrow();
        gc.backward(y.mul(g).sum());
        grad = w.getGradient();
      }
      NDArray uv = param(linear, "u").reshape(5, 1).matMul(param(linear, "v").reshape(1, 7));
      NDArray sigma = uv.mul(w).sum();
      NDArray a = g.transpose().matMul(x);
      NDArray expected = a.div(sigma).sub(uv.mul(a.mul(w).sum()).div(sigma.square()));
      assertArrayEquals(expected.toFloatArray(), grad.toFloatArray(), 1e-4f);
    }
  }

  @Test
  void inferenceLeavesUAloneAndUIsANonTrainableSavedParameter() throws Exception {
    Shape in = new Shape(2, 3, 6, 6);
    SnConv2d a = SnConv2d.builder().setFilters(4).setKernelShape(new Shape(4, 4)).build();
    SnConv2d b = SnConv2d.builder().setFilters(4).setKernelShape(new Shape(4, 4)).build();
    try (NDManager m = NDManager.newBaseManager()) {
      a.initialize(m, DataType.FLOAT32, in);
      Parameter u = a.getParameters().get("u");
      assertEquals(Parameter.Type.RUNNING_MEAN, u.getType());
      assertFalse(u.requiresGradient());
      assertEquals(new Shape(4), u.getArray().getShape());
      assertEquals(new Shape(3 * 4 * 4), a.getParameters().get("v").getArray().getShape());

      float[] before = u.getArray().toFloatArray();
      a.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)), false);
      assertArrayEquals(before, u.getArray().toFloatArray(), 0f, "inference must not update u");
      trainForwards(a, m, in, 3);
      assertFalse(java.util.Arrays.equals(before, u.getArray().toFloatArray()));

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      a.saveParameters(new DataOutputStream(bytes));
      b.initialize(m, DataType.FLOAT32, in);
      b.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      for (String name : new String[] {"weight", "bias", "u", "v"}) {
        assertArrayEquals(
            param(a, name).toFloatArray(), param(b, name).toFloatArray(), 0f, name + " restored");
      }
    }
  }

  @Test
  void trainingStepsLeaveNoArraysInTheModelManager() {
    SnConv2d conv = SnConv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).build();
    try (NDManager model = NDManager.newBaseManager()) {
      Shape in = new Shape(2, 3, 6, 6);
      conv.initialize(model, DataType.FLOAT32, in);
      ParameterStore store = new ParameterStore(model, false);
      for (int i = 0; i < 100; i++) {
        try (NDManager batch = model.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          // Two forwards before one backward, as a discriminator sees real then fake.
          NDArray real = conv.forward(store, new NDList(batch.randomNormal(in)), true).head();
          NDArray fake = conv.forward(store, new NDList(batch.randomNormal(in)), true).head();
          gc.backward(real.sum().sub(fake.sum()));
        }
      }
      assertEquals(4, model.getManagedArrays().size(), "weight, bias, u, v only");
    }
  }
}
