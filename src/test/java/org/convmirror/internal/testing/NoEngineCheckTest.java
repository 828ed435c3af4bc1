package org.convmirror.internal.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

@Tier.Engine
class NoEngineCheckTest {
  /** The check looks for the right name: once DJL made an array, libtorch is in the memory map. */
  @Test
  void seesTheEngineOnceLoaded() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.create(1f);
    }
    assertTrue(NoEngineCheck.engineLoaded());
  }
}
