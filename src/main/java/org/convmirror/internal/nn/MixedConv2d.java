package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.convmirror.options.Precision;

/**
 * DJL's {@link Conv2d} (the same parameters, checkpoints and exports) whose convolution runs in
 * bfloat16 under {@link Precision#BF16} where {@link MixedPrecision} says it pays; DJL's own
 * float32 convolution otherwise.
 */
final class MixedConv2d extends Conv2d {
  private final Precision precision;

  MixedConv2d(Conv2d.Builder b, Precision precision) {
    super(b);
    this.precision = precision;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    if (groups != 1 || !MixedPrecision.applies(precision, x, x.getShape().get(1), filters)) {
      return super.forwardInternal(store, inputs, training, params);
    }
    NDArray w = store.getValue(weight, x.getDevice(), training);
    NDArray y =
        MixedPrecision.conv2d(x, w, stride.getShape(), padding.getShape(), dilation.getShape());
    if (includeBias) y = y.add(store.getValue(bias, x.getDevice(), training).reshape(1, -1, 1, 1));
    return new NDList(y);
  }
}
