package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tier.Engine
class ConvTranspose2dTest {

  private static final double TOL = 1e-4;

  /** Forward and gradients of sum(y * g) w.r.t. x, w, b as computed by our DJL op. */
  private record Result(NDArray y, NDArray gx, NDArray gw, NDArray gb) {}

  private static Result run(
      NDArray x,
      NDArray w,
      NDArray b,
      NDArray g,
      int[] s,
      int[] p,
      int[] op,
      int[] d,
      ConvKernel kernel) {
    x.setRequiresGradient(true);
    w.setRequiresGradient(true);
    b.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray y = ConvTranspose2d.convTranspose2d(x, w, b, s, p, op, d, kernel);
      gc.backward(y.mul(g).sum());
      return new Result(y, x.getGradient(), w.getGradient(), b.getGradient());
    }
  }

  private static void assertClose(double[] expected, NDArray actual, String what) {
    float[] a = actual.toFloatArray();
    assertEquals(expected.length, a.length, what + " size");
    for (int i = 0; i < a.length; i++) {
      double tol = TOL * Math.max(1, Math.abs(expected[i]));
      if (Math.abs(expected[i] - a[i]) > tol) {
        throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " was " + a[i]);
      }
    }
  }

  private static double[] toDouble(NDArray a) {
    float[] f = a.toFloatArray();
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i];
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(ConvKernel.class)
  void randomisedSweepMatchesDefinitionForwardAndGradients(ConvKernel kernel) {
    randomisedSweep(kernel);
  }

  @Test
  void nativeKernelLoads() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertTrue(NativeConvTranspose.available(m.zeros(new Shape(1))));
    }
  }

  private static void randomisedSweep(ConvKernel kernel) {
    Random rnd = new Random(20240601);
    try (NDManager root = NDManager.newBaseManager()) {
      for (int c = 0; c < 60; c++) {
        int[] k = {1 + rnd.nextInt(5), 1 + rnd.nextInt(5)};
        int[] s = {1 + rnd.nextInt(4), 1 + rnd.nextInt(4)};
        int[] d = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
        int[] op = new int[2];
        int[] p = new int[2];
        int[] hw =
            c % 6 == 0 ? new int[] {1, 1} : new int[] {1 + rnd.nextInt(6), 1 + rnd.nextInt(6)};
        for (int i = 0; i < 2; i++) {
          op[i] = rnd.nextInt(Math.max(s[i], d[i]));
          do { // padding 0..3 where the output stays non-empty
            p[i] = rnd.nextInt(4);
          } while ((hw[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1 < 1);
        }
        int n = 1 + rnd.nextInt(3);
        int cin = 1 + rnd.nextInt(5);
        int cout = 1 + rnd.nextInt(5);
        String label =
            String.format(
                "case %d k=%d,%d s=%d,%d p=%d,%d op=%d,%d d=%d,%d in=%dx%d",
                c, k[0], k[1], s[0], s[1], p[0], p[1], op[0], op[1], d[0], d[1], hw[0], hw[1]);
        try (NDManager m = root.newSubManager()) {
          NDArray x = m.randomNormal(new Shape(n, cin, hw[0], hw[1]));
          NDArray w = m.randomNormal(new Shape(cin, cout, k[0], k[1]));
          NDArray b = m.randomNormal(new Shape(cout));
          ConvTransposeReference ref =
              new ConvTransposeReference(
                  x.getShape().getShape(), w.getShape().getShape(), s, p, op, d);
          NDArray g = m.randomNormal(new Shape(n, cout, ref.ho, ref.wo));
          float[] xf = x.toFloatArray();
          float[] wf = w.toFloatArray();
          float[] gf = g.toFloatArray();
          Result r = run(x, w, b, g, s, p, op, d, kernel);
          assertEquals(new Shape(n, cout, ref.ho, ref.wo), r.y().getShape(), label);
          assertClose(ref.forward(xf, wf, b.toFloatArray()), r.y(), label + " y");
          assertClose(ref.gradX(gf, wf), r.gx(), label + " gx");
          assertClose(ref.gradW(gf, xf), r.gw(), label + " gw");
          assertClose(ref.gradB(gf), r.gb(), label + " gb");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ConvKernel.class)
  void matchesPyTorchGoldenOutputsAndGradients(ConvKernel kernel) throws Exception {
    golden(kernel);
  }

  private void golden(ConvKernel kernel) throws Exception {
    JsonNode cases;
    try (InputStream is = getClass().getResourceAsStream("/golden/conv_transpose2d.json")) {
      cases = new ObjectMapper().readTree(is).get("cases");
    }
    assertEquals(40, cases.size());
    try (NDManager m = NDManager.newBaseManager();
        InputStream is = getClass().getResourceAsStream("/golden/conv_transpose2d.npz")) {
      NDList golden = NDList.decode(m, is);
      for (JsonNode c : cases) {
        String id = "c" + c.get("case").asInt() + "_";
        try (NDManager sub = m.newSubManager()) {
          NDArray x = golden.get(id + "x").duplicate();
          NDArray w = golden.get(id + "w").duplicate();
          NDArray b = golden.get(id + "b").duplicate();
          x.attach(sub);
          w.attach(sub);
          b.attach(sub);
          Result r =
              run(
                  x,
                  w,
                  b,
                  golden.get(id + "g"),
                  ints(c, "stride"),
                  ints(c, "padding"),
                  ints(c, "output_padding"),
                  ints(c, "dilation"),
                  kernel);
          assertArrayEquals(longs(c, "output"), r.y().getShape().getShape(), id);
          assertClose(toDouble(golden.get(id + "y")), r.y(), id + "y");
          assertClose(toDouble(golden.get(id + "gx")), r.gx(), id + "gx");
          assertClose(toDouble(golden.get(id + "gw")), r.gw(), id + "gw");
          assertClose(toDouble(golden.get(id + "gb")), r.gb(), id + "gb");
        }
      }
    }
  }

  private static int[] ints(JsonNode c, String field) {
    return new int[] {c.get(field).get(0).asInt(), c.get(field).get(1).asInt()};
  }

  private static long[] longs(JsonNode c, String field) {
    long[] out = new long[c.get(field).size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.get(field).get(i).asLong();
    }
    return out;
  }
}
