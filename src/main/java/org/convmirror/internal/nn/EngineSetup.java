package org.convmirror.internal.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import org.convmirror.error.UsageException;
import org.convmirror.internal.run.Provenance;

/** Engine settings that libtorch reads once, so they must be set before its first use. */
public final class EngineSetup {
  /**
   * Threads per core beyond which more only add contention; 100,000 made thousands of threads and
   * hung the machine.
   */
  private static final int MAX_PER_CORE = 4;

  private EngineSetup() {}

  /**
   * Offline mode and thread counts. One inter-op thread: our graphs are sequential, and a second
   * pool only competes with the intra-op threads for the cores.
   */
  public static void configure(int threads) {
    configure(threads, 1);
  }

  /**
   * As {@link #configure(int)}, with {@code interop} inter-op threads (for benchmarks; 0 means 1).
   *
   * @throws UsageException if a count is negative or above {@link #maxThreads()}
   */
  public static void configure(int threads, int interop) {
    for (String problem :
        new String[] {
          threadsProblem("--threads", threads), threadsProblem("--interop-threads", interop)
        }) {
      if (problem != null) throw new UsageException(problem);
    }
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads(threads)));
    System.setProperty(
        "ai.djl.pytorch.num_interop_threads", Integer.toString(Math.max(1, interop)));
  }

  /**
   * Uses {@code threads} intra-op threads from now on, also in an engine that is already running: a
   * Spark executor runs many tasks in one JVM, and each sets the cores its task slot has. The count
   * is one per process (libtorch's), so all tasks of a JVM must ask for the same one.
   */
  public static synchronized void useThreads(int threads) {
    configure(threads);
    Engine.getInstance();
    if (JniUtils.getNumThreads() != threads(threads)) JniUtils.setNumThreads(threads(threads));
  }

  /**
   * {@code --threads auto}: one thread per core that the rest of the machine leaves idle ({@link
   * #autoThreads}). Not the default: results then depend on the load in their last bits.
   */
  public static final int AUTO = -1;

  /**
   * The intra-op thread count {@code --threads} asks for: 0 (the default) is one per core, so the
   * same command computes the same numbers on every run; {@link #AUTO} follows the load.
   */
  public static int threads(int threads) {
    if (threads > 0) return threads;
    return threads == AUTO ? Auto.THREADS : Runtime.getRuntime().availableProcessors();
  }

  /** Read once per process: libtorch keeps the count it was started with. */
  private static final class Auto {
    static final int THREADS =
        autoThreads(Runtime.getRuntime().availableProcessors(), readLoadAverage());
  }

  /**
   * One thread per core not already busy: cores minus the 1-minute load average (rounded), clamped
   * to [1, cores]. Why: libtorch's OpenMP threads wait at every op's barrier for the slowest of
   * them, so a thread whose core is taken by another job stalls all the others; two 2-thread jobs
   * on 2 cores each ran at about a quarter of one alone, not a half. Read before this process has
   * done any work, so the load is the other jobs'.
   *
   * @param load the 1-minute load average, or a negative number when unknown (then one per core)
   */
  static int autoThreads(int cores, double load) {
    if (!(load >= 0)) return cores;
    return (int) Math.max(1, Math.min(cores, cores - Math.round(load)));
  }

  /**
   * The 1-minute load average of /proc/loadavg; -1 off Linux, when unreadable, or when the
   * environment sets {@code CONVMIRROR_AUTO_THREADS=cores} (one thread per core whatever the load:
   * the test suite sets it, as the thread count decides the last bits of a result).
   */
  static double readLoadAverage() {
    return readLoadAverage(System.getenv("CONVMIRROR_AUTO_THREADS"), Path.of("/proc/loadavg"));
  }

  /** {@link #readLoadAverage()} with its environment value and file given. */
  static double readLoadAverage(String autoThreads, Path loadavg) {
    if ("cores".equals(autoThreads)) return -1;
    try {
      String text = java.nio.file.Files.readString(loadavg);
      return Double.parseDouble(text.trim().split("\\s+")[0]);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The most threads a flag accepts: {@value #MAX_PER_CORE} per core of this machine. */
  public static int maxThreads() {
    return MAX_PER_CORE * Runtime.getRuntime().availableProcessors();
  }

  /** What is wrong with {@code threads} given to {@code flag}, or null if nothing. */
  public static String threadsProblem(String flag, int threads) {
    return threads == AUTO && flag.equals("--threads") ? null : countProblem(flag, threads);
  }

  /** What is wrong with the number {@code threads} given to {@code flag} (auto is a word). */
  public static String countProblem(String flag, int threads) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads >= 0 && threads <= maxThreads()) return null;
    return flag
        + (flag.equals("--threads")
            ? " must be auto, 0 (one per core) or 1 to "
            : " must be 0 (one per core) or 1 to ")
        + maxThreads()
        + " ("
        + MAX_PER_CORE
        + " per core on the "
        + cores
        + (cores == 1 ? " core" : " cores")
        + " here), was "
        + threads;
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
