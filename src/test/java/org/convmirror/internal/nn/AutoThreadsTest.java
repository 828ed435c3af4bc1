package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void theLoadAverageIsTheFirstFieldOfLoadavg(@TempDir Path dir) throws IOException {
    Path loadavg = Files.writeString(dir.resolve("loadavg"), "1.37 0.90 0.51 3/412 12345\n");
    assertEquals(1.37, EngineSetup.readLoadAverage(null, loadavg));
    assertEquals(-1, EngineSetup.readLoadAverage(null, dir.resolve("absent")));
    assertEquals(-1, EngineSetup.readLoadAverage(null, Files.writeString(loadavg, "garbage")));
  }

  @Test
  void theSuiteAsksForOneThreadPerCoreWhateverTheLoad(@TempDir Path dir) throws IOException {
    Path loadavg = Files.writeString(dir.resolve("loadavg"), "5.00 5.00 5.00 3/412 12345\n");
    assertEquals(-1, EngineSetup.readLoadAverage("cores", loadavg));
    assertEquals("cores", System.getenv("CONVMIRROR_AUTO_THREADS"), "set by the pom's surefire");
    assertEquals(-1, EngineSetup.readLoadAverage());
  }
}
