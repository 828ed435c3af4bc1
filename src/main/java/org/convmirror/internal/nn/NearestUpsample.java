package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Nearest-neighbour resize of (N, C, H, W) to an exact (h, w), with source index {@code floor(dst *
 * in / out)} as in {@code torch.nn.functional.interpolate(size=(h, w), mode="nearest")}; used where
 * a mirrored generator must land on an odd size that strides alone cannot reach (the
 * resize-convolution of Odena et al. 2016, "Deconvolution and Checkerboard Artifacts", Distill).
 *
 * <p>The source index uses exact integer arithmetic; PyTorch computes {@code in / out} in float,
 * which can pick the previous row in rare ratios (e.g. 14 to 20), where the two may differ.
 */
public final class NearestUpsample extends AbstractBlock {

  private static final byte VERSION = 1;

  private final long height;
  private final long width;

  private NearestUpsample(long height, long width) {
    super(VERSION);
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "target size must be >= 1 x 1, was " + height + " x " + width);
    }
    this.height = height;
    this.width = width;
  }

  /** Returns a block resizing every input to exactly {@code height x width}. */
  public static NearestUpsample to(long height, long width) {
    return new NearestUpsample(height, width);
  }

  /**
   * Functional form: resizes x (N, C, H, W) to (N, C, height, width); differentiable.
   *
   * @return the resized array, in x's manager
   */
  public static NDArray resize(NDArray x, long height, long width) {
    Shape s = x.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("NearestUpsample expects (N, C, H, W), was " + s);
    }
    long h = s.get(2);
    long w = s.get(3);
    NDManager home = x.getManager();
    try (NDManager sub = home.newSubManager()) {
      x.tempAttach(sub);
      NDArray y;
      if (height % h == 0 && width % w == 0) {
        // Integer factor: floor(dst / f) repeats each row/column f times (repeat_interleave).
        y = x.repeat(2, height / h).repeat(3, width / w);
      } else {
        // Gathering by an index array is differentiable: the gradient scatter-adds back.
        NDArray rows = Owned.copy(sub, sourceIndices(h, height)); // the gather keeps them
        NDArray cols = Owned.copy(sub, sourceIndices(w, width));
        y = x.get(new NDIndex(":, :, {}", rows)).get(new NDIndex(":, :, :, {}", cols));
      }
      y.attach(home);
      return y;
    }
  }

  /** {@code floor(dst * in / out)} for dst in [0, out). */
  static long[] sourceIndices(long in, long out) {
    long[] idx = new long[Math.toIntExact(out)];
    for (int dst = 0; dst < idx.length; dst++) {
      idx[dst] = dst * in / out;
    }
    return idx;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(resize(inputs.singletonOrThrow(), height, width));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0]; // (N, C, H, W) -> (N, C, height, width)
    return new Shape[] {new Shape(in.get(0), in.get(1), height, width)};
  }

  @Override
  public String toString() {
    return "NearestUpsample(" + height + " x " + width + ")";
  }
}
