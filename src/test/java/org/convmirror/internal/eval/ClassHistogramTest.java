package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class ClassHistogramTest {

  @Test
  void balancedLabelsHaveEntropyLnC() {
    var h = ClassHistogram.of(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, 4);
    assertArrayEquals(new long[] {2, 2, 2, 2}, h.counts());
    assertEquals(Math.log(4), h.entropy(), 1e-12);
  }

  @Test
  void collapsedLabelsHaveZeroEntropy() {
    assertEquals(0, ClassHistogram.of(new int[] {5, 5, 5}, 10).entropy(), 0);
  }

  @Test
  void entropyMatchesDefinition() {
    var h = ClassHistogram.of(new int[] {0, 0, 0, 1}, 3);
    assertEquals(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), h.entropy(), 1e-12);
    assertEquals(4, h.total());
  }

  @Test
  void rejectsLabelOutOfRangeNamingIt() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> ClassHistogram.of(new int[] {0, 3}, 3));
    assertEquals("labels[1] must be in [0, 3), was 3", e.getMessage());
  }
}
