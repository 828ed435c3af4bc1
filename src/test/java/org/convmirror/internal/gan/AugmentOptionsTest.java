package org.convmirror.internal.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.convmirror.error.UsageException;
import org.junit.jupiter.api.Test;

/**
 * {@code --augment}: flip beside the DiffAugment policies, recorded as given, refused in a line.
 */
class AugmentOptionsTest {
  @Test
  void flipSitsBesideDiffAugmentPolicies() {
    assertEquals("flip,translation", GanOptions.dcgan().withAugment("flip,translation").augment());
    assertEquals("color,flip", GanOptions.dcgan().withAugment("color,flip").augment());
    assertEquals("flip", GanOptions.dcgan().withAugment("flip").augment());
  }

  @Test
  void anUnknownPolicyIsOneLineNamingFlipToo() {
    UsageException e =
        assertThrows(UsageException.class, () -> GanOptions.dcgan().withAugment("flip,colour"));
    assertEquals(
        "unknown --augment policy 'colour' in 'flip,colour'; use a comma-separated list of flip,"
            + " color, translation, cutout",
        e.getMessage());
  }
}
