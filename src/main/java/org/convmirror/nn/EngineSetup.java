package org.convmirror.nn;

import ai.djl.engine.Engine;
import org.convmirror.run.Provenance;

/** Engine settings that libtorch reads once, so they must be set before its first use. */
public final class EngineSetup {
  private EngineSetup() {}

  /**
   * Offline mode and thread counts. One inter-op thread: our graphs are sequential, and a second
   * pool only competes with the intra-op threads for the cores.
   */
  public static void configure(int threads) {
    configure(threads, 1);
  }

  /** As {@link #configure(int)}, with {@code interop} inter-op threads (for benchmarks). */
  public static void configure(int threads, int interop) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads(threads)));
    System.setProperty(
        "ai.djl.pytorch.num_interop_threads", Integer.toString(Math.max(1, interop)));
  }

  /** The intra-op thread count {@code --threads} asks for (0: one per core). */
  public static int threads(int threads) {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** DJL's version and the engine's name and version, or why the engine could not load. */
  public static Provenance.EngineInfo describe() {
    try {
      Engine engine = Engine.getInstance();
      return new Provenance.EngineInfo(
          Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion());
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      // A run that cannot load its engine fails later with a better message; record why here.
      return new Provenance.EngineInfo(
          Engine.getDjlVersion(), "unavailable", String.valueOf(e.getMessage()));
    }
  }
}
