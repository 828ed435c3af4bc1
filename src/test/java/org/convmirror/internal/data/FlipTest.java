package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Random horizontal flips: the mirror itself, the keyed draws, and flips through the loader. */
@Timeout(120)
@Tier.Pure
class FlipTest {
  private static final LongUnaryOperator SEEDS = epoch -> Seeds.mix(77, epoch);

  @Test
  void mirrorReversesEveryRowOfEveryChannel() {
    // 2 channels × 2 rows × 3 columns, then one untouched value after the image.
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99};
    Flip.mirror(x, 0, 2, 2, 3);
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 99}, x);
    float[] even = {0, 1, 2, 3, 4, 5, 6, 7};
    Flip.mirror(even, 4, 1, 1, 4); // the image at offset 4, width 4
    assertArrayEquals(new float[] {0, 1, 2, 3, 7, 6, 5, 4}, even);
  }

  @Test
  void theFlipPolicyIsParsedBesideDiffAugments() {
    assertTrue(Flip.requested("flip"));
    assertTrue(Flip.requested("color, FLIP ,translation"));
    assertFalse(Flip.requested("color,translation"));
    assertFalse(Flip.requested(""));
    assertEquals("color,translation", Flip.without("color, flip ,translation"));
    assertEquals("", Flip.without("flip"));
    assertEquals("cutout", Flip.without("cutout"));
  }

  @Test
  void drawsAreKeyedByEpochAndImageAndFlipHalf() {
    Flip flip = Flip.keyed(SEEDS);
    Flip same = Flip.keyed(SEEDS);
    int flipped = 0;
    int changed = 0;
    for (int i = 0; i < 20_000; i++) {
      assertEquals(flip.flips(3, i), same.flips(3, i));
      flipped += flip.flips(3, i) ? 1 : 0;
      changed += flip.flips(3, i) != flip.flips(4, i) ? 1 : 0;
    }
    // Binomial(20000, ½): 5 standard deviations are ±354.
    assertTrue(Math.abs(flipped - 10_000) < 354, "flipped " + flipped);
    assertTrue(Math.abs(changed - 10_000) < 354, "a new epoch draws anew: " + changed);
    assertFalse(Flip.NONE.flips(3, 0));
    assertFalse(Flip.NONE.active());
    assertTrue(flip.active());
  }

  /** 12 images of 1×2×3, image i holding 100·i + 0..5, labelled i. */
  private static ImageSet images() {
    float[] pixels = new float[12 * 6];
    int[] labels = new int[12];
    for (int i = 0; i < 12; i++) {
      labels[i] = i;
      for (int k = 0; k < 6; k++) pixels[i * 6 + k] = 100 * i + k;
    }
    return ImageSet.of(1, 2, 3, pixels, labels, "rows");
  }

  @Test
  void theLoaderFlipsExactlyTheDrawnImagesAndResumesAlike() {
    ImageSet data = images();
    Flip flip = Flip.keyed(SEEDS);
    List<Batch> straight = new ArrayList<>();
    int flipped = 0;
    try (BatchLoader loader = BatchLoader.start(data, 4, 5, true, 0, 0, flip)) {
      for (int b = 0; b < 9; b++) straight.add(loader.next()); // three epochs
    }
    for (Batch batch : straight) {
      for (int k = 0; k < batch.size(); k++) {
        int i = batch.labels()[k];
        float[] expected = data.image(i);
        if (flip.flips(batch.epoch(), i)) {
          Flip.mirror(expected, 0, 1, 2, 3);
          flipped++;
        }
        float[] got = java.util.Arrays.copyOfRange(batch.pixels(), k * 6, k * 6 + 6);
        assertArrayEquals(expected, got, "epoch " + batch.epoch() + " image " + i);
      }
    }
    assertTrue(flipped > 0 && flipped < 36, "some images flip, some do not: " + flipped);
    // Started where a checkpoint would resume (epoch 1, batch 2): the same batches follow.
    try (BatchLoader resumed = BatchLoader.start(data, 4, 5, true, 1, 2, flip)) {
      for (int b = 5; b < 9; b++) {
        Batch batch = resumed.next();
        assertArrayEquals(straight.get(b).pixels(), batch.pixels(), "batch " + b);
        assertArrayEquals(straight.get(b).labels(), batch.labels(), "batch " + b);
      }
    }
  }
}
