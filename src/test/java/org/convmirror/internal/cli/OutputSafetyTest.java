package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.OutputLock;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, items 1, 5 and 8: {@code export} (every format), {@code sample} and {@code report}
 * replace symbolic links planted under their files' names instead of writing through them; a full
 * disk (injected at the one writer's seam, {@link AtomicFiles#simulateFullDisk}: no small file
 * system can be mounted in a test) leaves the previous output byte-identical and names the file;
 * two writers of one folder are refused; a smaller sample leaves no stale images.
 */
@Tier.Engine
class OutputSafetyTest {
  @TempDir static Path shared;
  static Path run;
  @TempDir Path tmp;

  /** What each format writes, relative to --out. */
  static final Map<String, List<String>> FILES = new LinkedHashMap<>();

  static {
    FILES.put("onnx", List.of("generator.onnx"));
    FILES.put("safetensors", List.of("generator.safetensors", "model.py"));
    FILES.put("torch", List.of("generator.safetensors", "model.py", "sample.py"));
    FILES.put(
        "web",
        List.of(
            "index.html",
            "generator.onnx",
            "model.json",
            "ort/ort.wasm.min.js",
            "ort/ort-wasm-simd-threaded.mjs",
            "ort/ort-wasm-simd-threaded.wasm",
            "ort/package.json"));
  }

  static final List<String> SAMPLE =
      List.of("samples.npy", "grid.png", "interpolation.png", "images/00000.png");

  @BeforeAll
  static void trainOne() throws IOException {
    run = ResumeHistoryTest.trainTiny(shared, "r");
  }

