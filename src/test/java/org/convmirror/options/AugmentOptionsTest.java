package org.convmirror.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.convmirror.error.UsageException;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * {@code --augment}: flip beside the DiffAugment policies, recorded as given, refused in a line.
 */
@Tier.Pure
class AugmentOptionsTest {
  private static GanOptions augment(String policies) {
    return GanOptions.builder().augment(policies).build();
  }

  @Test
  void flipSitsBesideDiffAugmentPolicies() {
    assertEquals("flip,translation", augment("flip,translation").augment());
    assertEquals("color,flip", augment("color,flip").augment());
    assertEquals("flip", augment("flip").augment());
  }

  @Test
  void anUnknownPolicyIsOneLineNamingFlipToo() {
    UsageException e = assertThrows(UsageException.class, () -> augment("flip,colour"));
    assertEquals(
        "unknown --augment policy 'colour' in 'flip,colour'; use a comma-separated list of flip,"
            + " color, translation, cutout",
        e.getMessage());
  }
}
