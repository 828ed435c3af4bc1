package org.convmirror.internal.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A small builder for an ONNX graph over Tribuo's generated ONNX protobuf classes: named inputs
 * with symbolic dimensions, constant initializers, nodes with attributes, named outputs. Values are
 * referred to by name; every node gets a fresh output name unless one is given.
 *
 * <p>Inputs are added one at a time, so a second input (a class label for a conditional model) is
 * one more {@link #input} call and the nodes that consume it.
 */
final class OnnxGraph {
  /** The opset and IR version this project writes (ONNX 1.12, onnxruntime ≥ 1.12). */
  static final int OPSET = 17;

  static final int IR_VERSION = 8;

  /** The symbolic batch dimension. */
  static final String BATCH = "N";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int next;

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /**
   * Declares a graph input; {@code dims} are {@link Long}s or symbolic names such as {@link
   * #BATCH}.
   */
  String input(String name, TensorProto.DataType type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return name;
  }

  /** Declares the value {@code value} as the graph output {@code name}. */
  void output(String value, String name, Object... dims) {
    String out = value;
    if (!value.equals(name)) out = node("Identity", name, new String[] {value});
    graph.addOutput(valueInfo(out, TensorProto.DataType.FLOAT, dims));
  }

  /** A float32 constant of the given shape. */
  String constant(String name, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return initializer(name, TensorProto.DataType.FLOAT, shape, b.array());
  }

  /** A float32 scalar constant. */
  String scalar(float value) {
    return constant(fresh("c"), new long[0], new float[] {value});
  }

  /** An int64 constant vector (shapes, sizes, indices). */
  String int64s(String name, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return initializer(name, TensorProto.DataType.INT64, new long[] {values.length}, b.array());
  }

  /** A node with one output; returns the output's name. */
  String node(String op, String[] inputs, AttributeProto... attributes) {
    return node(op, fresh(op.toLowerCase(java.util.Locale.ROOT)), inputs, attributes);
  }

  /** A node whose single output is called {@code output}. */
  String node(String op, String output, String[] inputs, AttributeProto... attributes) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_node");
    for (String in : inputs) n.addInput(in);
    n.addOutput(output);
    for (AttributeProto a : attributes) n.addAttribute(a);
    graph.addNode(n);
    return output;
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) a.addInts(v);
    return a.build();
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  static AttributeProto text(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value))
        .build();
  }

  /** The finished model: IR 8, the default domain at opset 17, metadata as key-value pairs. */
  ModelProto model(String docString, String producerVersion, Map<String, String> metadata) {
    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setProducerName("convmirror")
            .setProducerVersion(producerVersion)
            .setDocString(docString)
            .setGraph(graph);
    metadata.forEach(
        (k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  private String initializer(String name, TensorProto.DataType type, long[] shape, byte[] raw) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : shape) t.addDims(d);
    t.setRawData(ByteString.copyFrom(raw));
    graph.addInitializer(t);
    return name;
  }

  private String fresh(String stem) {
    return stem + "_" + next++;
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) dim.setDimParam(s);
      else dim.setDimValue(((Number) d).longValue());
      shape.addDim(dim);
    }
    TypeProto.Tensor.Builder tensor =
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape);
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }
}
