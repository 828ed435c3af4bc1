package org.convmirror.internal.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.nn.GradientPenalty;
import org.convmirror.internal.nn.HostBuffers;
import org.convmirror.internal.train.ClassLabels;

/**
 * The labels of a conditional GAN's steps (Mirza &amp; Osindero 2014): each real image's own, and
 * for each generated image one drawn uniformly over the classes; and the networks as functions that
 * take them. An unconditional GAN gets nulls and its networks unchanged.
 */
final class GanLabels {
  /** A discriminator step's labels, (N) int64 each: the real batch's and the generated batch's. */
  record Labelled(NDArray real, NDArray fake) {}

  private final int classes; // 0: unconditional
  private final HostBuffers real;
  private final HostBuffers fake;

  /**
   * @param slots the labelled steps of an iteration (discriminator steps, then the generator steps
   *     on fresh latents), each with its own upload buffers
   */
  GanLabels(int classes, int slots) {
    this.classes = classes;
    this.real = new HostBuffers(slots);
    this.fake = new HostBuffers(slots);
  }

  /** Step {@code k}'s labels on the engine; {@code random}: the iteration's LABELS stream. */
  Labelled draw(NDManager step, int k, Batch batch, SplittableRandom random) {
    if (classes == 0) return new Labelled(null, null);
    if (batch.labels() == null) {
      throw new IllegalStateException("a conditional GAN got a batch without labels");
    }
    NDArray fakeLabels = fake(step, k, batch.size(), random);
    return new Labelled(real.uploadLabels(step, k, batch.labels()), fakeLabels);
  }

  /** Labels for {@code n} generated images in {@code slot}, or null when unconditional. */
  NDArray fake(NDManager step, int slot, int n, SplittableRandom random) {
    if (classes == 0) return null;
    return fake.uploadLabels(step, slot, ClassLabels.uniform(random, n, classes));
  }

  /** D as a function of its images, given their labels (null when unconditional). */
  static UnaryOperator<NDArray> critic(Block d, ParameterStore store, NDArray labels) {
    if (labels == null) return GradientPenalty.critic(d, store);
    return x -> d.forward(store, new NDList(x, labels), true).singletonOrThrow();
  }

  /** A network's inputs: {@code x}, and its labels when the model is conditional. */
  static NDList inputs(NDArray x, NDArray labels) {
    return labels == null ? new NDList(x) : new NDList(x, labels);
  }
}
