package org.convmirror.internal.data;

import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * An endless stream of shuffled mini-batches, epoch after epoch, prepared ahead on a background
 * daemon thread; epoch {@code e}'s order depends only on (seed, e), so a resumed run sees the same
 * batches as an uninterrupted one.
 */
public final class BatchLoader implements AutoCloseable {
  /** Batches prepared ahead: enough to hide a slow copy, few enough to bound memory. */
  public static final int DEFAULT_PREFETCH = 4;

  private final ImageSet data;
  private final int batchSize;
  private final long seed;
  private final int perEpoch;
  private final BlockingQueue<Object> queue;
  // A test seam: runs before each batch is assembled, so tests can make the producer fail.
  private final BiConsumer<Integer, Integer> beforeEach;
  private final Flip flip;
  private final Thread producer;
  private final AtomicLong preparing = new AtomicLong();
  private final AtomicLong prepared = new AtomicLong();
  private volatile boolean closed;
  private Failure failure;

  private record Failure(Throwable cause, int epoch, int index) {}

  private BatchLoader(
      ImageSet data,
      int batchSize,
      long seed,
      boolean dropLast,
      int epoch,
      int skip,
      int prefetch,
      Flip flip,
      BiConsumer<Integer, Integer> beforeEach) {
    if (batchSize < 1 || prefetch < 1) {
      throw new IllegalArgumentException(
          "batchSize and prefetch must be ≥ 1, were " + batchSize + " and " + prefetch);
    }
    this.perEpoch = batchesPerEpoch(data.count(), batchSize, dropLast);
    if (perEpoch == 0) {
      throw new DataException(
          "data "
              + data.source()
              + " has "
              + data.count()
              + " images, fewer than one batch of "
              + batchSize
              + "; lower the batch size"
              + (dropLast ? " or stop dropping the last partial batch" : "")
              + " or use more data");
    }
    if (epoch < 0 || skip < 0 || skip >= perEpoch) {
      throw new IllegalArgumentException(
          "start must be epoch ≥ 0 and 0 ≤ batch < "
              + perEpoch
              + ", was epoch "
              + epoch
              + " batch "
              + skip);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.seed = seed;
    this.queue = new ArrayBlockingQueue<>(prefetch);
    this.beforeEach = beforeEach;
    this.flip = flip;
    this.producer = new Thread(() -> produce(epoch, skip), "convmirror-batches");
    producer.setDaemon(true); // never keeps the JVM alive after training ends
    producer.start();
  }

  /** Starts at the first batch of epoch 0. */
  public static BatchLoader start(ImageSet data, int batchSize, long seed, boolean dropLast) {
    return start(data, batchSize, seed, dropLast, 0, 0);
  }

  /** Starts at batch {@code skip} of {@code epoch}, as when resuming from a checkpoint. */
  public static BatchLoader start(
      ImageSet data, int batchSize, long seed, boolean dropLast, int epoch, int skip) {
    return start(data, batchSize, seed, dropLast, epoch, skip, Flip.NONE);
  }

  /** Starts at batch {@code skip} of {@code epoch}, flipping images as {@code flip} draws. */
  public static BatchLoader start(
      ImageSet data, int batchSize, long seed, boolean dropLast, int epoch, int skip, Flip flip) {
    return new BatchLoader(
        data, batchSize, seed, dropLast, epoch, skip, DEFAULT_PREFETCH, flip, (e, i) -> {});
  }

  /** Same, with {@code prefetch} batches prepared ahead. */
  public static BatchLoader start(
      ImageSet data,
      int batchSize,
      long seed,
      boolean dropLast,
      int epoch,
      int skip,
      int prefetch) {
    return new BatchLoader(
        data, batchSize, seed, dropLast, epoch, skip, prefetch, Flip.NONE, (e, i) -> {});
  }

  static BatchLoader startWithHook(
      ImageSet data, int batchSize, long seed, BiConsumer<Integer, Integer> beforeEach) {
    return new BatchLoader(
        data, batchSize, seed, false, 0, 0, DEFAULT_PREFETCH, Flip.NONE, beforeEach);
  }

  /** Batches per epoch: ⌈n/b⌉, or ⌊n/b⌋ when the last partial batch is dropped. */
  public static int batchesPerEpoch(int count, int batchSize, boolean dropLast) {
    return dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
  }

  public int batchesPerEpoch() {
    return perEpoch;
  }

  /** The permutation of 0..count-1 used in {@code epoch} (Fisher–Yates, seeded by seed+epoch). */
  public static int[] order(int count, long seed, int epoch) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, epoch));
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * The next batch, waiting only if the producer has fallen behind; a failure while preparing
   * batches is rethrown here, naming the batch.
   */
  public Batch next() {
    if (closed) {
      throw new IllegalStateException("batch loader is closed");
    }
    if (failure == null) {
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a batch", e);
      }
      if (item instanceof Batch batch) {
        return batch;
      }
      failure = (Failure) item;
    }
    throw new DataException(
        "preparing batch "
            + failure.index()
            + " of epoch "
            + failure.epoch()
            + " from "
            + data.source()
            + " failed: "
            + failure.cause(),
        failure.cause());
  }

  private void produce(int startEpoch, int skip) {
    int epoch = startEpoch;
    int index = skip;
    try {
      for (; !closed; epoch++, index = 0) {
        int[] order = order(data.count(), seed, epoch);
        for (; index < perEpoch && !closed; index++) {
          queue.put(assemble(order, epoch, index));
        }
      }
    } catch (InterruptedException e) {
      // close() interrupts a put() that waits for room; nothing is left to do.
    } catch (Throwable t) {
      try {
        queue.put(new Failure(t, epoch, index));
      } catch (InterruptedException closing) {
        // Closed while reporting: no consumer is left to tell.
      }
    }
  }

  /**
   * Nanoseconds the producer has spent assembling batches so far (reading, converting, flipping).
   */
  public long preparingNanos() {
    return preparing.get();
  }

  /** Batches assembled so far, including those prepared ahead and not yet taken. */
  public long prepared() {
    return prepared.get();
  }

  private Batch assemble(int[] order, int epoch, int index) {
    beforeEach.accept(epoch, index);
    long t = System.nanoTime();
    int from = index * batchSize;
    int size = Math.min(batchSize, order.length - from);
    int imageSize = data.imageSize();
    float[] pixels = new float[size * imageSize];
    int[] labels = data.hasLabels() ? new int[size] : null;
    for (int k = 0; k < size; k++) {
      int i = order[from + k];
      data.copyImage(i, pixels, k * imageSize);
      if (flip.flips(epoch, i)) {
        Flip.mirror(pixels, k * imageSize, data.channels(), data.height(), data.width());
      }
      if (labels != null) {
        labels[k] = data.label(i);
      }
    }
    preparing.addAndGet(System.nanoTime() - t);
    prepared.incrementAndGet();
    return new Batch(pixels, labels, size, epoch, index);
  }

  /** Stops the producer thread and waits briefly for it to finish. */
  @Override
  public void close() {
    closed = true;
    producer.interrupt();
    try {
      producer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
