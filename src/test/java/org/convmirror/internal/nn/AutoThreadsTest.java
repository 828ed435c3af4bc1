package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** {@code --threads auto}: one thread per core the load average leaves idle, at least one. */
@Tier.Engine
class AutoThreadsTest {
  @Test
  void anIdleMachineGetsOneThreadPerCore() {
    assertEquals(2, EngineSetup.autoThreads(2, 0.0));
    assertEquals(2, EngineSetup.autoThreads(2, 0.4));
    assertEquals(16, EngineSetup.autoThreads(16, 0.2));
  }

  @Test
  void busyCoresAreLeftToTheirJobs() {
    assertEquals(1, EngineSetup.autoThreads(2, 0.6));
    assertEquals(1, EngineSetup.autoThreads(2, 1.2));
    assertEquals(13, EngineSetup.autoThreads(16, 3.1));
  }

  @Test
  void anOverloadedMachineStillGetsOneThread() {
    assertEquals(1, EngineSetup.autoThreads(2, 4.5));
    assertEquals(1, EngineSetup.autoThreads(1, 0.0));
  }

  @Test
  void anUnknownLoadMeansOnePerCore() {
    assertEquals(4, EngineSetup.autoThreads(4, -1));
    assertEquals(4, EngineSetup.autoThreads(4, Double.NaN));
  }

  @Test
  void theLoadAverageIsReadOnLinux() {
    double load = EngineSetup.readLoadAverage();
    if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/loadavg"))) {
      assertTrue(load >= 0, "read " + load);
    } else {
      assertEquals(-1, load);
    }
  }
}
