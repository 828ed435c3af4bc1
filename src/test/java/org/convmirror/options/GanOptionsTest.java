package org.convmirror.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convmirror.error.UsageException;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class GanOptionsTest {
  /** The generator's update count on resume equals the updates of each iteration, one by one. */
  @Test
  void generatorUpdatesSumTheIterationsStepCounts() {
    for (int steps : new int[] {1, 2, 3}) {
      for (long from : new long[] {0, 1, 31, 32, 33, 64, 100, 1000}) {
        GanOptions o = GanOptions.builder().generatorSteps(steps, from).build();
        for (long perIteration : new long[] {1, 16, 32, 96}) {
          long updates = 0;
          for (long i = 0; i <= 50; i++) {
            String at = steps + " from " + from + ", " + perIteration + "/iteration, " + i;
            assertEquals(updates, o.generatorUpdates(i, perIteration), at);
            updates += o.generatorStepsAt(i * perIteration);
          }
        }
      }
    }
  }

  @Test
  void oneStepBeforeTheThresholdAndTheGivenCountFromIt() {
    GanOptions o = GanOptions.builder().generatorSteps(3, 64).build();
    assertEquals(1, o.generatorStepsAt(0));
    assertEquals(1, o.generatorStepsAt(63));
    assertEquals(3, o.generatorStepsAt(64));
    // 64 images at 32 a batch: iterations 0 and 1 take one step, 2..9 three each.
    assertEquals(2 + 8 * 3, o.generatorUpdates(10, 32));
  }

  @Test
  void stepCountsOutsideTheirRangeAreRefusedNamingTheFlag() {
    UsageException many =
        assertThrows(UsageException.class, () -> GanOptions.builder().generatorSteps(101).build());
    assertTrue(
        many.getMessage().contains("--g-steps must be in 1..100, was 101"), many.getMessage());
    UsageException from =
        assertThrows(
            UsageException.class, () -> GanOptions.builder().generatorSteps(2, -1).build());
    assertTrue(from.getMessage().contains("--g-steps-from"), from.getMessage());
  }
}
