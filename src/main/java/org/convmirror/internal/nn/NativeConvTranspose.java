package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import java.io.IOException;

/**
 * libtorch's own {@code conv_transpose2d} (forward and backward kernels), reached through a one-op
 * TorchScript module shipped as a resource ({@code conv_transpose2d.pt}, written by {@code
 * tools/make_conv_transpose_module.py}): DJL 0.36 exposes no transposed convolution on PyTorch, but
 * runs TorchScript modules with autograd recording.
 *
 * <p>The module is loaded once per process, see {@link TorchScript}.
 */
final class NativeConvTranspose {
  private NativeConvTranspose() {}

  private static final class Holder {
    static final PtSymbolBlock MODULE = load();

    private static PtSymbolBlock load() {
      try {
        return TorchScript.load("conv_transpose2d.pt");
      } catch (IOException | RuntimeException e) {
        return null; // the sub-pixel decomposition takes over
      }
    }
  }

  /** Whether the native kernel can run {@code x}'s op. */
  static boolean available(NDArray x) {
    return x instanceof PtNDArray && Holder.MODULE != null;
  }

  /** {@code conv_transpose2d(x, w)} without bias, in x's manager, recorded for autograd. */
  static NDArray convTranspose2d(
      NDArray x, NDArray w, int[] stride, int[] padding, int[] outPad, int[] dilation) {
    NDArray geometry = TorchScript.geometry(new long[0], stride, padding, outPad, dilation);
    return TorchScript.call(Holder.MODULE, x, w, geometry).singletonOrThrow();
  }
}
