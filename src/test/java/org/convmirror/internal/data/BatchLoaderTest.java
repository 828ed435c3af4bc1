package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tier.Pure
@Timeout(120) // a hung producer fails the test instead of the build
class BatchLoaderTest {
  /** 10 images of 1×1×2 whose label is their index and whose pixels are (i, -i). */
  private static ImageSet indexed(int n) {
    float[] pixels = new float[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      pixels[2 * i] = i;
      pixels[2 * i + 1] = -i;
      labels[i] = i;
    }
    return ImageSet.of(1, 1, 2, pixels, labels, "indexed");
  }

  private static List<Integer> epochOrder(BatchLoader loader) {
    List<Integer> seen = new ArrayList<>();
    for (int b = 0; b < loader.batchesPerEpoch(); b++) {
      Batch batch = loader.next();
      for (int k = 0; k < batch.size(); k++) {
        seen.add(batch.labels()[k]);
        assertEquals(batch.labels()[k], batch.pixels()[2 * k], 0f); // pixels follow labels
      }
    }
    return seen;
  }

  @Test
  void everyImageOncePerEpochWithAPartialLastBatch() {
    try (BatchLoader loader = BatchLoader.start(indexed(10), 4, 1, false)) {
      assertEquals(3, loader.batchesPerEpoch());
      for (int epoch = 0; epoch < 3; epoch++) {
        List<Integer> seen = epochOrder(loader);
        assertEquals(10, seen.size());
        assertEquals(10, seen.stream().distinct().count());
      }
    }
  }

  @Test
  void batchesCarrySizeEpochAndIndex() {
    try (BatchLoader loader = BatchLoader.start(indexed(10), 4, 1, false)) {
      int[] sizes = new int[4];
      for (int b = 0; b < 4; b++) {
        Batch batch = loader.next();
        sizes[b] = batch.size();
        assertEquals(batch.size() * 2, batch.pixels().length);
        assertEquals(b == 3 ? 1 : 0, batch.epoch());
        assertEquals(b % 3, batch.index());
      }
      assertArrayEquals(new int[] {4, 4, 2, 4}, sizes);
    }
  }

  @Test
  void dropLastGivesOnlyFullBatches() {
    try (BatchLoader loader = BatchLoader.start(indexed(10), 4, 1, true)) {
      assertEquals(2, loader.batchesPerEpoch());
      for (int b = 0; b < 6; b++) {
        assertEquals(4, loader.next().size());
      }
    }
  }

  @Test
  void sameSeedSameOrderOtherEpochOtherOrder() {
    List<Integer> first;
    List<Integer> second;
    try (BatchLoader a = BatchLoader.start(indexed(50), 8, 7, false)) {
      first = epochOrder(a);
      second = epochOrder(a);
    }
    try (BatchLoader b = BatchLoader.start(indexed(50), 8, 7, false)) {
      assertEquals(first, epochOrder(b));
    }
    assertFalse(first.equals(second), "epochs 0 and 1 were shuffled the same way");
    assertFalse(
        Arrays.equals(BatchLoader.order(50, 7, 0), BatchLoader.order(50, 8, 0)),
        "seeds 7 and 8 gave the same order");
  }

  @Test
  void resumingMidEpochReproducesTheUninterruptedStream() {
    List<Batch> straight = new ArrayList<>();
    try (BatchLoader loader = BatchLoader.start(indexed(23), 5, 3, false)) {
      for (int b = 0; b < 14; b++) {
        straight.add(loader.next());
      }
    }
    // Batch 7 is epoch 1 (5 batches per epoch), index 2.
    try (BatchLoader resumed = BatchLoader.start(indexed(23), 5, 3, false, 1, 2)) {
      for (int b = 7; b < 14; b++) {
        Batch batch = resumed.next();
        assertEquals(straight.get(b).epoch(), batch.epoch());
        assertEquals(straight.get(b).index(), batch.index());
        assertArrayEquals(straight.get(b).labels(), batch.labels());
        assertArrayEquals(straight.get(b).pixels(), batch.pixels());
      }
    }
  }

  @Test
  void unlabelledDataGivesNullLabels() {
    ImageSet set = ImageSet.of(1, 1, 1, new float[] {0, 1, 2}, null, "nolabels");
    try (BatchLoader loader = BatchLoader.start(set, 2, 0, false)) {
      assertNull(loader.next().labels());
    }
  }

  @Test
  void producerFailureSurfacesInTheConsumerAfterEarlierBatches() {
    RuntimeException boom = new IllegalStateException("disk on fire");
    try (BatchLoader loader =
        BatchLoader.startWithHook(
            indexed(10),
            2,
            0,
            (epoch, index) -> {
              if (index == 3) {
                throw boom;
              }
            })) {
      for (int b = 0; b < 3; b++) {
        assertEquals(b, loader.next().index());
      }
      DataException e = assertThrows(DataException.class, loader::next);
      assertEquals(
          "preparing batch 3 of epoch 0 from indexed failed: java.lang.IllegalStateException:"
              + " disk on fire",
          e.getMessage());
      assertSame(boom, e.getCause());
      assertThrows(DataException.class, loader::next); // stays failed
    }
  }

  @Test
  void closeStopsTheProducerThread() throws InterruptedException {
    BatchLoader loader = BatchLoader.start(indexed(100), 3, 0, false);
    loader.next();
    loader.close();
    Thread.sleep(50);
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals("convmirror-batches") && t.isAlive()),
        "producer thread still alive");
    assertThrows(IllegalStateException.class, loader::next);
  }

  @Test
  void tooLittleDataForOneBatchIsExplained() {
    DataException e =
        assertThrows(DataException.class, () -> BatchLoader.start(indexed(3), 4, 0, true));
    assertEquals(
        "data indexed has 3 images, fewer than one batch of 4; lower the batch size or stop"
            + " dropping the last partial batch or use more data",
        e.getMessage());
  }

  @Test
  void aFashionMnistSizedEpochYieldsEveryBatchInOrder() {
    ImageSet big = ImageSet.of(1, 28, 28, new float[60_000 * 784], null, "zeros");
    try (BatchLoader loader = BatchLoader.start(big, 64, 0, true)) {
      assertEquals(937, loader.batchesPerEpoch());
      for (int b = 0; b < loader.batchesPerEpoch(); b++) {
        Batch batch = loader.next();
        assertEquals(b, batch.index());
        assertEquals(64, batch.size());
      }
      assertEquals(1, loader.next().epoch(), "the next epoch follows without a gap");
    }
  }
}
