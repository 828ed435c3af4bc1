package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Class labels on the engine: (N) int64 arrays, and the table lookups that read them. */
public final class Labels {
  private Labels() {}

  /** Labels as an (N) int64 array, the index type every lookup takes. */
  public static NDArray create(NDManager manager, int[] labels) {
    long[] values = new long[labels.length];
    for (int i = 0; i < labels.length; i++) values[i] = labels[i];
    return manager.create(values, new Shape(labels.length));
  }

  /**
   * Row y[i] of {@code table} for each i: (N, width) from a (classes, width) table, differentiable
   * in the table (the gradient adds back into the rows that were read). The result lands in the
   * table's manager: call it inside a sub-manager the table is lent to.
   */
  public static NDArray rows(NDArray table, NDArray labels) {
    if (labels.getDataType() != DataType.INT64) {
      throw new IllegalArgumentException("labels must be int64, were " + labels.getDataType());
    }
    return table.get(new NDIndex("{}", labels));
  }
}
