package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Optional;
import java.util.Set;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.Precision;
import org.junit.jupiter.api.Test;

/**
 * Mixed precision's convolutions against their definition: the float32 convolution of the operands
 * rounded to bfloat16, accumulated exactly (plain Java, {@link ConvTransposeReference}), the result
 * rounded to bfloat16 — forward and both gradients, whose incoming gradient is rounded too. Each
 * must agree to one bfloat16 step, be float32, and differ from the all-float32 result (else the
 * test would pass on a float32 path).
 */
@Tier.Engine
class MixedPrecisionTest {
  private static final int[] S = {2, 2}, P = {1, 1}, OP = {0, 0}, D = {1, 1};

  @Test
  void transposedConvolutionIsTheFloat32ConvolutionOfBfloat16Operands() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      NDArray x = m.randomNormal(new Shape(2, 32, 7, 7));
      NDArray w = m.randomNormal(new Shape(32, 16, 4, 4)).mul(0.1f);
      NDArray g = m.randomNormal(new Shape(2, 16, 14, 14));
      x.setRequiresGradient(true);
      w.setRequiresGradient(true);
      NDArray y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        y = MixedPrecision.convTranspose2d(x, w, S, P, OP, D);
        gc.backward(y.mul(g).sum());
      }
      var ref =
          new ConvTransposeReference(x.getShape().getShape(), w.getShape().getShape(), S, P, OP, D);
      float[] xb = bf16(x.toFloatArray()), wb = bf16(w.toFloatArray()), gb = bf16(g.toFloatArray());
      check(
          "y",
          y,
          bf16(ref.forward(xb, wb, null)),
          ref.forward(x.toFloatArray(), w.toFloatArray(), null));
      check(
          "dx",
          x.getGradient(),
          bf16(ref.gradX(gb, wb)),
          ref.gradX(g.toFloatArray(), w.toFloatArray()));
      check(
          "dw",
          w.getGradient(),
          bf16(ref.gradW(gb, xb)),
          ref.gradW(g.toFloatArray(), x.toFloatArray()));
    }
  }

  @Test
  void convolutionIsTheFloat32ConvolutionOfBfloat16Operands() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(12);
      NDArray x = m.randomNormal(new Shape(2, 16, 14, 14));
      NDArray w = m.randomNormal(new Shape(32, 16, 4, 4)).mul(0.1f);
      NDArray g = m.randomNormal(new Shape(2, 32, 7, 7));
      x.setRequiresGradient(true);
      w.setRequiresGradient(true);
      NDArray y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        y = MixedPrecision.conv2d(x, w, new long[] {2, 2}, new long[] {1, 1}, new long[] {1, 1});
        gc.backward(y.mul(g).sum());
      }
      // A convolution is the transposed convolution's input gradient: conv2d(x, w) with w (O, C, k,
      // k) is the gradient of the transposed convolution from O channels at 7x7 to C at 14x14.
      var t =
          new ConvTransposeReference(
              new long[] {2, 32, 7, 7}, w.getShape().getShape(), S, P, OP, D);
      float[] xb = bf16(x.toFloatArray()), wb = bf16(w.toFloatArray()), gb = bf16(g.toFloatArray());
      check("y", y, bf16(t.gradX(xb, wb)), t.gradX(x.toFloatArray(), w.toFloatArray()));
      check(
          "dx",
          x.getGradient(),
          bf16(t.forward(gb, wb, null)),
          t.forward(g.toFloatArray(), w.toFloatArray(), null));
      check(
          "dw",
          w.getGradient(),
          bf16(t.gradW(xb, gb)),
          t.gradW(x.toFloatArray(), g.toFloatArray()));
    }
  }

  @Test
  void onlyLayersWithSixteenChannelsOrMoreOnEachSideTakeBfloat16() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.zeros(new Shape(1, 3, 8, 8));
      assertTrue(MixedPrecision.applies(Precision.BF16, x, 16, 16));
      assertFalse(MixedPrecision.applies(Precision.BF16, x, 3, 64), "image-facing input");
      assertFalse(MixedPrecision.applies(Precision.BF16, x, 64, 1), "image-facing output");
      assertFalse(MixedPrecision.applies(Precision.FP32, x, 64, 64));
      assertFalse(MixedPrecision.applies(Precision.AUTO, x, 64, 64), "auto is resolved before");
    }
  }

  @Test
  void aConvolutionOnFewChannelsStaysExactlyFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(13);
      Conv2d.Builder b =
          Conv2d.builder()
              .setFilters(32)
              .setKernelShape(new Shape(4, 4))
              .optStride(new Shape(2, 2))
              .optPadding(new Shape(1, 1));
      MixedConv2d mixed = new MixedConv2d(b, Precision.BF16);
      mixed.initialize(m, DataType.FLOAT32, new Shape(2, 3, 16, 16));
      NDArray x = m.randomNormal(new Shape(2, 3, 16, 16));
      NDArray ours = mixed.forward(new ParameterStore(m, false), new NDList(x), false).head();
      var p = mixed.getParameters();
      NDArray plain =
          Conv2d.conv2d(
                  x,
                  p.get("weight").getArray(),
                  p.get("bias").getArray(),
                  new Shape(2, 2),
                  new Shape(1, 1),
                  new Shape(1, 1))
              .head();
      assertArrayEquals(plain.toFloatArray(), ours.toFloatArray(), 0f);
    }
  }

  @Test
  void theConsoleLineNamesTheFasterChoiceWhereFloat32RunsWhereBfloat16IsFast() {
    String hint = "--precision bf16-declared trains faster at float32's quality";
    Optional<String> amx = Optional.of("bfloat16 matrix units (AMX)");
    assertTrue(MixedPrecision.describe(Precision.FP32, Precision.FP32, amx).contains(hint));
    assertEquals(
        "precision: fp32",
        MixedPrecision.describe(Precision.FP32, Precision.FP32, Optional.empty()));
    assertFalse(MixedPrecision.describe(Precision.BF16, Precision.BF16, amx).contains(hint));
    assertFalse(
        MixedPrecision.describe(Precision.BF16_DECLARED, Precision.BF16_DECLARED, amx)
            .contains(hint));
    assertEquals(
        "precision: fp32 — auto: bfloat16 is not faster on this CPU (it needs AMX, or AVX512-BF16"
            + " on AMD)",
        MixedPrecision.describe(Precision.AUTO, Precision.FP32, Optional.empty()));
    assertEquals(
        "precision: bf16-declared (the discriminator's or encoder's convolutions in bfloat16,"
            + " everything else float32) — auto: this CPU has bfloat16 matrix units (AMX);"
            + " --precision fp32 for float32 throughout",
        MixedPrecision.describe(Precision.AUTO, Precision.BF16_DECLARED, amx));
  }

  @Test
  void bfloat16IsFastWithAmxOrWithAvx512Bf16OnAmdOnly() {
    Set<String> amx = Set.of("avx512f", "avx512_bf16", "amx_bf16", "amx_tile");
    Set<String> bf16 = Set.of("avx512f", "avx512_bf16");
    Set<String> plain = Set.of("avx2", "avx512f");
    assertEquals(
        Optional.of("bfloat16 matrix units (AMX)"), MixedPrecision.fastBf16("GenuineIntel", amx));
    assertEquals(
        Optional.of("bfloat16 dot-product instructions (AMD, AVX512-BF16)"),
        MixedPrecision.fastBf16("AuthenticAMD", bf16));
    // oneDNN held to AVX512-BF16 on an Intel CPU was slower than float32 (docs/notes/speed.md).
    assertEquals(Optional.empty(), MixedPrecision.fastBf16("GenuineIntel", bf16));
    assertEquals(Optional.empty(), MixedPrecision.fastBf16("AuthenticAMD", plain));
    assertEquals(Optional.empty(), MixedPrecision.fastBf16("", Set.of()));
  }

  @Test
  void autoIsBfloat16InTheDeclaredHalfExactlyWhereBfloat16IsFastOnThisCpu() {
    assertEquals(
        MixedPrecision.fastBf16().isPresent() ? Precision.BF16_DECLARED : Precision.FP32,
        MixedPrecision.auto());
    assertEquals(Precision.FP32, MixedPrecision.auto().derived(), "the generator stays float32");
  }

  /** Within one bfloat16 step of the reference, float32, and not the all-float32 result. */
  private static void check(String what, NDArray ours, float[] reference, double[] float32) {
    assertEquals(DataType.FLOAT32, ours.getDataType(), what);
    float[] a = ours.toFloatArray();
    assertEquals(reference.length, a.length, what);
    double scale = 0, offFloat32 = 0;
    for (float r : reference) scale = Math.max(scale, Math.abs(r));
    for (int i = 0; i < a.length; i++) {
      double step = Math.abs(reference[i]) / 128 + 1e-6 * scale; // one bfloat16 step: 2^-7 relative
      assertTrue(
          Math.abs(a[i] - reference[i]) <= step,
          what + "[" + i + "] = " + a[i] + ", the bfloat16 reference " + reference[i]);
      offFloat32 = Math.max(offFloat32, Math.abs(a[i] - float32[i]));
    }
    assertTrue(offFloat32 > 1e-4 * scale, what + " equals the float32 result: no bfloat16 at all");
  }

  /** Rounds to the nearest bfloat16, ties to even, as libtorch's casts do. */
  static float bf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    bits += 0x7FFF + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(bits & 0xFFFF0000);
  }

  private static float[] bf16(float[] a) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) out[i] = bf16(a[i]);
    return out;
  }

  private static float[] bf16(double[] a) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) out[i] = bf16((float) a[i]);
    return out;
  }
}
