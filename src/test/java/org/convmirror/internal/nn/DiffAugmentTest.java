package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.convmirror.error.UsageException;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Each policy against a plain-Java transcription of the official code's index arithmetic. */
@Tier.Engine
class DiffAugmentTest {

  /** The official functions on an (n, c, h, w) array in double precision, given the draws. */
  static double[] reference(
      double[] x, int n, int c, int h, int w, String policy, DiffAugment.Draw d) {
    double[] y = x.clone();
    for (String p : policy.split(",")) {
      y =
          switch (p) {
            case "color" -> color(y, n, c, h, w, d);
            case "translation" -> translation(y, n, c, h, w, d);
            case "cutout" -> cutout(y, n, c, h, w, d);
            default -> throw new AssertionError(p);
          };
    }
    return y;
  }

  private static int at(int b, int ch, int i, int j, int c, int h, int w) {
    return ((b * c + ch) * h + i) * w + j;
  }

  private static double[] color(double[] x, int n, int c, int h, int w, DiffAugment.Draw d) {
    double[] y = x.clone();
    int img = c * h * w;
    for (int b = 0; b < n; b++) {
      for (int k = 0; k < img; k++) y[b * img + k] += d.brightness()[b] - 0.5;
      if (c > 1) { // x_mean = x.mean(dim=1): per pixel over channels
        for (int i = 0; i < h * w; i++) {
          double mean = 0;
          for (int ch = 0; ch < c; ch++) mean += y[b * img + ch * h * w + i] / c;
          for (int ch = 0; ch < c; ch++) {
            int k = b * img + ch * h * w + i;
            y[k] = (y[k] - mean) * (d.saturation()[b] * 2) + mean;
          }
        }
      }
      double mean = 0; // x.mean(dim=[1, 2, 3])
      for (int k = 0; k < img; k++) mean += y[b * img + k] / img;
      for (int k = 0; k < img; k++) {
        y[b * img + k] = (y[b * img + k] - mean) * (d.contrast()[b] + 0.5) + mean;
      }
    }
    return y;
  }

