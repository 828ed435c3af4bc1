package org.convmirror.internal.export;

import java.util.ArrayList;
import java.util.List;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Pair;

/**
 * One child of a network's sequence as DJL builds it and as PyTorch's {@code nn.Sequential} would
 * hold it, with the names and shapes of its parameters and buffers in {@code state_dict} order.
 * Engine-free: the same description drives the ONNX graph, the generated {@code model.py} and the
 * import check.
 */
public sealed interface Layer {

  /** One entry of a {@code state_dict}, relative to its layer: {@code weight}, {@code bias}, … */
  record Param(String name, long[] shape, Tensor.DType dtype) {}

  /** The layer's parameters and buffers; none for activations, pooling, reshapes. */
  default List<Param> parameters() {
    return List.of();
  }

  /**
   * A convolution, {@code nn.Conv2d}; weight (out, in, kH, kW). With spectral norm it is stored as
   * PyTorch's {@code torch.nn.utils.spectral_norm} stores it: {@code weight_orig}, {@code
   * weight_u}, {@code weight_v}.
   */
  record Conv(
      int in,
      int out,
      Pair kernel,
      Pair stride,
      Pair padding,
      Pair dilation,
      boolean bias,
      boolean spectralNorm)
      implements Layer {
    @Override
    public List<Param> parameters() {
      return weights(
          new long[] {out, in, kernel.height(), kernel.width()}, out, bias, spectralNorm);
    }
  }

  /** A transposed convolution, {@code nn.ConvTranspose2d}; weight (in, out, kH, kW). */
  record ConvTranspose(
      int in,
      int out,
      Pair kernel,
      Pair stride,
      Pair padding,
      Pair outputPadding,
      Pair dilation,
      boolean bias)
      implements Layer {
    @Override
    public List<Param> parameters() {
      return weights(new long[] {in, out, kernel.height(), kernel.width()}, out, bias, false);
    }
  }

  /** A fully connected layer, {@code nn.Linear}; weight (out, in). */
  record Dense(int in, int out, boolean bias, boolean spectralNorm) implements Layer {
    @Override
    public List<Param> parameters() {
      return weights(new long[] {out, in}, out, bias, spectralNorm);
    }
  }

  /**
   * Batch norm in inference form, {@code nn.BatchNorm2d} ({@code spatial}) or {@code
   * nn.BatchNorm1d}, with DJL's settings: ε = 1e-5, PyTorch momentum 0.1.
   */
  record BatchNorm(int features, boolean spatial) implements Layer {
    public static final float EPSILON = 1e-5f;

    @Override
    public List<Param> parameters() {
      long[] c = {features};
      return List.of(
          new Param("weight", c, Tensor.DType.F32),
          new Param("bias", c, Tensor.DType.F32),
          new Param("running_mean", c, Tensor.DType.F32),
          new Param("running_var", c, Tensor.DType.F32),
          new Param("num_batches_tracked", new long[0], Tensor.DType.I64));
    }
  }

  /**
   * Conditional batch norm (de Vries et al. 2017): {@code norm}, a batch norm without scale and
   * shift ({@code affine=False}), then per-class scale {@code weight[y]} and shift {@code bias[y]},
   * each table (classes, features).
   */
  record ConditionalBatchNorm(int features, int classes, boolean spatial) implements Layer {
    @Override
    public List<Param> parameters() {
      long[] table = {classes, features};
      long[] c = {features};
      return List.of(
          new Param("weight", table, Tensor.DType.F32),
          new Param("bias", table, Tensor.DType.F32),
          new Param("norm.running_mean", c, Tensor.DType.F32),
          new Param("norm.running_var", c, Tensor.DType.F32),
          new Param("norm.num_batches_tracked", new long[0], Tensor.DType.I64));
    }
  }

  /**
   * A class-label lookup table, {@code nn.Embedding(classes, width)}; weight (classes, width): a
   * conditional generator's label embedding or a projection discriminator's V.
   */
  record Embedding(int classes, int width) implements Layer {
    @Override
    public List<Param> parameters() {
      return List.of(new Param("weight", new long[] {classes, width}, Tensor.DType.F32));
    }
  }

  /** An element-wise non-linearity (never {@code none}: that adds no layer). */
  record Act(Activation activation) implements Layer {}

  /** Max-pooling without padding, {@code nn.MaxPool2d(kernel, stride)}. */
  record MaxPool(Pair kernel, Pair stride) implements Layer {}

  /**
   * Nearest-neighbour resize from {@code in} to exactly height × width with source index
   * ⌊dst·in/out⌋, as {@code nn.NearestUpsample} computes it.
   */
  record Upsample(ImageShape in, int height, int width) implements Layer {}

  /** (N, C, H, W) → (N, C·H·W). */
  record Flatten() implements Layer {}

  /** (N, C·H·W) → (N, C, H, W). */
  record Unflatten(ImageShape shape) implements Layer {}

  /** Dropout: the identity in inference, kept so that indices match DJL's and PyTorch's. */
  record Dropout(double rate) implements Layer {}

  private static List<Param> weights(long[] weight, int out, boolean bias, boolean spectralNorm) {
    List<Param> p = new ArrayList<>();
    p.add(new Param(spectralNorm ? "weight_orig" : "weight", weight, Tensor.DType.F32));
    if (bias) p.add(new Param("bias", new long[] {out}, Tensor.DType.F32));
    if (spectralNorm) {
      long columns = Tensor.size(weight) / weight[0];
      p.add(new Param("weight_u", new long[] {weight[0]}, Tensor.DType.F32));
      p.add(new Param("weight_v", new long[] {columns}, Tensor.DType.F32));
    }
    return p;
  }
}
