package org.convmirror.internal.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.error.UsageException;

/**
 * How {@code count} images are split over partitions: into whole chunks of {@value #CHUNK}
 * consecutive images, the chunks dealt out in runs of consecutive ones. Image {@code i} comes from
 * latent vector {@code i} of the seed, and every chunk is decoded as one batch starting at a
 * multiple of {@value #CHUNK} — the very batches {@code convmirror sample} decodes — so an image is
 * bit for bit the same whatever the partitioning, the cluster or the order tasks run in.
 *
 * @param count the images of the whole sample
 * @param partitions the shards; fewer than asked when there are fewer chunks
 */
public record ShardPlan(long count, int partitions) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Images per decoded batch: {@code TrainedModel}'s and the feature classifier's batch. */
  public static final int CHUNK = 500;

  /** The most images one shard holds, so that its {@code .npy} stays one Java array's worth. */
  static final long MAX_SHARD = 1_000_000;

  /** One partition's images: {@code first} to {@code first + count − 1}. */
  public record Shard(int index, long first, int count) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * A plan for {@code count} images in {@code requested} partitions (0: {@code defaultPartitions}).
   *
   * @throws UsageException if a count is below 1 or a shard would hold too many images
   */
  public static ShardPlan of(long count, int requested, int defaultPartitions) {
    if (count < 1) throw new UsageException("--count must be ≥ 1, was " + count);
    if (requested < 0) throw new UsageException("--partitions must be ≥ 1, was " + requested);
    long chunks = chunks(count);
    long wanted = requested > 0 ? requested : Math.max(defaultPartitions, 1);
    int p = (int) Math.min(wanted, chunks);
    if ((chunks + p - 1) / p * CHUNK > MAX_SHARD) {
      long least = (count + MAX_SHARD - 1) / MAX_SHARD;
      throw new UsageException(
          "--count "
              + count
              + " in "
              + p
              + " partitions puts more than "
              + MAX_SHARD
              + " images in one shard; use --partitions "
              + least
              + " or more");
    }
    return new ShardPlan(count, p);
  }

  private static long chunks(long count) {
    return (count + CHUNK - 1) / CHUNK;
  }

  /** The shards in order; together they hold every image once. */
  public List<Shard> shards() {
    long chunks = chunks(count);
    List<Shard> shards = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      long c0 = chunks * p / partitions;
      long c1 = chunks * (p + 1) / partitions;
      long first = c0 * CHUNK;
      long last = Math.min(c1 * CHUNK, count);
      shards.add(new Shard(p, first, (int) (last - first)));
    }
    return shards;
  }
}
