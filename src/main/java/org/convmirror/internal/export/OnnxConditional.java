package org.convmirror.internal.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * The nodes a conditional network adds to its ONNX graph: the {@code label} input, table lookups
 * ({@code Gather}), the projection discriminator's inner product and the CVAE encoder's one-hot
 * label.
 */
final class OnnxConditional {
  private OnnxConditional() {}

  /** The graph's second input: one int64 class label per image. */
  static String label(OnnxGraph g) {
    return g.input(OnnxExport.LABEL, TensorProto.DataType.INT64, OnnxGraph.BATCH);
  }

  /** Row label[i] of a label table part, (N, width). */
  static String rows(OnnxGraph g, ExportedNetwork net, Part table, String label) {
    String key = table.key(0, "weight");
    Tensor t = net.weights().get(key);
    return g.node("Gather", new String[] {g.constant(key, t.shape(), t.floats()), label}, axis(0));
  }

  /**
   * The projection discriminator (Miyato &amp; Koyama 2018): the layers up to the head give φ
   * (sum-pooled over height and width when a map), the rest the unconditional logits, to which
   * ⟨V[label], φ⟩ is added.
   */
  static String projection(OnnxGraph g, ExportedNetwork net, String x, String label) {
    List<Part> parts = net.parts();
    Part layers = parts.get(1);
    int head = headIndex(layers);
    OnnxExport.Emitter e = new OnnxExport.Emitter(g, net, layers);
    String features = e.emit(x, 0, head);
    String logits = e.emit(features, head, layers.layers().size());
    String phi = features;
    if (layers.layers().get(head) instanceof Layer.Conv) {
      phi = g.node("ReduceSum", new String[] {phi, g.int64s("phi_axes", 2, 3)}, keepDims(0));
    }
    String projected =
        g.node(
            "ReduceSum",
            new String[] {
              g.node("Mul", new String[] {rows(g, net, parts.get(0), label), phi}),
              g.int64s("projection_axes", 1)
            },
            keepDims(1));
    return g.node("Add", new String[] {logits, projected});
  }

  /** The head of a discriminator's layers: its last convolution or dense layer. */
  static int headIndex(Part layers) {
    int head = -1;
    for (int i = 0; i < layers.layers().size(); i++) {
      Layer l = layers.layers().get(i);
      if (l instanceof Layer.Conv || l instanceof Layer.Dense) head = i;
    }
    return head;
  }

  static AttributeProto axis(long axis) {
    return OnnxGraph.integer("axis", axis);
  }

  private static AttributeProto keepDims(long keep) {
    return OnnxGraph.integer("keepdims", keep);
  }

  /** The CVAE encoder's features joined by the one-hot label, rows of an identity constant. */
  static String withOneHot(OnnxGraph g, ExportedNetwork net, String x, String label) {
    int classes = net.classes();
    float[] eye = new float[classes * classes];
    for (int y = 0; y < classes; y++) eye[y * classes + y] = 1;
    String oneHot =
        g.node(
            "Gather",
            new String[] {g.constant("one_hot", new long[] {classes, classes}, eye), label},
            axis(0));
    return g.node("Concat", new String[] {x, oneHot}, axis(1));
  }
}
