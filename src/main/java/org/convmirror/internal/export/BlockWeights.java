package org.convmirror.internal.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.nn.ConditionalBatchNorm;
import org.convmirror.internal.nn.ConvTranspose2d;
import org.convmirror.internal.nn.InPlace;
import org.convmirror.internal.nn.LabelTable;
import org.convmirror.internal.nn.NearestUpsample;
import org.convmirror.internal.nn.SnConv2d;
import org.convmirror.internal.nn.SnLinear;

/**
 * Moves weights between DJL blocks and PyTorch {@code state_dict} names: DJL's {@code gamma}/{@code
 * beta}/{@code runningMean}/{@code runningVar} are PyTorch's {@code weight}/{@code bias}/{@code
 * running_mean}/{@code running_var}, a spectrally normalised weight with its power iteration
 * vectors {@code u}, {@code v} is {@code weight_orig}/{@code weight_u}/{@code weight_v}; every
 * other name and layout is already PyTorch's. Each DJL child is checked against the layer it should
 * be, so a block built from another spec fails loudly instead of exporting nonsense.
 */
final class BlockWeights {
  private BlockWeights() {}

  /**
   * Host copies of a part's weights by state_dict key.
   *
   * @param batchesTracked the value written for every {@code num_batches_tracked}
   */
  static Map<String, Tensor> read(Block block, Part part, long batchesTracked) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    List<Block> children = children(block, part);
    for (int i = 0; i < children.size(); i++) {
      Layer layer = part.layers().get(i);
      Map<String, Parameter> params = parameters(children.get(i), layer, part, i);
      for (Layer.Param p : layer.parameters()) {
        String key = part.key(i, p.name());
        if (p.dtype() == Tensor.DType.I64) {
          out.put(key, Tensor.i64(p.shape(), new long[] {batchesTracked}));
          continue;
        }
        NDArray a = params.get(p.name()).getArray();
        long[] shape = a.getShape().getShape();
        if (!Arrays.equals(shape, p.shape())) throw mismatch(key, p.shape(), shape);
        out.put(key, Tensor.f32(shape, a.toFloatArray()));
      }
    }
    return out;
  }

  /**
   * Overwrites a part's weights in place (arrays keep their identity, so an optimizer that holds
   * them sees the new values); {@code num_batches_tracked} has no DJL counterpart and is skipped.
   */
  static void load(Block block, Part part, Map<String, Tensor> weights) {
    List<Block> children = children(block, part);
    for (int i = 0; i < children.size(); i++) {
      Layer layer = part.layers().get(i);
      Map<String, Parameter> params = parameters(children.get(i), layer, part, i);
      for (Layer.Param p : layer.parameters()) {
        if (p.dtype() == Tensor.DType.I64) continue;
        String key = part.key(i, p.name());
        set(params.get(p.name()).getArray(), weights.get(key), key);
      }
    }
  }

  /** Copies one host tensor into an engine array of the same shape. */
  static void set(NDArray array, Tensor t, String key) {
    long[] shape = array.getShape().getShape();
    if (!Arrays.equals(shape, t.shape())) throw mismatch(key, shape, t.shape());
    InPlace.copy(t.floats(), array); // not NDArray.set(Buffer): see InPlace
  }

  private static List<Block> children(Block block, Part part) {
    // A label table is a direct parameter of the conditional block, not a child.
    List<Block> children =
        part.sequential() ? new ArrayList<>(block.getChildren().values()) : List.of(block);
    if (children.size() != part.layers().size()) {
      throw new IllegalStateException(
          "block '"
              + part.name()
              + "' has "
              + children.size()
              + " children, its spec "
              + part.layers().size()
              + " layers");
    }
    return children;
  }

  /** The child's parameters by PyTorch name, after checking it is the expected block. */
  private static Map<String, Parameter> parameters(Block child, Layer layer, Part part, int i) {
    boolean sn = spectralNorm(layer);
    if (!expectedClass(layer).isInstance(child)) {
      throw new IllegalStateException(
          part.key(i, "") + " is a " + child.getClass().getSimpleName() + ", expected " + layer);
    }
    Map<String, Parameter> out = new LinkedHashMap<>();
    if (layer instanceof Layer.Embedding) {
      out.put("weight", ((LabelTable) child).table());
    } else if (layer instanceof Layer.ConditionalBatchNorm) {
      for (var p : child.getDirectParameters()) out.put(torchName(p.getKey(), false), p.getValue());
      // The inner norm's own γ and β are frozen at 1 and 0 (affine=False); only its statistics.
      for (var p : child.getChildren().valueAt(0).getParameters()) {
        String name = torchName(p.getKey(), false);
        if (name.startsWith("running_")) out.put("norm." + name, p.getValue());
      }
    } else {
      for (var p : child.getParameters()) {
        out.put(torchName(p.getKey(), sn), p.getValue());
      }
    }
    int expectedCount = 0;
    for (Layer.Param p : layer.parameters()) if (p.dtype() == Tensor.DType.F32) expectedCount++;
    if (out.size() != expectedCount) {
      throw new IllegalStateException(
          part.key(i, "") + " has parameters " + out.keySet() + ", expected " + layer.parameters());
    }
    return out;
  }

  private static String torchName(String djl, boolean spectralNorm) {
    return switch (djl) {
      case "gamma" -> "weight";
      case "beta" -> "bias";
      case "runningMean" -> "running_mean";
      case "runningVar" -> "running_var";
      case "weight" -> spectralNorm ? "weight_orig" : "weight";
      case "u" -> "weight_u";
      case "v" -> "weight_v";
      default -> djl;
    };
  }

  private static boolean spectralNorm(Layer layer) {
    return layer instanceof Layer.Conv c && c.spectralNorm()
        || layer instanceof Layer.Dense d && d.spectralNorm();
  }

  private static Class<?> expectedClass(Layer layer) {
    boolean sn = spectralNorm(layer);
    if (layer instanceof Layer.Conv) return sn ? SnConv2d.class : Conv2d.class;
    if (layer instanceof Layer.Dense) return sn ? SnLinear.class : Linear.class;
    if (layer instanceof Layer.ConvTranspose) return ConvTranspose2d.class;
    if (layer instanceof Layer.BatchNorm) return BatchNorm.class;
    if (layer instanceof Layer.ConditionalBatchNorm) return ConditionalBatchNorm.class;
    if (layer instanceof Layer.Embedding) return LabelTable.class;
    if (layer instanceof Layer.Upsample) return NearestUpsample.class;
    if (layer instanceof Layer.Dropout) return Dropout.class;
    return Block.class; // activations, pooling and reshapes: DJL lambda blocks
  }

  private static IllegalStateException mismatch(String key, long[] expected, long[] actual) {
    return new IllegalStateException(
        key
            + ": expected shape "
            + Tensor.describe(expected)
            + ", found "
            + Tensor.describe(actual));
  }
}
