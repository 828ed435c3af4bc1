package org.convmirror.internal.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-op TorchScript modules shipped as resources beside this class (written by the scripts in
 * {@code tools/}): the way to reach libtorch functions that DJL 0.36 does not expose, with autograd
 * recording as for any other op.
 */
final class TorchScript {
  private TorchScript() {}

  /**
   * Loads {@code resource} into a manager that is never closed; a module is meant to be loaded once
   * per process and held in a static field.
   *
   * @throws IOException when the resource is missing or libtorch cannot read it
   */
  static PtSymbolBlock load(String resource) throws IOException {
    if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
      throw new IOException(resource + " needs the PyTorch engine");
    }
    try (InputStream in = TorchScript.class.getResourceAsStream(resource)) {
      if (in == null) throw new IOException("resource " + resource + " is missing from the jar");
      PtNDManager m = (PtNDManager) Engine.getInstance().newBaseManager();
      return JniUtils.loadModule(m, in, true, false);
    }
  }

  // Small int64 arguments of module calls (geometries), made once each: an array made per call
  // costs a direct buffer each time.
  private static final Map<String, NDArray> CONSTANTS = new ConcurrentHashMap<>();

  /** The manager that holds the constants, made on first use (the engine must be loaded). */
  private static final class ConstantManager {
    static final NDManager MANAGER = Engine.getInstance().newBaseManager();
  }

  /** {@code values} as an int64 engine array, made once per process and never closed. */
  static NDArray constant(long... values) {
    return CONSTANTS.computeIfAbsent(
        Arrays.toString(values), k -> ConstantManager.MANAGER.create(values));
  }

  /**
   * A convolution's geometry as the convolution modules take it, a {@link #constant}: {@code head},
   * then stride, padding, output padding and dilation, each as (h, w).
   */
  static NDArray geometry(long[] head, int[] stride, int[] padding, int[] outPad, int[] dilation) {
    long[] g = Arrays.copyOf(head, head.length + 8);
    int i = head.length;
    for (int[] hw : new int[][] {stride, padding, outPad, dilation}) {
      g[i++] = hw[0];
      g[i++] = hw[1];
    }
    return constant(g);
  }

  /**
   * Runs {@code module} on {@code inputs} in the current grad mode; the results land in the first
   * input's manager.
   *
   * <p>Calls go through {@link IValueUtils#forward(PtSymbolBlock, NDList, boolean)} directly (not
   * {@code PtSymbolBlock.forward}, which synchronises its first call and toggles train/eval state).
   */
  static NDList call(PtSymbolBlock module, NDArray... inputs) {
    NDList in = new NDList(inputs.length);
    // IValueUtils reads array names: a dotted or list-like name would turn the input into a dict
    // or list. Parameters and ops' results carry plain names or none; make sure of it.
    for (NDArray a : inputs) {
      String name = a.getName();
      in.add(name == null || name.matches("[A-Za-z0-9_]*") ? a : a.reshape(a.getShape()));
    }
    return IValueUtils.forward(module, in, true);
  }
}
