package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.ImageShape;
import org.junit.jupiter.api.Test;

/**
 * The ONNX form of the exact nearest upsampling, checked in onnxruntime for every size up to 24 and
 * every target up to twice that: Resize where the float emulation says it is exact, Gather
 * elsewhere, and onnxruntime's Resize really wrong on the ratios the emulation rejects.
 */
@Tier.Engine
class NearestResizeTest {

  @Test
  void chosenFormPicksTheExactRowsInOnnxruntime() throws Exception {
    for (int in = 1; in <= 24; in++) {
      List<Integer> outs = new ArrayList<>();
      for (int out = in; out <= 2 * in + 3; out++) outs.add(out);
      float[][] got = run(in, outs, NearestResize::emit);
      for (int k = 0; k < outs.size(); k++) {
        assertArrayEquals(
            asFloats(NearestResize.sources(in, outs.get(k))), got[k], in + " → " + outs.get(k));
      }
    }
  }

  @Test
  void resizeIsWrongWhereTheEmulationSaysSo() throws Exception {
    assertFalse(NearestResize.resizeIsExact(14, 16));
    assertTrue(NearestResize.resizeIsExact(14, 28));
    int rejected = 0;
    for (int in = 1; in <= 24; in++) {
      List<Integer> outs = new ArrayList<>();
      for (int out = in; out <= 2 * in + 3; out++) {
        if (!NearestResize.resizeIsExact(in, out)) outs.add(out);
      }
      if (outs.isEmpty()) continue;
      float[][] got = run(in, outs, NearestResize::resize);
      for (int k = 0; k < outs.size(); k++) {
        float[] exact = asFloats(NearestResize.sources(in, outs.get(k)));
        assertFalse(
            java.util.Arrays.equals(exact, got[k]),
            in + " → " + outs.get(k) + " was rejected, but onnxruntime's Resize is exact there");
        rejected++;
      }
    }
    assertTrue(rejected > 0);
  }

  interface Form {
    String emit(OnnxGraph g, String x, Layer.Upsample u, String name);
  }

  /** Resizes a column of row indices 0, 1, …, in − 1 to each height in {@code outs}. */
  private static float[][] run(int in, List<Integer> outs, Form form) throws Exception {
    OnnxGraph g = new OnnxGraph("resize");
    String x = g.input("x", TensorProto.DataType.FLOAT, 1L, 1L, (long) in, 1L);
    for (int out : outs) {
      Layer.Upsample u = new Layer.Upsample(ImageShape.of(1, in, 1), out, 1);
      g.output(form.emit(g, x, u, "u" + out), "y" + out, 1L, 1L, (long) out, 1L);
    }
    float[] rows = new float[in];
    for (int i = 0; i < in; i++) rows[i] = i;
    return Ort.run(
        g.model("", "test", Map.of()).toByteArray(), "x", rows, new long[] {1, 1, in, 1});
  }

  private static float[] asFloats(long[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = v[i];
    return f;
  }
}
