package org.convmirror.internal.run;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Where a run came from: library, engine, JVM and machine versions, the command line, the seed and
 * the data, so that a run directory explains itself (after Tribuo's model provenance).
 *
 * @param timestamp UTC ISO-8601 instant, so runs made on machines in different time zones compare
 */
public record Provenance(
    String convmirrorVersion,
    String djlVersion,
    String engineName,
    String engineVersion,
    String javaVersion,
    String javaVendor,
    String os,
    String arch,
    int cpus,
    String timestamp,
    List<String> commandLine,
    long seed,
    String dataset) {

  public Provenance {
    commandLine = List.copyOf(commandLine);
  }

  /** The engine a run was made with: DJL's version and the engine's name and version. */
  public record EngineInfo(String djlVersion, String name, String version) {}

  /** Captures the provenance of the current process now. */
  public static Provenance capture(
      List<String> commandLine, long seed, String dataset, EngineInfo engine) {
    return capture(commandLine, seed, dataset, engine, Clock.systemUTC());
  }

  /** Captures the provenance of the current process at {@code clock}'s instant. */
  public static Provenance capture(
      List<String> commandLine, long seed, String dataset, EngineInfo engine, Clock clock) {
    return new Provenance(
        currentVersion(),
        engine.djlVersion(),
        engine.name(),
        engine.version(),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString(),
        commandLine,
        seed,
        dataset);
  }

  /** The {@code Implementation-Version} of the convmirror jar, or {@code "dev"} from classes. */
  public static String currentVersion() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }
}
