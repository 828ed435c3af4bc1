package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class ImageSetTest {
  private final ImageSet set =
      ImageSet.of(
          2, 1, 2, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new int[] {7, 8, 9}, "t");

  @Test
  void imagesAreCopiesInNchwOrder() {
    assertEquals(3, set.count());
    assertEquals("2×1×2", set.shape());
    float[] image = set.image(1);
    assertArrayEquals(new float[] {4, 5, 6, 7}, image);
    image[0] = 99;
    assertArrayEquals(new float[] {4, 5, 6, 7}, set.image(1));
  }

  @Test
  void headAndSubsetKeepLabelsAligned() {
    ImageSet head = set.head(2);
    assertEquals(2, head.count());
    assertArrayEquals(new int[] {7, 8}, head.labels());
    assertSame(set, set.head(10));
    ImageSet subset = set.subset(new int[] {2, 0, 2});
    assertArrayEquals(new int[] {9, 7, 9}, subset.labels());
    assertArrayEquals(new float[] {8, 9, 10, 11}, subset.image(0));
    assertEquals("t subset(3)", subset.source());
    assertNotEquals(set.hash(), subset.hash());
  }

  @Test
  void requireShapeExplainsTheMismatch() {
    DataException e = assertThrows(DataException.class, () -> set.requireShape(3, 32, 32));
    assertEquals(
        "data t is 2×1×2 but the model expects 3×32×32; set the model's image shape to 2×1×2, or"
            + " use an image folder (it is resized and converted to the model's shape on load)",
        e.getMessage());
    assertSame(set, set.requireShape(2, 1, 2));
  }

  @Test
  void unitRangeMapsMinusOneToZeroAndOneToOne() {
    assertArrayEquals(new float[] {0f, 0.5f, 1f}, ImageSet.toUnitRange(new float[] {-1, 0, 1}));
  }

  @Test
  void wrongPixelCountIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> ImageSet.of(1, 2, 2, new float[5], null, "x"));
    assertThrows(
        IllegalArgumentException.class, () -> ImageSet.of(1, 2, 2, new float[8], new int[1], "x"));
  }
}
