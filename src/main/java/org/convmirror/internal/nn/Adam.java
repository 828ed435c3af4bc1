package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015) over one block's trainable parameters, as PyTorch computes it.
 *
 * <p>Written here rather than taken from DJL because DJL's {@code Adam} keeps its moments private,
 * so a checkpoint could not hold them and a resumed run would restart Adam cold; and because a GAN
 * needs each network's gradients cleared by its own optimizer only.
 *
 * <p>A step is one engine call for the whole network ({@link FusedUpdates}) where the module loads,
 * else about ten ops per parameter; {@code -Dconvmirror.fused=false} chooses the latter.
 */
public final class Adam implements AutoCloseable {
  private final float lr;
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final NDManager manager;
  private final List<String> names = new ArrayList<>();
  // Parameters, not their arrays: loading a checkpoint replaces a parameter's array.
  private final List<Parameter> params = new ArrayList<>();
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private long steps;
  // The constant factors as engine scalars, made once: a Number argument makes DJL allocate a
  // direct buffer per call, which the JVM frees only when a garbage collection happens to run.
  private final NDArray beta1Array;
  private final NDArray oneMinusBeta1;
  private final NDArray beta2Array;
  private final NDArray oneMinusBeta2;
  private final NDArray epsArray;
  // The fused path's moment lists, made once: they hold the same tensors as m and v.
  private final IValue mList;
  private final IValue vList;

  /** An optimizer for every gradient-carrying parameter of an initialized {@code block}. */
  public Adam(Block block, NDManager parent, float lr, float beta1, float beta2, float eps) {
    this(block, parent, lr, beta1, beta2, eps, FusedUpdates.enabled());
  }

  /** {@link #Adam(Block, NDManager, float, float, float, float)}, fused or op by op. */
  Adam(
      Block block, NDManager parent, float lr, float beta1, float beta2, float eps, boolean fused) {
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.manager = parent.newSubManager();
    beta1Array = manager.create(beta1);
    oneMinusBeta1 = manager.create(1 - beta1);
    beta2Array = manager.create(beta2);
    oneMinusBeta2 = manager.create(1 - beta2);
    epsArray = manager.create(eps);
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter param = p.getValue();
      if (!param.requiresGradient()) continue;
      NDArray w = param.getArray();
      names.add(p.getKey());
      params.add(param);
      m.add(manager.zeros(w.getShape(), w.getDataType()));
      v.add(manager.zeros(w.getShape(), w.getDataType()));
    }
    mList = fused ? IValue.listFrom(m.toArray(PtNDArray[]::new)) : null;
    vList = fused ? IValue.listFrom(v.toArray(PtNDArray[]::new)) : null;
  }

  // Read on every call: loading a checkpoint replaces a parameter's array.
  private PtNDArray[] weights() {
    PtNDArray[] w = new PtNDArray[params.size()];
    for (int i = 0; i < w.length; i++) w[i] = FusedUpdates.pt(params.get(i).getArray());
    return w;
  }

  /** One update from the accumulated gradients, which are then cleared. */
  public void step() {
    steps++;
    if (mList != null) {
      FusedUpdates.adam(weights(), mList, vList, new double[] {lr, beta1, beta2, eps, steps});
      return;
    }
    float bc1 = 1 - (float) Math.pow(beta1, steps);
    float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, steps));
    try (NDManager tmp = manager.newSubManager()) {
      NDArray stepSize = tmp.create(lr / bc1);
      NDArray bc2 = tmp.create(bc2Sqrt);
      for (int i = 0; i < params.size(); i++) {
        NDArray w = params.get(i).getArray();
        NDArray g = w.getGradient(); // zeros where no backward pass has reached w yet
        g.attach(tmp);
        NDArray mi = m.get(i);
        NDArray vi = v.get(i);
        // Results of ops land in their first operand's manager: lend m and v to tmp meanwhile.
        mi.tempAttach(tmp);
        vi.tempAttach(tmp);
        mi.muli(beta1Array).addi(g.mul(oneMinusBeta1));
        vi.muli(beta2Array).addi(g.square().muli(oneMinusBeta2));
        // w ← w − lr/bc1 · m / (√v/√bc2 + eps), PyTorch's placement of eps.
        NDArray denom = vi.sqrt().divi(bc2).addi(epsArray);
        w.subi(mi.div(denom).muli(stepSize));
        g.subi(g); // clear this parameter's gradient for the next backward pass
      }
    }
  }

  /** Clears the gradients without updating, e.g. on the critic after a generator step. */
  public void zeroGradients() {
    if (mList != null) {
      FusedUpdates.zeroGradients(weights());
      return;
    }
    try (NDManager tmp = manager.newSubManager()) {
      for (Parameter p : params) {
        NDArray g = p.getArray().getGradient();
        g.attach(tmp);
        g.subi(g);
      }
    }
  }

  /** Steps taken so far. */
  public long steps() {
    return steps;
  }

  /**
   * The live moment arrays, named {@code <prefix>adam_m.<param>} and {@code
   * <prefix>adam_v.<param>}.
   */
  public Map<String, NDArray> state(String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      out.put(prefix + "adam_m." + names.get(i), m.get(i));
      out.put(prefix + "adam_v." + names.get(i), v.get(i));
    }
    return out;
  }

  /** Restores the moments saved by {@link #state} and the step count. */
  public void load(Map<String, NDArray> arrays, String prefix, long steps) {
    for (int i = 0; i < names.size(); i++) {
      copy(arrays, prefix + "adam_m." + names.get(i), m.get(i));
      copy(arrays, prefix + "adam_v." + names.get(i), v.get(i));
    }
    this.steps = steps;
  }

  private static void copy(Map<String, NDArray> arrays, String name, NDArray into) {
    NDArray a = arrays.get(name);
    if (a == null || !a.getShape().equals(into.getShape())) {
      throw new IllegalArgumentException(
          "checkpoint lacks optimizer state "
              + name
              + (a == null ? "" : " of shape " + into.getShape())
              + "; was it saved by another model?");
    }
    InPlace.copy(a, into);
  }

  @Override
  public void close() {
    if (mList != null) {
      mList.close();
      vList.close();
    }
    manager.close();
  }
}
