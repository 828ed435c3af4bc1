package org.convmirror.internal.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.nn.Labels;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.spec.ImageShape;

/**
 * Images from a VAE in inference mode, all in [0, 1]: decoded prior samples z ~ N(0, I),
 * reconstructions of given images through the posterior mean, and walks through latent space
 * between two images (as in Kingma &amp; Welling 2014, fig. 4). A conditional VAE is given each
 * image's class: its own label for an input image, the class asked for when sampling.
 */
public final class VaeSampler {
  private VaeSampler() {}

  /** Decodes latents {@code z} (N, latent) into N×C×H×W pixels in [0, 1]. */
  public static float[] decode(VaeModel model, NDArray z) {
    return decode(model, z, null);
  }

  /** As above for the classes {@code labels} (N, int64), null for an unconditional VAE. */
  public static float[] decode(VaeModel model, NDArray z, NDArray labels) {
    try (NDManager tmp = model.manager().newSubManager()) {
      NDArray input = z.duplicate();
      input.attach(tmp);
      NDArray y = null;
      if (labels != null) {
        y = labels.duplicate();
        y.attach(tmp);
      }
      return model.toPixels(model.decode(input, y, false)).toFloatArray();
    }
  }

  /**
   * The posterior means μ(x) of {@code n} images (N×C×H×W in [-1, 1]), as (N, latent); {@code
   * labels} are their classes, null for an unconditional VAE.
   */
  public static NDArray encodeMean(
      VaeModel model, NDManager into, float[] images, int[] labels, int n) {
    NDArray x = into.create(images, Networks.imageShape(model.spec().image(), n));
    NDArray y = labels == null ? null : Labels.create(into, labels);
    return model.encode(x, y, false).mean();
  }

  /**
   * The labels of the first {@code n} images of {@code data} if the VAE takes labels, else null.
   */
  static int[] labels(VaeModel model, ImageSet data, int first, int n) {
    if (model.classes() == 0) return null;
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = data.label(first + i);
    return y;
  }

  /**
   * The first {@code count} images of {@code data} and their reconstructions (decoded posterior
   * means), laid out for a grid {@code cols} wide: each row of inputs is followed by the row of
   * their reconstructions; a short last row is padded with black.
   */
  public static ImageBatch reconstructions(VaeModel model, ImageSet data, int count, int cols) {
    int n = Math.min(count, data.count());
    int size = data.imageSize();
    float[] inputs = new float[n * size];
    for (int i = 0; i < n; i++) data.copyImage(i, inputs, i * size);
    float[] recon;
    try (NDManager tmp = model.manager().newSubManager()) {
      int[] y = labels(model, data, 0, n);
      recon =
          decode(
              model,
              encodeMean(model, tmp, inputs, y, n),
              y == null ? null : Labels.create(tmp, y));
    }
    float[] shown = ImageSet.toUnitRange(inputs);
    int rows = (n + cols - 1) / cols;
    float[] grid = new float[2 * rows * cols * size];
    for (int i = 0; i < n; i++) {
      int top = (2 * (i / cols) * cols + i % cols) * size;
      System.arraycopy(shown, i * size, grid, top, size);
      System.arraycopy(recon, i * size, grid, top + cols * size, size);
    }
    return batch(model, grid, 2 * rows * cols);
  }

  /**
   * {@code steps} decodings of (1 − t)·μ(a) + t·μ(b) for t from 0 to 1, a and b single images in
   * [-1, 1].
   */
  public static ImageBatch interpolation(VaeModel model, float[] a, float[] b, int steps) {
    return interpolation(model, a, -1, b, -1, steps);
  }

  /**
   * As above for a conditional VAE, a of class {@code classA} and b of class {@code classB}: each
   * is encoded with its own class, and the walk is decoded as class a up to its midpoint and as
   * class b after it, so that it starts at a's reconstruction and ends at b's. Classes are ignored
   * (pass −1) for an unconditional VAE.
   */
  public static ImageBatch interpolation(
      VaeModel model, float[] a, int classA, float[] b, int classB, int steps) {
    if (steps < 2) throw new IllegalArgumentException("--steps must be ≥ 2, was " + steps);
    int size = a.length;
    float[] pair = new float[2 * size];
    System.arraycopy(a, 0, pair, 0, size);
    System.arraycopy(b, 0, pair, size, size);
    boolean conditional = model.classes() > 0;
    try (NDManager tmp = model.manager().newSubManager()) {
      NDArray mu = encodeMean(model, tmp, pair, conditional ? new int[] {classA, classB} : null, 2);
      NDArray za = mu.get(0);
      NDArray zb = mu.get(1);
      NDArray t = tmp.linspace(0f, 1f, steps).reshape(steps, 1);
      NDArray z = za.expandDims(0).mul(t.neg().add(1)).add(zb.expandDims(0).mul(t));
      NDArray y = null;
      if (conditional) {
        int[] walk = new int[steps];
        for (int s = 0; s < steps; s++) walk[s] = 2 * s < steps - 1 ? classA : classB;
        y = Labels.create(tmp, walk);
      }
      return batch(model, decode(model, z, y), steps);
    }
  }

  /** ×3 for 28-pixel images, ×1 from 96 pixels up (as the GAN grids). */
  public static int scale(int height) {
    return Math.max(1, Math.min(4, 96 / height));
  }

  private static ImageBatch batch(VaeModel model, float[] pixels, int n) {
    ImageShape s = model.spec().image();
    return new ImageBatch(pixels, n, s.channels(), s.height(), s.width());
  }
}