  /** x_pad[b, :, clamp(i + tx + 1, 0, H + 1), clamp(j + ty + 1, 0, W + 1)], x_pad = pad(x, 1). */
  private static double[] translation(double[] x, int n, int c, int h, int w, DiffAugment.Draw d) {
    double[] y = new double[x.length];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            int pi = Math.min(Math.max(i + d.shiftH()[b] + 1, 0), h + 1);
            int pj = Math.min(Math.max(j + d.shiftW()[b] + 1, 0), w + 1);
            boolean pad = pi == 0 || pi == h + 1 || pj == 0 || pj == w + 1;
            y[at(b, ch, i, j, c, h, w)] = pad ? 0 : x[at(b, ch, pi - 1, pj - 1, c, h, w)];
          }
        }
      }
    }
    return y;
  }

  /** mask[b, clamp(grid + offset − size // 2, 0, H − 1), ...] = 0 over a size×size grid. */
  private static double[] cutout(double[] x, int n, int c, int h, int w, DiffAugment.Draw d) {
    int sh = (int) (h * 0.5 + 0.5);
    int sw = (int) (w * 0.5 + 0.5);
    double[] y = x.clone();
    for (int b = 0; b < n; b++) {
      boolean[][] cut = new boolean[h][w];
      for (int gi = 0; gi < sh; gi++) {
        for (int gj = 0; gj < sw; gj++) {
          int i = Math.min(Math.max(gi + d.cutH()[b] - sh / 2, 0), h - 1);
          int j = Math.min(Math.max(gj + d.cutW()[b] - sw / 2, 0), w - 1);
          cut[i][j] = true;
        }
      }
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) if (cut[i][j]) y[at(b, ch, i, j, c, h, w)] = 0;
        }
      }
    }
    return y;
  }

  private static double[] random(SplittableRandom r, int size) {
    double[] x = new double[size];
    for (int i = 0; i < size; i++) x[i] = r.nextDouble(-1, 1);
    return x;
  }

  private static float[] toFloat(double[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) out[i] = (float) x[i];
    return out;
  }

  private static void compare(String policy, int n, int c, int h, int w, long seed) {
    DiffAugment aug = DiffAugment.of(policy);
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = random(r, n * c * h * w);
    DiffAugment.Draw d = aug.draw(new SplittableRandom(seed + 1), n, h, w);
    double[] expected = reference(x, n, c, h, w, policy, d);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray y = aug.apply(m.create(toFloat(x), new Shape(n, c, h, w)), d);
      assertEquals(new Shape(n, c, h, w), y.getShape());
      float[] actual = y.toFloatArray();
      for (int k = 0; k < actual.length; k++) {
        assertEquals(
            expected[k],
            actual[k],
            2e-6,
            policy + " " + n + "x" + c + "x" + h + "x" + w + " [" + k + "]");
      }
    }
  }

  @Test
  void eachPolicyAndTheirCompositionMatchTheOfficialIndexArithmetic() {
    for (long seed = 0; seed < 4; seed++) {
      for (String p : new String[] {"color", "translation", "cutout", "color,translation,cutout"}) {
        compare(p, 5, 3, 7, 9, seed); // non-square, odd sides, colour
        compare(p, 3, 1, 28, 28, seed); // Fashion-MNIST: one channel, no saturation
        compare(p, 2, 2, 8, 6, seed); // even sides: cutout centres may reach the far border
      }
    }
  }

  @Test
  void gradientIsTheTransposedMapOfTheReference() {
    String policy = "color,translation,cutout";
    int n = 2, c = 3, h = 6, w = 5;
    DiffAugment aug = DiffAugment.of(policy);
    SplittableRandom r = new SplittableRandom(11);
    double[] x = random(r, n * c * h * w);
    double[] g = random(r, x.length);
    DiffAugment.Draw d = aug.draw(new SplittableRandom(12), n, h, w);
    float[] analytic;
    try (NDManager m = NDManager.newBaseManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray input = m.create(toFloat(x), new Shape(n, c, h, w));
      input.setRequiresGradient(true);
      gc.backward(aug.apply(input, d).mul(m.create(toFloat(g), input.getShape())).sum());
      analytic = input.getGradient().toFloatArray();
    }
    // The augmentation is affine in x, so f(x + e_k) − f(x) is ∂f/∂x_k exactly.
    double base = dot(reference(x, n, c, h, w, policy, d), g);
    for (int k = 0; k < x.length; k++) {
      x[k] += 1;
      double fd = dot(reference(x, n, c, h, w, policy, d), g) - base;
      x[k] -= 1;
      assertEquals(fd, analytic[k], 1e-5, "d f / d x[" + k + "]");
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  @Test
  void drawsCoverTheOfficialRangesAndAStreamGivesOneResult() {
    DiffAugment aug = DiffAugment.of("color, translation, cutout");
    DiffAugment.Draw d = aug.draw(new SplittableRandom(5), 20_000, 28, 28);
    assertEquals(4, DiffAugment.shiftOf(28));
    assertEquals(14, DiffAugment.cutOf(28));
    for (int[] shifts : new int[][] {d.shiftH(), d.shiftW()}) {
      assertEquals(-4, Arrays.stream(shifts).min().getAsInt());
      assertEquals(4, Arrays.stream(shifts).max().getAsInt());
      assertEquals(9, Arrays.stream(shifts).distinct().count());
    }
    assertEquals(0, Arrays.stream(d.cutH()).min().getAsInt());
    assertEquals(28, Arrays.stream(d.cutH()).max().getAsInt()); // even side: centres 0..28
    for (float[] u : new float[][] {d.brightness(), d.saturation(), d.contrast()}) {
      for (float v : u) assertTrue(v >= 0 && v < 1);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomUniform(-1, 1, new Shape(4, 1, 28, 28));
      float[] a = aug.apply(x, new SplittableRandom(1)).toFloatArray();
      assertArrayEquals(a, aug.apply(x, new SplittableRandom(1)).toFloatArray());
      assertFalse(Arrays.equals(a, aug.apply(x, new SplittableRandom(2)).toFloatArray()));
      assertEquals(0, m.getManagedArrays().size() - 4, "only x and the three results remain");
    }
  }

  @Test
  void badInputsAreOneClearError() {
    var e = assertThrows(UsageException.class, () -> DiffAugment.of("color,flip"));
    assertEquals(
        "unknown DiffAugment policy 'flip' in 'color,flip'; use a comma-separated list of color,"
            + " translation, cutout",
        e.getMessage());
    assertTrue(DiffAugment.of("").policies().isEmpty());
    assertEquals("color,cutout", DiffAugment.of("color,cutout").toString());
    try (NDManager m = NDManager.newBaseManager()) {
      var flat =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  DiffAugment.of("color")
                      .apply(m.zeros(new Shape(2, 784)), new SplittableRandom(1)));
      assertEquals("DiffAugment takes images (N, C, H, W), was (2, 784)", flat.getMessage());
    }
  }
}
