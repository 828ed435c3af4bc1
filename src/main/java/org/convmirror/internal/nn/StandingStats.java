package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convmirror.internal.data.Seeds;

/**
 * "Standing statistics" for a generator's batch norm (Brock, Donahue &amp; Simonyan 2019, BigGAN,
 * arXiv:1809.11096, §4 and appendix): the running statistics become the exact average, over {@link
 * #PASSES} batches of fresh noise, of the per-batch mean and variance each batch norm sees, with
 * the layers before it in training mode. Samples drawn afterwards in inference mode then depend
 * neither on the sampling batch size (as batch statistics would) nor on stale averages from
 * training.
 *
 * <p>Each statistic is what PyTorch's batch norm itself stores: the batch mean and the
 * <em>unbiased</em> batch variance (n/(n−1), n = N·H·W); averaged over passes that is an unbiased
 * estimate of the population variance. How it is read: before every pass each running statistic is
 * set to 0, so that the pass leaves momentum·(batch statistic) in it. DJL's {@code BatchNorm}
 * exposes no momentum and its PyTorch engine passes 1 − momentum to libtorch, so rather than depend
 * on either, the momentum is measured once per layer on a constant input.
 *
 * <p>The noise is drawn in Java ({@link Seeds}, keyed by seed and pass), dropout is skipped (as in
 * inference), and other non-trainable state such as spectral-norm vectors is restored, so the
 * result depends only on the weights and the seed, and calling it twice changes nothing.
 */
public final class StandingStats {
  /** Passes and batch size used by training and sampling alike. */
  public static final int PASSES = 32;

  public static final int BATCH = 64;

  private StandingStats() {}

  /**
   * Recomputes the running statistics of every batch norm in {@code block}.
   *
   * @param inputShape the shape of one batch of latent vectors, e.g. (64, latent, 1, 1)
   * @param seed seeds the noise, so the statistics are reproducible
   */
  public static void recompute(
      Block block, ParameterStore store, NDManager parent, Shape inputShape, long seed) {
    recompute(block, store, parent, inputShape, 0, seed);
  }

  /**
   * Recomputes the running statistics of a generator that takes labels too ({@link
   * ConditionalGenerator}): image i of pass p gets label (p·batch + i) mod {@code classes}, so
   * every class is seen equally often over the passes — the statistics of the class-uniform mixture
   * that sampling draws from. A conditional batch norm normalises with these shared statistics.
   *
   * @param classes the generator's class count, 0 for one that takes latent vectors only
   */
  public static void recompute(
      Block block,
      ParameterStore store,
      NDManager parent,
      Shape inputShape,
      int classes,
      long seed) {
    List<Layer> layers = new ArrayList<>();
    collect(block, layers, true);
    if (layers.isEmpty()) return;
    List<Saved> other = saveOtherState(block, layers);
    try (NDManager tmp = parent.newSubManager()) {
      for (Layer l : layers) l.measureMomentum(store, tmp);
    }
    HostBuffers upload = new HostBuffers(1);
    int size = Math.toIntExact(inputShape.size());
    for (int pass = 0; pass < PASSES; pass++) {
      for (Layer l : layers) l.clear();
      float[] z = Seeds.gaussian(Seeds.random(seed, 0, pass), size);
      try (NDManager tmp = parent.newSubManager()) {
        NDArray labels = classes > 0 ? Labels.create(tmp, labels(pass, inputShape, classes)) : null;
        forward(block, store, upload.upload(tmp, 0, z, inputShape), labels);
      }
      for (Layer l : layers) l.accumulate();
    }
    for (Layer l : layers) l.store(PASSES);
    for (Saved s : other) InPlace.copy(s.values, s.parameter.getArray());
  }

