package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class InPlaceTest {
  @Test
  void copiesEveryValueIntoTheSameArrayIncludingNonFiniteOnes() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray into =
          m.create(new float[] {Float.NaN, 1, 2, 3, 4, Float.POSITIVE_INFINITY}, new Shape(2, 3));
      into.setRequiresGradient(true);
      NDArray from =
          m.create(new float[] {-1, 0.5f, Float.NEGATIVE_INFINITY, 7, 8, 9}, new Shape(2, 3));
      InPlace.copy(from, into);
      assertArrayEquals(
          new float[] {-1, 0.5f, Float.NEGATIVE_INFINITY, 7, 8, 9}, into.toFloatArray());
      assertTrue(into.hasGradient(), "still a parameter with its gradient slot");
      from.addi(1);
      assertEquals(7f, into.getFloat(1, 0), "a copy, not a view of the source");
    }
  }

  @Test
  void refusesAnotherShape() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray into = m.zeros(new Shape(2, 3));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> InPlace.copy(m.zeros(new Shape(3, 2)), into));
      assertTrue(e.getMessage().contains("(3, 2)"), e.getMessage());
    }
  }
}
