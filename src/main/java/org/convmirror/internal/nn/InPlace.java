package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Overwrites an engine array's values in place, keeping its identity (a parameter stays the same
 * object, with its gradient slot).
 *
 * <p>Why not {@code NDArray.set(ByteBuffer)}: on the PyTorch engine it runs DJL's native {@code
 * torchSet}, which opens a {@code torch::AutoNonVariableTypeMode} guard, and libtorch 2.x answers
 * the first one in a process with a multi-line deprecation warning on stderr that no log level
 * silences (DJL's JNI never calls {@code c10::initLogging}, so {@code TORCH_CPP_LOG_LEVEL} is not
 * read). It also routes every value through a JVM direct buffer that the tensor then keeps as its
 * storage. A full-slice assignment is libtorch's own {@code index_put_}: no guard, no copy through
 * the JVM.
 */
public final class InPlace {
  private static final NDIndex ALL = new NDIndex("...");

  private InPlace() {}

  /**
   * Copies {@code from}'s values into {@code into} (same shape). Call it outside a gradient
   * collector: grad mode is off there, so an in-place write into a parameter is allowed.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static void copy(NDArray from, NDArray into) {
    if (!from.getShape().equals(into.getShape())) {
      throw new IllegalArgumentException(
          "cannot copy an array of shape " + from.getShape() + " into one of " + into.getShape());
    }
    into.set(ALL, from);
  }

  /** Copies {@code values} (as many as {@code into} holds, in its order) into {@code into}. */
  public static void copy(float[] values, NDArray into) {
    try (NDManager tmp = into.getManager().newSubManager()) {
      copy(tmp.create(values, into.getShape()), into);
    }
  }
}
