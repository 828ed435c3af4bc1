package org.convmirror.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;

/**
 * The TorchScript modules shipped as resources of this package (written by the scripts in {@code
 * tools/}): ops that DJL 0.36 does not expose on PyTorch, reached through its module runner.
 */
final class ScriptModules {
  private ScriptModules() {}

  /**
   * Loads {@code resource} into a manager that is never closed (one module per process), or returns
   * null where the engine is not PyTorch or the module does not load; callers then fall back to
   * plain DJL ops.
   */
  static PtSymbolBlock load(String resource) {
    if (!"PyTorch".equals(Engine.getInstance().getEngineName())) return null;
    try (InputStream in = ScriptModules.class.getResourceAsStream(resource)) {
      if (in == null) return null;
      PtNDManager m = (PtNDManager) Engine.getInstance().newBaseManager();
      return JniUtils.loadModule(m, in, true, false);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
