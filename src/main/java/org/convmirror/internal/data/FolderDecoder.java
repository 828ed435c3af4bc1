package org.convmirror.internal.data;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes a scanned folder into a {@link CacheWriter}: worker threads decode chunks of files while
 * the calling thread takes the chunks back in path order and writes them, so the cache is the same
 * byte for byte whatever the number of threads. With one thread everything runs on the caller.
 */
final class FolderDecoder {
  /** Bytes of decoded pixels per chunk: chunks in flight (two per thread) bound the memory used. */
  private static final int CHUNK_BYTES = 1 << 20;

  private final FolderScan scan;
  private final int channels;
  private final int height;
  private final int width;
  private final int chunk;

  /** One chunk decoded: its images' pixels, packed, and each file's source or skip reason. */
  private record Chunk(int from, byte[] pixels, int kept, Object[] outcomes) {}

  /** What decoding found, beside the pixels the writer got. */
  record Found(int[] labels, CacheSummary summary, String manifest) {}

  FolderDecoder(FolderScan scan, int channels, int height, int width) {
    this.scan = scan;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.chunk = Math.max(1, Math.min(64, CHUNK_BYTES / (channels * height * width)));
  }

  /** Decodes every image file of the scan on {@code threads} threads into {@code out}. */
  Found decode(int threads, CacheWriter out, DataAccess.Meter meter) throws IOException {
    long start = System.nanoTime();
    Collector collector = new Collector(out, meter);
    int files = scan.images.size();
    if (threads <= 1) {
      for (int from = 0; from < files; from += chunk) collector.take(decodeChunk(from));
    } else {
      AtomicInteger id = new AtomicInteger();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "convmirror-decode-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      try {
        Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
        int next = 0;
        while (next < files || !inFlight.isEmpty()) {
          while (next < files && inFlight.size() < 2 * threads) {
            int from = next;
            inFlight.add(pool.submit(() -> decodeChunk(from)));
            next += chunk;
          }
          collector.take(await(inFlight.poll()));
        }
      } finally {
        pool.shutdownNow();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return collector.found(seconds, Math.max(1, threads));
  }

  private Chunk decodeChunk(int from) {
    int to = Math.min(from + chunk, scan.images.size());
    int size = channels * height * width;
    byte[] pixels = new byte[(to - from) * size];
    Object[] outcomes = new Object[to - from];
    int kept = 0;
    for (int i = from; i < to; i++) {
      try {
        outcomes[i - from] =
            ImageDecoder.decode(
                scan.images.get(i).path(), channels, height, width, pixels, kept * size);
        kept++;
      } catch (ImageDecoder.Unusable e) {
        outcomes[i - from] = e.getMessage();
      }
    }
    return new Chunk(from, pixels, kept, outcomes);
  }

  private static Chunk await(Future<Chunk> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while decoding", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) throw error; // out of memory: Main says it in a line
      throw new IllegalStateException("decoding failed unexpectedly", e.getCause());
    }
  }

  /** Takes chunks in order: writes pixels, collects labels, manifest lines and counts. */
  private final class Collector {
    private final CacheWriter out;
    private final DataAccess.Meter meter;
    private final int[] labels = new int[scan.images.size()];
    private int labelled;
    private final List<FolderScan.Skip> skipped = new ArrayList<>();
    private final Map<String, Integer> modes = new TreeMap<>();
    private final Map<String, Integer> sizes = new TreeMap<>();
    private final StringBuilder manifest =
        new StringBuilder("file\tbytes\tmodified_ns\twidth\theight\tmode\n");

    Collector(CacheWriter out, DataAccess.Meter meter) {
      this.out = out;
      this.meter = meter;
    }

    void take(Chunk c) throws IOException {
      out.images(c.pixels(), c.kept());
      for (int k = 0; k < c.outcomes().length; k++) {
        FolderScan.Entry e = scan.images.get(c.from() + k);
        manifest.append(e.name()).append('\t').append(e.size()).append('\t');
        manifest.append(e.modifiedNanos()).append('\t');
        if (c.outcomes()[k] instanceof ImageDecoder.Source s) {
          manifest.append(s.width()).append('\t').append(s.height()).append('\t').append(s.mode());
          modes.merge(s.mode(), 1, Integer::sum);
          sizes.merge(s.width() + "×" + s.height(), 1, Integer::sum);
          if (!scan.classes.isEmpty()) labels[labelled++] = scan.label(e);
        } else {
          manifest.append("0\t0\tskipped");
          skipped.add(new FolderScan.Skip(e.name(), (String) c.outcomes()[k]));
        }
        manifest.append('\n');
      }
      meter.step(c.outcomes().length);
    }

    Found found(double seconds, int threads) {
      int[] l = scan.classes.isEmpty() ? null : java.util.Arrays.copyOf(labels, labelled);
      CacheSummary summary =
          new CacheSummary(scan.classes, skipped, modes, sizes, seconds, threads);
      return new Found(l, summary, manifest.toString());
    }
  }
}
