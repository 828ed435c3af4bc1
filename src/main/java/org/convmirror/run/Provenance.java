package org.convmirror.run;

import ai.djl.engine.Engine;
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

  /** Captures the provenance of the current process now. */
  public static Provenance capture(List<String> commandLine, long seed, String dataset) {
    return capture(commandLine, seed, dataset, Clock.systemUTC());
  }

  /** Captures the provenance of the current process at {@code clock}'s instant. */
  public static Provenance capture(
      List<String> commandLine, long seed, String dataset, Clock clock) {
    String engineName;
    String engineVersion;
    try {
      Engine engine = Engine.getInstance();
      engineName = engine.getEngineName();
      engineVersion = engine.getVersion();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      // A run that cannot load its engine fails later with a better message; record why here.
      engineName = "unavailable";
      engineVersion = String.valueOf(e.getMessage());
    }
    return new Provenance(
        currentVersion(),
        Engine.getDjlVersion(),
        engineName,
        engineVersion,
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
