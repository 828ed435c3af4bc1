package org.convmirror.internal.export;

/**
 * The weight a spectrally normalised layer uses in inference, W/σ with σ = uᵀ·W·v from its stored
 * power-iteration vectors (Miyato et al. 2018; {@code nn.SpectralNormBlock}), for formats that
 * carry the effective weight only (ONNX).
 */
final class SpectralNorm {
  private SpectralNorm() {}

  /**
   * W/σ for W (out, …) viewed as a matrix (out, rest), u (out) and v (rest).
   *
   * @return the normalised weight, W's shape and order
   */
  static float[] divide(Tensor weight, Tensor u, Tensor v) {
    float[] w = weight.floats();
    int rows = (int) weight.shape()[0];
    int cols = w.length / rows;
    double sigma = 0;
    for (int i = 0; i < rows; i++) {
      double wv = 0;
      for (int j = 0; j < cols; j++) wv += (double) w[i * cols + j] * v.floats()[j];
      sigma += u.floats()[i] * wv;
    }
    // Divided in float by a float σ, as the engine divides.
    float s = (float) sigma;
    float[] out = new float[w.length];
    for (int k = 0; k < w.length; k++) out[k] = w[k] / s;
    return out;
  }
}
