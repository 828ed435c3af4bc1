package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class RunDirectoryTest {
  @TempDir Path runs;

  record Config(String model, int latent, double lr) {}

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);

  private static Provenance provenance() {
    return new Provenance(
        "dev",
        "0.36.0",
        "PyTorch",
        "2.7.1",
        "17",
        "vendor",
        "Linux",
        "amd64",
        2,
        "2025-03-04T05:06:07Z",
        List.of("train", "--seed", "7"),
        7L,
        "synthetic:64");
  }

  @Test
  void timestampNamesGetUniqueSuffixes() throws IOException {
    RunDirectory a = RunDirectory.create(runs, null, CLOCK);
    RunDirectory b = RunDirectory.create(runs, null, CLOCK);
    RunDirectory c = RunDirectory.create(runs, null, CLOCK);
    assertEquals(runs.resolve("20250304-050607"), a.root());
    assertEquals(runs.resolve("20250304-050607-2"), b.root());
    assertEquals(runs.resolve("20250304-050607-3"), c.root());
    assertTrue(Files.isDirectory(a.layout().samplesDir()));
    assertTrue(Files.isDirectory(a.layout().checkpointsDir()));
  }

  @Test
  void layout() throws IOException {
    RunDirectory r = RunDirectory.create(runs, "mnist", CLOCK);
    Path root = runs.resolve("mnist");
    assertEquals(root.resolve("samples/epoch-0001.png"), r.layout().sampleFile(1));
    assertEquals(root.resolve("samples/epoch-0123.png"), r.layout().sampleFile(123));
    assertEquals(root.resolve("losses.csv"), r.layout().lossesCsv());
    assertEquals(root.resolve("losses.png"), r.layout().lossesPng());
    assertEquals(root.resolve("checkpoints"), r.layout().checkpointsDir());
    assertEquals(root.resolve("metrics.json"), r.layout().metricsJson());
    assertEquals(root.resolve("config.yaml"), r.layout().configYaml());
    assertFalse(r.resumed());
  }

  @Test
  void refusesToOverwriteNonEmptyNamedRun() throws IOException {
    RunDirectory r = RunDirectory.create(runs, "x", CLOCK);
    r.writeRunInfo(provenance(), new Config("dcgan", 100, 2e-4));
    IOException e = assertThrows(IOException.class, () -> RunDirectory.create(runs, "x", CLOCK));
    assertTrue(e.getMessage().contains("already exists and is not empty"), e.getMessage());
    Files.createDirectories(runs.resolve("empty"));
    assertNotNull(RunDirectory.create(runs, "empty", CLOCK));
  }

  @Test
  void rejectsPathLikeNames() {
    // Issue 21: a newline or tab in a name used to become a folder.
    for (String bad : List.of("../x", "a/b", ".hidden", " ", "two\nlines", "a\tb", "bell\u0007")) {
      IOException e =
          assertThrows(IOException.class, () -> RunDirectory.create(runs, bad, CLOCK), bad);
      assertTrue(e.getMessage().startsWith("--name must be a plain directory name"), bad);
    }
    assertFalse(Files.exists(runs.resolve("a")), "nothing created");
    IOException e = assertThrows(IOException.class, () -> RunDirectory.create(runs, "x\ny", CLOCK));
    assertTrue(e.getMessage().contains("was 'x?y'"), "one line: " + e.getMessage());
    assertFalse(Files.exists(runs.resolve("x\ny")));
  }

  @Test
  void runInfoRoundTripsAndResumeValidates() throws IOException {
    RunDirectory r = RunDirectory.create(runs, "x", CLOCK);
    Config config = new Config("dcgan", 100, 2e-4);
    r.writeRunInfo(provenance(), config);
    assertTrue(Files.readString(r.layout().configYaml()).contains("latent: 100"));
    Path litter = Files.writeString(r.root().resolve(".tmp-losses.csv-123"), "litter");
    // Left by a killed process: older than the one-second grace a live writer gets.
    Files.setLastModifiedTime(
        litter, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    r.close();

    RunDirectory again = RunDirectory.openForResume(r.root());
    assertTrue(again.resumed());
    assertEquals(config, again.readConfig(Config.class));
    assertEquals(provenance(), again.readProvenance());
    assertFalse(Files.exists(r.root().resolve(".tmp-losses.csv-123")));
  }

  @Test
  void resumeRejectsForeignDirectories() throws IOException {
    Path plain = Files.createDirectories(runs.resolve("plain"));
    IOException e = assertThrows(IOException.class, () -> RunDirectory.openForResume(plain));
    assertEquals("not a convmirror run directory: no run.json in " + plain, e.getMessage());

    Files.writeString(plain.resolve("run.json"), "{\"something\": 1}");
    e = assertThrows(IOException.class, () -> RunDirectory.openForResume(plain));
    assertTrue(e.getMessage().startsWith("not a convmirror run directory"), e.getMessage());

    Files.writeString(plain.resolve("run.json"), "{not json");
    e = assertThrows(IOException.class, () -> RunDirectory.openForResume(plain));
    assertTrue(e.getMessage().contains("unreadable"), e.getMessage());

    e = assertThrows(IOException.class, () -> RunDirectory.openForResume(runs.resolve("missing")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  /** Issue 21: a looping link and a file given as a run are named as what they are. */
  @Test
  void aLoopOrAFileGivenAsARunIsNamedWithTheFix() throws IOException {
    Path loop = Files.createSymbolicLink(runs.resolve("loop"), Path.of("loop"));
    IOException e = assertThrows(IOException.class, () -> RunDirectory.openForReading(loop));
    assertEquals(
        "not a convmirror run directory: "
            + loop
            + " is a symbolic link that loops back on itself; remove it (rm '"
            + loop
            + "') or point it at a folder",
        e.getMessage());

    Path file = Files.writeString(runs.resolve("notes.txt"), "x");
    e = assertThrows(IOException.class, () -> RunDirectory.openForReading(file));
    assertEquals(
        "not a convmirror run directory: "
            + file
            + " is a file, not a folder; give a run's folder (runs/NAME)",
        e.getMessage());

    Path run = Files.createDirectories(runs.resolve("r"));
    Path runJson = Files.writeString(run.resolve("run.json"), "{}");
    e = assertThrows(IOException.class, () -> RunDirectory.openForReading(runJson));
    assertEquals(
        "not a convmirror run directory: "
            + runJson
            + " is a file, not a folder; give the run's folder, "
            + run,
        e.getMessage());
  }

  @Test
  void metricsAreJson() throws IOException {
    RunDirectory r = RunDirectory.create(runs, "m", CLOCK);
    r.writeMetrics(java.util.Map.of("fid", 12.5));
    assertTrue(Files.readString(r.layout().metricsJson()).contains("\"fid\" : 12.5"));
  }
}
