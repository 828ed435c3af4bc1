package org.convmirror.cli;

/** Engine settings that libtorch reads once, so they must be set before its first use. */
final class EngineSetup {
  private EngineSetup() {}

  /**
   * Offline mode and thread counts. One inter-op thread: our graphs are sequential, and a second
   * pool only competes with the intra-op threads for the cores.
   */
  static void configure(int threads) {
    configure(threads, 1);
  }

  /** As {@link #configure(int)}, with {@code interop} inter-op threads (for benchmarks). */
  static void configure(int threads, int interop) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads(threads)));
    System.setProperty(
        "ai.djl.pytorch.num_interop_threads", Integer.toString(Math.max(1, interop)));
  }

  /** The intra-op thread count {@code --threads} asks for (0: one per core). */
  static int threads(int threads) {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