  private static void ok(String... args) {
    PlanCommandTest.Result r = PlanCommandTest.run(args);
    assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.err() + r.out());
  }

  /** Runs the CLI, expecting exit 2 and one line without a stack trace; returns that line. */
  static String refused(String... args) {
    PlanCommandTest.Result r = PlanCommandTest.run(args);
    assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err() + r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("internal error"), r.err());
    return r.err().strip();
  }

  /** Plants a link named {@code name} in {@code dir} to a fresh victim file; returns the victim. */
  private Path plant(Path dir, String name) throws IOException {
    Path victim = Files.createTempFile(Files.createDirectories(tmp.resolve("victims")), "v", "");
    Files.writeString(victim, "victim of " + name);
    Path link = dir.resolve(name);
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, victim);
    return victim;
  }

  private static void assertVictimsUnchangedAndLinksReplaced(Path dir, Map<String, Path> planted)
      throws IOException {
    for (Map.Entry<String, Path> e : planted.entrySet()) {
      assertEquals("victim of " + e.getKey(), Files.readString(e.getValue()), e.getKey());
      Path f = dir.resolve(e.getKey());
      assertTrue(Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS), f + " is our own file now");
    }
  }

  @Test
  void linksNamedLikeEveryExportFileAreReplacedNotFollowed() throws IOException {
    for (Map.Entry<String, List<String>> f : FILES.entrySet()) {
      Path out = tmp.resolve("export-" + f.getKey());
      Map<String, Path> planted = new TreeMap<>();
      for (String name : f.getValue()) planted.put(name, plant(out, name));
      ok("export", run.toString(), "--format", f.getKey(), "--out", out.toString());
      assertVictimsUnchangedAndLinksReplaced(out, planted);
    }
  }

  @Test
  void linksNamedLikeSampleAndReportFilesAreReplacedNotFollowed() throws IOException {
    Path out = tmp.resolve("sample");
    Map<String, Path> planted = new TreeMap<>();
    for (String name : SAMPLE) planted.put(name, plant(out, name));
    ok("sample", run.toString(), "--count", "3", "--png", "--out", out.toString());
    assertVictimsUnchangedAndLinksReplaced(out, planted);

    Path pages = tmp.resolve("report");
    Path victim = plant(pages, "report.html");
    ok("report", run.toString(), "--out", pages.resolve("report.html").toString());
    assertVictimsUnchangedAndLinksReplaced(pages, Map.of("report.html", victim));
  }

  /**
   * The names resume rewrites in a run; not the logs it appends to nor checkpoints/LATEST, which it
   * reads first: those refuse a link (ResumeRulesTest).
   */
  static final List<String> RESUMED =
      List.of(
          "config.yaml",
          "metrics.json",
          "outcome.json",
          "losses.png",
          "report.html",
          "samples/epoch-0002.png");

  @Test
  void linksNamedLikeTrainAndImportFilesAreNeverWrittenThrough() throws IOException {
    // A new run's folder planted as a link to someone's folder: refused, that folder untouched.
    Path theirs = Files.createDirectories(tmp.resolve("theirs"));
    Files.writeString(theirs.resolve("keep.txt"), "theirs");
    Path runs = Files.createDirectories(tmp.resolve("runs"));
    Files.createSymbolicLink(runs.resolve("linked"), theirs);
    String model = org.convmirror.TinyModels.ganFile(tmp).toString();
    String train =
        refused(
            "train",
            "--model",
            model,
            "--data",
            "synthetic:64",
            "--batch-size",
            "16",
            "--runs",
            runs.toString(),
            "--name",
            "linked",
            "--quiet");
    assertTrue(train.contains("linked: it is a symbolic link"), train);
    Path weights = tmp.resolve("exported");
    ok("export", run.toString(), "--format", "safetensors", "--out", weights.toString());
    String imported =
        refused(
            "import",
            model,
            "--generator",
            weights.resolve("generator.safetensors").toString(),
            "--runs",
            runs.toString(),
            "--name",
            "linked");
    assertTrue(imported.contains("linked: it is a symbolic link"), imported);
    try (Stream<Path> left = Files.list(theirs)) {
      assertEquals(List.of(theirs.resolve("keep.txt")), left.toList());
    }
    assertEquals("theirs", Files.readString(theirs.resolve("keep.txt")));

    // A resumed run's files planted as links: replaced by our own files, their targets unchanged.
    Path resumed =
        ResumeHistoryTest.trainTiny(Files.createDirectories(tmp.resolve("resumed-runs")), "r");
    Map<String, Path> planted = new TreeMap<>();
    for (String name : RESUMED) {
      Files.deleteIfExists(resumed.resolve(name));
      planted.put(name, plant(resumed, name));
    }
    ok("train", "--resume", resumed.toString(), "--epochs", "2", "--quiet");
    assertVictimsUnchangedAndLinksReplaced(resumed, planted);
  }

  @Test
  void aLinkInPlaceOfTheLockFileIsRefusedInOneLine() throws IOException {
    Path out = tmp.resolve("locked");
    Path victim = plant(out, ".convmirror.lock");
    String line = refused("export", run.toString(), "--out", out.toString());
    assertTrue(line.contains(".convmirror.lock is a symbolic link"), line);
    assertEquals("victim of .convmirror.lock", Files.readString(victim));
  }

  /** Every file under {@code dir} and its SHA-256, the lock file aside. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString();
        if (!rel.equals(".convmirror.lock")) m.put(rel, sha(p));
      }
    }
    return m;
  }

  private static String sha(Path p) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFullDiskDuringExportOrSampleKeepsThePreviousOutput() throws IOException {
    List<String[]> jobs = new ArrayList<>();
    for (String format : FILES.keySet()) {
      Path out = tmp.resolve("full-" + format);
      jobs.add(new String[] {"export", run.toString(), "--format", format, "--out", out + ""});
    }
    Path sample = tmp.resolve("full-sample");
    jobs.add(
        new String[] {"sample", run.toString(), "--count", "5", "--png", "--out", sample + ""});
    for (String[] job : jobs) {
      Path out = Path.of(job[job.length - 1]);
      ok(job);
      Map<String, String> before = snapshot(out);
      String line;
      // 2 KiB: every format's first file is larger, so each fails part-way through a write.
      try (AtomicFiles.FullDisk full = AtomicFiles.simulateFullDisk(2048)) {
        String[] again = job.clone();
        if (job[0].equals("sample")) again[3] = "4"; // another sample, not the same bytes
        line = refused(again);
      }
      assertTrue(
          line.startsWith("convmirror: no space left on the device to write " + out + "/"), line);
      assertFalse(line.contains(".tmp-"), "names the file the user knows: " + line);
      // ...and the space it needs beside the space left (the simulated disk's 0 bytes).
      assertTrue(
          line.matches(
              ".* \\(it needs (more than the )?[0-9.]+ (bytes|KiB|MiB)( written)?, 0 bytes free there\\); .*"),
          line);
      assertEquals(before, snapshot(out), String.join(" ", job) + ": the previous output");
    }
  }

  @Test
  void twoWritersOfOneFolderAreRefusedAndASmallerSampleLeavesNoStaleImages() throws IOException {
    Path out = tmp.resolve("two");
    try (OutputLock held = OutputLock.acquire(out, "--out")) {
      String line = refused("sample", run.toString(), "--count", "3", "--out", out.toString());
      assertTrue(
          line.startsWith("convmirror: --out " + out + " is being written by another convmirror"),
          line);
    }
    ok("sample", run.toString(), "--count", "6", "--png", "--out", out.toString());
    ok("sample", run.toString(), "--count", "2", "--png", "--out", out.toString());
    try (Stream<Path> images = Files.list(out.resolve("images"))) {
      assertEquals(
          List.of("00000.png", "00001.png"),
          images.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aSampleTooLargeForTheDiskIsRefusedBeforeWriting() {
    Path out = tmp.resolve("huge");
    String line = refused("sample", run.toString(), "--count", "2000000000", "--out", out + "");
    assertTrue(line.startsWith("convmirror: sample --count 2000000000 needs about "), line);
    assertTrue(line.endsWith("lower --count, or free space on that disk"), line);
    assertFalse(Files.exists(out.resolve("samples.npy")));
  }

  @Test
  void exportToAFileSaysSo() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertEquals(
        "convmirror: --out "
            + file
            + " is a file, not a folder; give a folder for the export to go in",
        refused("export", run.toString(), "--out", file.toString()));
    assertEquals("x", Files.readString(file));
  }
}
