package org.convmirror.internal.export;

import java.util.Arrays;

/**
 * A host copy of one array in row-major order: 32-bit floats for weights and statistics, or 64-bit
 * integers for PyTorch's batch-norm counter {@code num_batches_tracked}.
 */
public record Tensor(DType dtype, long[] shape, float[] floats, long[] longs) {

  /** The element types an export writes and an import accepts, by their safetensors names. */
  public enum DType {
    F32(4),
    I64(8);

    private final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }
  }

  public Tensor {
    shape = shape.clone();
    long n = size(shape);
    long have = dtype == DType.F32 ? floats.length : longs.length;
    if (have != n) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + have);
    }
  }

  public static Tensor f32(long[] shape, float[] values) {
    return new Tensor(DType.F32, shape, values, null);
  }

  public static Tensor i64(long[] shape, long[] values) {
    return new Tensor(DType.I64, shape, null, values);
  }

  /** Elements of a shape; 1 for a scalar (shape {@code []}). */
  public static long size(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  public long size() {
    return size(shape);
  }

  /** {@code (100, 128, 7, 7)}, as PyTorch prints a size; {@code ()} for a scalar. */
  public static String describe(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }
}
