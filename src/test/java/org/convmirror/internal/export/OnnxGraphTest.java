package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * The form of the exported ONNX graph, without running it: opset 17, IR 8, a symbolic batch
 * dimension, transposed convolutions with explicit pads and output padding, provenance in the
 * metadata; and the PyTorch names of the default generator, as {@code nn.Sequential} numbers them.
 */
@Tier.Pure
class OnnxGraphTest {

  static ExportedNetwork zeros(Network network, ModelSpec spec) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (var e : network.stateDict(spec).entrySet()) {
      long[] s = e.getValue().shape();
      int n = (int) Tensor.size(s);
      w.put(
          e.getKey(),
          e.getValue().dtype() == Tensor.DType.I64
              ? Tensor.i64(s, new long[n])
              : Tensor.f32(s, new float[n]));
    }
    return new ExportedNetwork(network, spec, w, Map.of("run", "/runs/x", "seed", "42"));
  }

  @Test
  void defaultGeneratorGraph() {
    ModelProto m = OnnxExport.model(zeros(Network.GENERATOR, ModelFiles.builtIn("dcgan28")));
    assertEquals(8, m.getIrVersion());
    assertEquals(1, m.getOpsetImportCount());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals(17, m.getOpsetImport(0).getVersion());
    var in = m.getGraph().getInput(0);
    assertEquals("z", in.getName());
    assertEquals("N", in.getType().getTensorType().getShape().getDim(0).getDimParam());
    assertEquals(100, in.getType().getTensorType().getShape().getDim(1).getDimValue());
    var out = m.getGraph().getOutput(0);
    assertEquals("image", out.getName());
    assertEquals("N", out.getType().getTensorType().getShape().getDim(0).getDimParam());
    List<String> ops = new ArrayList<>();
    for (NodeProto n : m.getGraph().getNodeList()) ops.add(n.getOpType());
    assertEquals(
        List.of(
            "Reshape",
            "ConvTranspose",
            "BatchNormalization",
            "Relu",
            "ConvTranspose",
            "BatchNormalization",
            "Relu",
            "ConvTranspose",
            "Tanh",
            "Add",
            "Mul",
            "Clip"),
        ops);
    for (NodeProto n : m.getGraph().getNodeList()) {
      if (!n.getOpType().equals("ConvTranspose")) continue;
      Map<String, AttributeProto> a = new LinkedHashMap<>();
      for (AttributeProto p : n.getAttributeList()) a.put(p.getName(), p);
      assertFalse(a.containsKey("auto_pad"));
      assertFalse(a.containsKey("output_shape"));
      assertEquals(4, a.get("pads").getIntsCount());
      assertEquals(2, a.get("output_padding").getIntsCount());
    }
    Map<String, String> meta = new LinkedHashMap<>();
    m.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
    assertEquals(Map.of("run", "/runs/x", "seed", "42"), meta);
    assertTrue(m.getDocString().startsWith("generator: z: (N, 100)"), m.getDocString());
  }

  @Test
  void defaultGeneratorStateDictNames() {
    assertEquals(
        List.of(
            "0.weight",
            "1.weight",
            "1.bias",
            "1.running_mean",
            "1.running_var",
            "1.num_batches_tracked",
            "3.weight",
            "4.weight",
            "4.bias",
            "4.running_mean",
            "4.running_var",
            "4.num_batches_tracked",
            "6.weight",
            "6.bias"),
        new ArrayList<>(Network.GENERATOR.stateDict(ModelFiles.builtIn("dcgan28")).keySet()));
    assertEquals(
        List.of(
            "encoder.0.weight",
            "encoder.0.bias",
            "encoder.2.weight",
            "encoder.3.weight",
            "encoder.3.bias",
            "encoder.3.running_mean",
            "encoder.3.running_var",
            "encoder.3.num_batches_tracked",
            "encoder.6.weight",
            "encoder.6.bias",
            "mean.weight",
            "mean.bias",
            "log_variance.weight",
            "log_variance.bias"),
        new ArrayList<>(Network.ENCODER.stateDict(ModelFiles.builtIn("vae28")).keySet()));
  }
}
