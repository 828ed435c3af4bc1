package org.convmirror.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * "Standing statistics" for a generator's batch norm (Brock et al. 2019, BigGAN §4): reset the
 * running statistics, run no-grad forward passes in training mode on fresh noise, then sample in
 * inference mode. Samples then depend neither on the sampling batch size (as batch statistics
 * would) nor on stale running averages from early training.
 *
 * <p>DJL's batch norm keeps an exponential average (momentum 0.9), so after {@code passes} batches
 * the statistics weigh the last ~10 batches most; with a fixed seed the result is deterministic.
 */
public final class StandingStats {
  /** Passes and batch size used by training and sampling alike. */
  public static final int PASSES = 32;

  public static final int BATCH = 64;

  private StandingStats() {}

  /**
   * Recomputes the running statistics of every batch norm in {@code block}.
   *
   * @param inputShape the shape of one batch of latent vectors
   * @param seed seeds the noise, so the statistics are reproducible
   */
  public static void recompute(
      Block block, ParameterStore store, NDManager parent, Shape inputShape, long seed) {
    boolean any = false;
    try (NDManager tmp = parent.newSubManager()) {
      for (Parameter p : block.getParameters().values()) {
        if (p.getType() == Parameter.Type.RUNNING_MEAN) {
          InPlace.copy(tmp.zeros(p.getArray().getShape()), p.getArray());
          any = true;
        } else if (p.getType() == Parameter.Type.RUNNING_VAR) {
          InPlace.copy(tmp.ones(p.getArray().getShape()), p.getArray());
        }
      }
    }
    if (!any) return;
    Engine.getInstance().setRandomSeed((int) seed);
    for (int i = 0; i < PASSES; i++) {
      try (NDManager tmp = parent.newSubManager()) {
        block.forward(store, new NDList(tmp.randomNormal(inputShape)), true);
      }
    }
  }
}
