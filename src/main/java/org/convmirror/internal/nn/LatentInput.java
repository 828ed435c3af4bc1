package org.convmirror.internal.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * What a derived half (generator, decoder) takes for each image: a latent vector and, in a
 * conditional model, a class label.
 *
 * @param latent the latent vector's size
 * @param asMap whether the vector goes in as a latent×1×1 map (an unconditional DCGAN-style
 *     generator); a conditional generator takes (N, latent) and joins the label itself
 * @param classes the class count of a conditional model, 0 for an unconditional one
 */
public record LatentInput(int latent, boolean asMap, int classes) {

  /** The input of {@code net}, the derived half of {@code spec} (classes resolved). */
  public static LatentInput of(ModelSpec spec, DeconvNet net) {
    if (!spec.isConditional()) return new LatentInput(net.latent(), net.dense().isEmpty(), 0);
    return new LatentInput(spec.latent(), false, spec.conditioning().classes());
  }

  public boolean conditional() {
    return classes > 0;
  }

  /** The shape of {@code n} latent vectors. */
  public Shape latentShape(long n) {
    return asMap ? new Shape(n, latent, 1, 1) : new Shape(n, latent);
  }

  /** The input shapes for {@code n} images: latents, and labels (n) when conditional. */
  public Shape[] shapes(long n) {
    return conditional()
        ? new Shape[] {latentShape(n), new Shape(n)}
        : new Shape[] {latentShape(n)};
  }

  /**
   * The inputs for {@code n} images: latent vectors {@code z} (n × latent values) and, when
   * conditional, their {@code labels}.
   */
  public NDList create(NDManager manager, float[] z, int[] labels, int n) {
    checkLabels(labels, n);
    NDList in = new NDList(manager.create(z, latentShape(n)));
    if (conditional()) in.add(Labels.create(manager, labels));
    return in;
  }

  /**
   * As {@link #create(NDManager, float[], int[], int)}, through {@code buffers}' slots 0 and 1
   * (reused direct buffers: a fresh one costs ~38 µs against ~10 µs, some 5 % of drawing one
   * dcgan28 image): the arrays share the slots' memory, so they must be closed before the same
   * buffers are used again.
   */
  public NDList create(NDManager manager, HostBuffers buffers, float[] z, int[] labels, int n) {
    checkLabels(labels, n);
    NDList in = new NDList(buffers.upload(manager, 0, z, latentShape(n)));
    if (conditional()) in.add(buffers.uploadLabels(manager, 1, labels));
    return in;
  }

  private void checkLabels(int[] labels, int n) {
    if (conditional() && (labels == null || labels.length != n)) {
      throw new IllegalArgumentException("a conditional model needs one label per image");
    }
  }
}
