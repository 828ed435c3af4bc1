package org.convmirror.internal.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The machine's practical compute limit: GFLOP/s of a large float32 matrix multiply through
 * libtorch (MKL sgemm), with the engine's thread settings — the same path and threads as training.
 */
public final class MatmulProbe {
  private MatmulProbe() {}

  /**
   * Times {@code reps} products of two n×n float32 matrices after one warm-up product.
   *
   * @return GFLOP/s of each product, counting 2·n³ floating-point operations
   */
  public static double[] gflops(NDManager parent, int n, int reps) {
    double[] out = new double[reps];
    try (NDManager m = parent.newSubManager()) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
      a.matMul(b).close();
      for (int i = 0; i < reps; i++) {
        long t = System.nanoTime();
        NDArray c = a.matMul(b);
        c.getFloat(0, 0); // on the CPU the product is already done; this only makes sure
        double s = (System.nanoTime() - t) / 1e9;
        c.close();
        out[i] = 2.0 * n * n * n / s / 1e9;
      }
    }
    return out;
  }
}
