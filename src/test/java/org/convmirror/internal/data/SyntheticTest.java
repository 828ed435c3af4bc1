package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class SyntheticTest {
  @Test
  void sameSeedSameImagesOtherSeedOtherImages() {
    ImageSet a = Synthetic.generate(20, 3, 16, 12, 42);
    ImageSet b = Synthetic.generate(20, 3, 16, 12, 42);
    ImageSet c = Synthetic.generate(20, 3, 16, 12, 43);
    assertEquals(a.hash(), b.hash());
    assertNotEquals(a.hash(), c.hash());
    assertEquals("synthetic(count=20, seed=42)", a.source());
  }

  @Test
  void fewerImagesArePrefixOfMore() {
    ImageSet small = Synthetic.generate(5, 1, 8, 8, 7);
    ImageSet large = Synthetic.generate(50, 1, 8, 8, 7);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(small.image(i), large.image(i));
      assertEquals(small.label(i), large.label(i));
    }
  }

  @Test
  void imagesAreInRangeVisibleAndEveryShapeOccurs() {
    ImageSet set = Synthetic.generate(300, 1, 28, 28, 1);
    int[] perClass = new int[Synthetic.CLASS_NAMES.size()];
    for (int i = 0; i < set.count(); i++) {
      float[] image = set.image(i);
      long lit = 0;
      for (float v : image) {
        assertTrue(v >= -1f && v <= 1f, "value " + v);
        if (v > -0.5f) {
          lit++;
        }
      }
      // A shape covers a real part of the frame but never all of it.
      assertTrue(lit > 20 && lit < image.length, "image " + i + " has " + lit + " lit pixels");
      perClass[set.label(i)]++;
    }
    for (int n : perClass) {
      assertTrue(n > 60, Arrays.toString(perClass));
    }
  }

  @Test
  void colourChannelsDiffer() {
    float[] image = Synthetic.generate(1, 3, 8, 8, 3).image(0);
    float[] red = Arrays.copyOfRange(image, 0, 64);
    float[] green = Arrays.copyOfRange(image, 64, 128);
    assertFalse(Arrays.equals(red, green));
  }

  @Test
  void nonPositiveSizesAreRejected() {
    DataException e = assertThrows(DataException.class, () -> Synthetic.generate(0, 1, 8, 8, 0));
    assertEquals(
        "synthetic data needs count, channels, height and width ≥ 1, were 0, 1×8×8",
        e.getMessage());
  }
}
