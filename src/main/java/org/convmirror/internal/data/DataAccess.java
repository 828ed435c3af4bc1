package org.convmirror.internal.data;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * How image folders are opened: where warnings and decoding progress go, whether a file that cannot
 * be used refuses the whole folder ({@code strict}) or is skipped, how many threads decode, and
 * where the decoded caches live.
 *
 * @param console where the one-line notices go (skipped files, a damaged cache rebuilt)
 * @param progress a progress meter for decoding {@code total} files
 * @param strict refuse a folder with any unusable file instead of skipping it
 * @param threads decoding threads, 0 for one per core
 * @param cacheDir where decoded folders are kept
 */
public record DataAccess(
    PrintStream console, LongFunction<Meter> progress, boolean strict, int threads, Path cacheDir) {

  /** Progress through decoding, e.g. a console bar. */
  public interface Meter {
    /** {@code n} more files done. */
    void step(long n);

    /** Decoding ended. */
    void finish();
  }

  public DataAccess {
    if (threads < 0) {
      throw new DataException("decoding threads must be ≥ 0 (0: one per core), was " + threads);
    }
  }

  /**
   * Notices and a start/end line on standard output, skipping files, all cores, the default cache.
   */
  public static DataAccess defaults() {
    return new DataAccess(
        System.out, total -> lines(System.out, total), false, 0, ImageCache.dir());
  }

  /**
   * The same, with notices going to {@code console} and decoding progress shown by {@code meter}.
   */
  public DataAccess withConsole(PrintStream console, LongFunction<Meter> meter) {
    return new DataAccess(console, meter, strict, threads, cacheDir);
  }

  /** The same, with {@code strict} set. */
  public DataAccess withStrict(boolean strict) {
    return new DataAccess(console, progress, strict, threads, cacheDir);
  }

  /** The same, decoding on {@code threads} threads (0: one per core). */
  public DataAccess withThreads(int threads) {
    return new DataAccess(console, progress, strict, threads, cacheDir);
  }

  /** The same, keeping caches in {@code dir}. */
  public DataAccess withCacheDir(Path dir) {
    return new DataAccess(console, progress, strict, threads, dir);
  }

  /** Decoding threads to use. */
  int decodeThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** A meter that says when decoding starts and how fast it went, for logs without a bar. */
  static Meter lines(PrintStream out, long total) {
    long start = System.nanoTime();
    out.printf(Locale.ROOT, "decoding %d files...%n", total);
    return new Meter() {
      @Override
      public void step(long n) {}

      @Override
      public void finish() {
        double s = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "decoded %d files in %.1f s (%.0f files/s)%n", total, s, total / s);
      }
    };
  }
}
