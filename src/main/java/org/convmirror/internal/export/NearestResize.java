package org.convmirror.internal.export;

import org.convmirror.spec.ImageShape;

/**
 * The ONNX form of {@code nn.NearestUpsample}, whose source row for output row {@code dst} is
 * exactly ⌊dst·in/out⌋: {@code Resize} (nearest, asymmetric, floor) where onnxruntime's float
 * arithmetic provably picks the same rows, and two {@code Gather}s with the exact indices where it
 * would not.
 *
 * <p>onnxruntime computes the source coordinate as dst / (out/in) in float32; when dst·in/out is a
 * whole number that quotient can fall just below it and floor to the previous row (14 → 16 does,
 * for dst = 8). Which ratios do is decided here by doing the same float arithmetic, and a test
 * checks the decision against onnxruntime itself.
 */
final class NearestResize {
  private NearestResize() {}

  /** Emits the resize of {@code x} (N, C, in.height, in.width) to (N, C, height, width). */
  static String emit(OnnxGraph g, String x, Layer.Upsample u, String name) {
    ImageShape in = u.in();
    boolean exact = resizeIsExact(in.height(), u.height()) && resizeIsExact(in.width(), u.width());
    return exact ? resize(g, x, u, name) : gather(g, x, u, name);
  }

  /** onnxruntime's {@code Resize}, nearest with source row ⌊dst / (out/in)⌋ in float32. */
  static String resize(OnnxGraph g, String x, Layer.Upsample u, String name) {
    // Resize's sizes cover every axis in opset 17, so the batch and channels come from x.
    String batchAndChannels =
        g.node(
            "Shape", new String[] {x}, OnnxGraph.integer("start", 0), OnnxGraph.integer("end", 2));
    String sizes =
        g.node(
            "Concat",
            new String[] {batchAndChannels, g.int64s(name + "size", u.height(), u.width())},
            OnnxGraph.integer("axis", 0));
    return g.node(
        "Resize",
        new String[] {x, "", "", sizes},
        OnnxGraph.text("mode", "nearest"),
        OnnxGraph.text("coordinate_transformation_mode", "asymmetric"),
        OnnxGraph.text("nearest_mode", "floor"));
  }

  /** Two {@code Gather}s with the exact source rows and columns. */
  static String gather(OnnxGraph g, String x, Layer.Upsample u, String name) {
    ImageShape in = u.in();
    String rows =
        g.node(
            "Gather",
            new String[] {x, g.int64s(name + "rows", sources(in.height(), u.height()))},
            OnnxGraph.integer("axis", 2));
    return g.node(
        "Gather",
        new String[] {rows, g.int64s(name + "cols", sources(in.width(), u.width()))},
        OnnxGraph.integer("axis", 3));
  }

  /** ⌊dst·in/out⌋ for dst in [0, out), in exact integer arithmetic. */
  static long[] sources(int in, int out) {
    long[] idx = new long[out];
    for (int dst = 0; dst < out; dst++) idx[dst] = (long) dst * in / out;
    return idx;
  }

  /** Whether float32 ⌊dst / (out/in)⌋ equals ⌊dst·in/out⌋ for every output row. */
  static boolean resizeIsExact(int in, int out) {
    float scale = (float) out / (float) in;
    for (int dst = 0; dst < out; dst++) {
      if ((long) Math.floor(dst / scale) != (long) dst * in / out) return false;
    }
    return true;
  }
}
