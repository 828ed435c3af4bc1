package org.convmirror.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class ConvArithmeticTest {

  @Test
  void handComputedSizes() {
    assertEquals(14, ConvArithmetic.convOut(28, 4, 2, 1, 1)); // (28+2-3-1)/2+1
    assertEquals(1, ConvArithmetic.convOut(7, 7, 1, 0, 1));
    assertEquals(3, ConvArithmetic.convOut(7, 3, 2, 0, 1));
    assertEquals(5, ConvArithmetic.convOut(9, 3, 1, 0, 2)); // extent 5
    assertEquals(0, ConvArithmetic.convOut(3, 5, 1, 0, 1));
    assertEquals(3, ConvArithmetic.poolOut(7, 2, 2));
    assertEquals(3, ConvArithmetic.poolOut(7, 3, 2));
    assertEquals(28, ConvArithmetic.convTransposeOut(14, 4, 2, 1, 0, 1));
    assertEquals(7, ConvArithmetic.convTransposeOut(1, 7, 1, 0, 0, 1));
    assertEquals(8, ConvArithmetic.convTransposeOut(3, 3, 2, 0, 1, 1));
  }

  /** Exhaustive over small sizes: the computed output_padding always restores the input. */
  @Test
  void outputPaddingRestoresEverySizeAndIsBelowStride() {
    int checked = 0;
    for (int in = 1; in <= 40; in++)
      for (int k = 1; k <= 7; k++)
        for (int s = 1; s <= 5; s++)
          for (int p = 0; p <= 3; p++)
            for (int d = 1; d <= 3; d++) {
              int out = ConvArithmetic.convOut(in, k, s, p, d);
              if (out < 1) continue;
              int op = ConvArithmetic.outputPadding(in, k, s, p, d);
              assertTrue(op >= 0 && op < s, "op " + op);
              String where = "in=" + in + " k=" + k + " s=" + s + " p=" + p + " d=" + d;
              assertEquals(in, ConvArithmetic.convTransposeOut(out, k, s, p, op, d), where);
              checked++;
            }
    assertTrue(checked > 10_000, "checked " + checked);
  }
}
