package org.convmirror.shape;

import java.util.Optional;
import org.convmirror.spec.ModelKind;

/**
 * A floor under the memory one training step needs, from the two plans alone: float32 weights,
 * their gradients, Adam's two moments (Kingma &amp; Ba 2015), a GAN generator's weight average, and
 * the activations autograd keeps for the backward pass. libtorch's workspaces (im2col buffers,
 * gradients of activations) come on top, so a model above the floor cannot train, and one below it
 * may still be tight.
 *
 * <p>Saved activations per image and layer: the layer's output, plus batch norm's output, the
 * non-linearity's output and dropout's mask where they apply; max-pooling keeps its output and
 * int64 indices. A GAN step holds the generator's graph (its fake batch is reused by the generator
 * update) and the discriminator's for a real and a fake batch; a VAE step the encoder's and the
 * decoder's for one batch.
 *
 * @param weights bytes of the trainable parameters of both networks
 * @param gradients bytes of their gradients
 * @param adamMoments bytes of Adam's first and second moments
 * @param weightAverage bytes of the GAN generator's weight average (EMA); 0 for a VAE
 * @param activationsPerImage bytes autograd keeps per image of the batch
 * @param batchSize images per batch
 */
public record MemoryEstimate(
    long weights,
    long gradients,
    long adamMoments,
    long weightAverage,
    long activationsPerImage,
    int batchSize) {

  private static final long FLOAT = Float.BYTES;

  /** The estimate for training {@code kind} with plans of its declared and derived halves. */
  public static MemoryEstimate training(
      ModelKind kind, Plan declared, Plan derived, int batchSize) {
    if (batchSize < 1)
      throw new IllegalArgumentException("batch size must be ≥ 1, was " + batchSize);
    long params = declared.parameters() + derived.parameters();
    long image = values(declared.input());
    long perImage =
        kind == ModelKind.GAN
            ? image + saved(derived) + 2 * saved(declared) // G's graph; D on real and on fake
            : image + saved(declared) + saved(derived);
    return new MemoryEstimate(
        params * FLOAT,
        params * FLOAT,
        2 * params * FLOAT,
        kind == ModelKind.GAN ? derived.parameters() * FLOAT : 0,
        perImage * FLOAT,
        batchSize);
  }

  /** Bytes of activations for the whole batch. */
  public long activations() {
    return Math.multiplyExact(activationsPerImage, (long) batchSize);
  }

  /** Bytes that do not grow with the batch. */
  public long fixed() {
    return weights + gradients + adamMoments + weightAverage;
  }

  /** The whole floor, in bytes. */
  public long total() {
    return fixed() + activations();
  }

  /**
   * One line saying why training cannot fit in {@code availableBytes}, with the largest batch that
   * would; empty if it fits.
   */
  public Optional<String> exceeds(long availableBytes) {
    if (total() <= availableBytes) return Optional.empty();
    long fitting = availableBytes > fixed() ? (availableBytes - fixed()) / activationsPerImage : 0;
    String advice =
        fitting >= 2
            ? "use --batch-size " + Math.min(fitting, batchSize - 1) + " or less, or fewer filters"
            : "use fewer filters or layers (the weights alone need "
                + Bytes.format(fixed())
                + " with their gradients and optimizer state)";
    return Optional.of(
        "training this model at batch size "
            + batchSize
            + " needs at least "
            + Bytes.format(total())
            + " (weights "
            + Bytes.format(weights)
            + ", gradients "
            + Bytes.format(gradients)
            + ", Adam moments "
            + Bytes.format(adamMoments)
            + (weightAverage > 0 ? ", weight average " + Bytes.format(weightAverage) : "")
            + ", activations "
            + Bytes.format(activations())
            + "), more than the "
            + Bytes.format(availableBytes)
            + " of memory available; "
            + advice);
  }

  /** Values autograd keeps per image for one network's backward pass. */
  static long saved(Plan plan) {
    long n = 0;
    for (LayerPlan l : plan.layers()) {
      // A layer's output is also the next layer's saved input, so inputs are not counted again.
      int kept =
          switch (l.kind()) {
            case "reshape" -> 0; // a view
            case "upsample" -> 1;
            case "max_pool" -> 3; // values and int64 indices
            default ->
                1 + (Boolean.TRUE.equals(l.batchNorm()) ? 1 : 0) + (l.activation() != null ? 1 : 0);
          };
      if (l.dropout() != null) kept++; // its mask
      n += values(l.output()) * kept;
    }
    return n;
  }

  private static long values(int[] shape) {
    long n = 1;
    for (int d : shape) n *= d;
    return n;
  }
}
