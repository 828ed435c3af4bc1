package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Engine arrays made from Java values in memory the engine owns, for everything an autograd graph
 * may keep until its backward pass.
 *
 * <p>Why: DJL 0.36 on PyTorch wraps the direct buffer of an array made from Java values without
 * copying it ({@code torch::from_blob}, which owns nothing), and lets the buffer go when the array
 * is closed. A graph that saved the array — x·c saves c, max(x, c) saves c, a gather saves its
 * indices — keeps only the pointer, and once a garbage collection has reclaimed the buffer the
 * backward pass reads freed memory: wrong gradients at moments that depend on the collector, now
 * and then NaN. Every {@code Number} argument of DJL's arithmetic ({@code x.mul(0.5f)}) is such an
 * array, made and closed inside the call. With a collection between forward and backward, 127 of
 * 200 gradients of Σ 3x came out wrong that way; through {@link #scalar} none did.
 */
public final class Owned {
  private Owned() {}

  /** A 0-dimensional array holding {@code value}, of {@code like}'s type, in its manager. */
  public static NDArray scalar(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, like.getDataType());
  }

  /** {@code values} as an array of {@code shape} in engine-owned memory, in {@code manager}. */
  public static NDArray copy(NDManager manager, float[] values, Shape shape) {
    try (NDArray wrapped = manager.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /** {@code values} as a 1-dimensional int64 array in engine-owned memory, in {@code manager}. */
  public static NDArray copy(NDManager manager, long[] values) {
    try (NDArray wrapped = manager.create(values)) {
      return wrapped.duplicate();
    }
  }
}
