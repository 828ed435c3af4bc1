package org.convmirror.cli;

/** Engine settings that libtorch reads once, so they must be set before its first use. */
final class EngineSetup {
  private EngineSetup() {}

  /**
   * Offline mode and thread counts. One inter-op thread: our graphs are sequential, and a second
   * pool only competes with the intra-op threads for the cores.
   */
  static void configure(int threads) {
    System.setProperty("ai.djl.offline", "true");
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
