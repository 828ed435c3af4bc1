package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise updates of all of a network's tensors in one engine call each — the Adam step,
 * clearing gradients, the weight average, clipping — through a TorchScript module shipped as a
 * resource ({@code fused_updates.pt}, written by {@code tools/make_fused_updates_module.py}).
 *
 * <p>Why: through DJL each of these is several ops per parameter, every one a JNI round trip with
 * its own temporary, and the optimiser's ten passes over memory become one ({@code
 * torch._fused_adam_}). {@code -Dconvmirror.fused=false} selects the op-by-op path instead, for
 * same-run comparisons; so does an engine that cannot load the module.
 */
public final class FusedUpdates {
  /** The system property that turns the fused updates off when {@code false}. */
  public static final String PROPERTY = "convmirror.fused";

  private FusedUpdates() {}

  private static final class Holder {
    static final PtSymbolBlock MODULE = load();

    private static PtSymbolBlock load() {
      try {
        return TorchScript.load("fused_updates.pt");
      } catch (java.io.IOException | RuntimeException e) {
        return null; // the op-by-op updates take over
      }
    }
  }

  /** Whether updates made now take the fused path: the module loads and the property allows. */
  public static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty(PROPERTY)) && Holder.MODULE != null;
  }

  /**
   * One Adam step over {@code params} with moments {@code m}, {@code v} (lists of the same length),
   * then clears the gradients.
   *
   * @param hyper {lr, beta1, beta2, eps, step}, the step counted from 1
   */
  static void adam(PtNDArray[] params, IValue m, IValue v, double[] hyper) {
    try (IValue p = IValue.listFrom(params);
        IValue h = IValue.listFrom(hyper)) {
      IValueUtils.runMethod(Holder.MODULE, "adam", p, m, v, h).close();
    }
  }

  /** Clears the gradient of each of {@code params} that has one. */
  static void zeroGradients(PtNDArray[] params) {
    try (IValue p = IValue.listFrom(params)) {
      IValueUtils.runMethod(Holder.MODULE, "zero_gradients", p).close();
    }
  }

  /**
   * {@code average ← keep·average + take·live} for trainable weights; other state (batch norm's
   * running statistics) is copied. Both blocks must have the same parameters in the same order.
   */
  public static void average(Block live, Block average, float keep, float take) {
    List<Parameter> from = live.getParameters().values();
    List<Parameter> to = average.getParameters().values();
    List<PtNDArray> liveWeights = new ArrayList<>();
    List<PtNDArray> averageWeights = new ArrayList<>();
    List<PtNDArray> liveState = new ArrayList<>();
    List<PtNDArray> averageState = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      boolean trainable = from.get(i).requiresGradient();
      (trainable ? liveWeights : liveState).add(pt(from.get(i).getArray()));
      (trainable ? averageWeights : averageState).add(pt(to.get(i).getArray()));
    }
    try (IValue a = list(liveWeights);
        IValue b = list(averageWeights);
        IValue c = list(liveState);
        IValue d = list(averageState);
        IValue k = IValue.from((double) keep);
        IValue t = IValue.from((double) take)) {
      IValueUtils.runMethod(Holder.MODULE, "average", a, b, c, d, k, t).close();
    }
  }

  /** Clips every trainable weight of {@code block} into [−bound, bound], in place. */
  public static void clamp(Block block, float bound) {
    List<PtNDArray> weights = new ArrayList<>();
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient()) weights.add(pt(p.getArray()));
    }
    try (IValue w = list(weights);
        IValue b = IValue.from((double) bound)) {
      IValueUtils.runMethod(Holder.MODULE, "clamp", w, b).close();
    }
  }

  /**
   * Freezes ({@code false}) or thaws ({@code true}) every trainable weight of {@code block} for
   * autograd; untrainable state (running statistics) is left alone. A backward pass then computes
   * no gradients for frozen weights.
   */
  public static void requireGradients(Block block, boolean flag) {
    List<PtNDArray> weights = new ArrayList<>();
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient()) weights.add(pt(p.getArray()));
    }
    try (IValue w = list(weights);
        IValue f = IValue.from(flag)) {
      IValueUtils.runMethod(Holder.MODULE, "require_gradients", w, f).close();
    }
  }

  /** The engine array behind {@code a}; the fused path runs on the PyTorch engine only. */
  static PtNDArray pt(NDArray a) {
    return (PtNDArray) a;
  }

  private static IValue list(List<PtNDArray> arrays) {
    return IValue.listFrom(arrays.toArray(new PtNDArray[0]));
  }
}