  /** Pass {@code pass}'s labels: (pass·batch + i) mod classes. */
  static int[] labels(int pass, Shape inputShape, int classes) {
    int batch = Math.toIntExact(inputShape.get(0));
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) y[i] = (int) (((long) pass * batch + i) % classes);
    return y;
  }

  /** A training-mode forward pass with dropout left out, as in inference. */
  private static NDArray forward(Block block, ParameterStore store, NDArray x, NDArray labels) {
    if (block instanceof Dropout) return x;
    if (block instanceof SequentialBlock) {
      for (Block child : block.getChildren().values()) x = forward(child, store, x, labels);
      return x;
    }
    if (block instanceof ConditionalGenerator g) {
      if (labels == null)
        throw new IllegalArgumentException("a conditional generator needs labels");
      return g.run(store, x, labels, true, (child, v) -> forward(child, store, v, labels));
    }
    return block.forward(store, new NDList(x), true).singletonOrThrow();
  }

  /** Finds the batch norms; a dropout that {@link #forward} could not skip is an error. */
  private static void collect(Block block, List<Layer> into, boolean skippable) {
    if (block instanceof BatchNorm bn) {
      into.add(new Layer(bn));
    } else if (block instanceof Dropout && !skippable) {
      throw new IllegalArgumentException(
          "standing statistics: a dropout inside a "
              + "non-sequential block would run in training mode; build the generator from"
              + " SequentialBlocks");
    }
    boolean sequential = block instanceof SequentialBlock || block instanceof ConditionalGenerator;
    for (Block child : block.getChildren().values()) collect(child, into, skippable && sequential);
  }

  private record Saved(Parameter parameter, float[] values) {}

  /** Non-trainable arrays other than the batch norms' statistics (e.g. spectral-norm u, v). */
  private static List<Saved> saveOtherState(Block block, List<Layer> layers) {
    List<Parameter> statistics = new ArrayList<>();
    for (Layer l : layers) statistics.addAll(List.of(l.mean, l.var));
    List<Saved> saved = new ArrayList<>();
    for (Parameter p : block.getParameters().values()) {
      if (!p.requiresGradient() && !statistics.contains(p)) {
        saved.add(new Saved(p, p.getArray().toFloatArray()));
      }
    }
    return saved;
  }

  /** One batch norm: its statistics and their sums over the passes so far. */
  private static final class Layer {
    final BatchNorm block;
    final Parameter mean;
    final Parameter var;
    final double[] meanSum;
    final double[] varSum;
    double momentum;

    Layer(BatchNorm block) {
      this.block = block;
      Parameter m = null;
      Parameter v = null;
      for (Parameter p : block.getDirectParameters().values()) {
        if (p.getType() == Parameter.Type.RUNNING_MEAN) m = p;
        if (p.getType() == Parameter.Type.RUNNING_VAR) v = p;
      }
      mean = m;
      var = v;
      int channels = Math.toIntExact(m.getArray().size());
      meanSum = new double[channels];
      varSum = new double[channels];
    }

    /** Runs a constant batch through the layer: its mean 1 leaves exactly the momentum behind. */
    void measureMomentum(ParameterStore store, NDManager tmp) {
      clear();
      long[] dims = new long[block.getInputShapes()[0].dimension()];
      Arrays.fill(dims, 1);
      dims[0] = 2;
      dims[1] = meanSum.length;
      block.forward(store, new NDList(tmp.ones(new Shape(dims))), true);
      momentum = mean.getArray().toFloatArray()[0];
      if (!(momentum > 0)) {
        throw new IllegalStateException("batch norm momentum measured as " + momentum);
      }
    }

    void clear() {
      InPlace.copy(new float[meanSum.length], mean.getArray());
      InPlace.copy(new float[varSum.length], var.getArray());
    }

    void accumulate() {
      float[] m = mean.getArray().toFloatArray();
      float[] v = var.getArray().toFloatArray();
      for (int c = 0; c < m.length; c++) {
        meanSum[c] += m[c] / momentum;
        varSum[c] += v[c] / momentum;
      }
    }

    void store(int passes) {
      float[] m = new float[meanSum.length];
      float[] v = new float[varSum.length];
      for (int c = 0; c < m.length; c++) {
        m[c] = (float) (meanSum[c] / passes);
        v[c] = (float) (varSum[c] / passes);
      }
      InPlace.copy(m, mean.getArray());
      InPlace.copy(v, var.getArray());
    }
  }
}
