package org.convmirror.internal.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class ShardPlanTest {

  @Test
  void shardsAreWholeChunksThatCoverEveryImageOnce() {
    for (long count : new long[] {1, 499, 500, 501, 2000, 10_001, 123_457}) {
      for (int p : new int[] {1, 2, 3, 4, 7, 64}) {
        ShardPlan plan = ShardPlan.of(count, p, 8);
        long next = 0;
        for (ShardPlan.Shard s : plan.shards()) {
          assertEquals(next, s.first(), count + " in " + p);
          assertEquals(0, s.first() % ShardPlan.CHUNK, "starts on a chunk");
          assertTrue(s.count() > 0);
          next += s.count();
        }
        assertEquals(count, next);
        assertEquals(Math.min(p, (count + 499) / 500), plan.partitions());
      }
    }
  }

  @Test
  void balancedByChunks() {
    List<ShardPlan.Shard> s = ShardPlan.of(10 * 500 + 1, 3, 1).shards();
    assertEquals(List.of(0L, 1500L, 3500L), s.stream().map(ShardPlan.Shard::first).toList());
    assertEquals(List.of(1500, 2000, 1501), s.stream().map(ShardPlan.Shard::count).toList());
    assertEquals(8, ShardPlan.of(100_000, 0, 8).partitions(), "0: the default");
  }

  @Test
  void refusesCountsItCannotShard() {
    assertThrows(UsageException.class, () -> ShardPlan.of(0, 1, 1));
    assertThrows(UsageException.class, () -> ShardPlan.of(10, -1, 1));
    UsageException e = assertThrows(UsageException.class, () -> ShardPlan.of(3_000_000, 2, 1));
    assertTrue(e.getMessage().contains("use --partitions 3 or more"), e.getMessage());
  }

  @Test
  void localMastersGetTaskRetries() {
    assertEquals("local[2,4]", SparkContexts.withRetries("local[2]", 4));
    assertEquals("local[*,4]", SparkContexts.withRetries("local[*]", 4));
    assertEquals("local[1,3]", SparkContexts.withRetries("local", 3));
    assertEquals("local[2,2]", SparkContexts.withRetries("local[2,2]", 4));
    assertEquals("spark://h:7077", SparkContexts.withRetries("spark://h:7077", 4));
  }
}
