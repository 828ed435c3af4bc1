package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.convmirror.TinyModels;
import org.convmirror.internal.data.TestImages;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image folders through the whole CLI: every kind of bad data is skipped with one warning line
 * (training goes on) or refused with one line and exit 2 under {@code --strict}; a folder with
 * nothing to train on is one line; a refusal leaves no run directory and no cache file; {@code data
 * inspect}, {@code data example}, {@code classifier train} and {@code bench --data} on folders.
 */
@Tier.Engine
class DataCliTest {
  @TempDir static Path tmp;
  private static Path cache;
  private static Path model;
  private static String oldCache;

  @BeforeAll
  static void privateCache() throws IOException {
    cache = tmp.resolve("cache");
    oldCache = System.getProperty("convmirror.cache");
    System.setProperty("convmirror.cache", cache.toString());
    model = TinyModels.ganFile(tmp);
  }

  @AfterAll
  static void restoreCache() {
    if (oldCache == null) System.clearProperty("convmirror.cache");
    else System.setProperty("convmirror.cache", oldCache);
  }

  private static PlanCommandTest.Result train(Path data, Path runs, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "2",
                "--runs",
                runs.toString(),
                "--quiet"));
    args.addAll(List.of(more));
    return PlanCommandTest.run(args.toArray(String[]::new));
  }

  /** Cache files (complete or temporary) of the folder named {@code name}. */
  private static List<Path> cached(String name) throws IOException {
    if (!Files.isDirectory(cache)) return List.of();
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> f.getFileName().toString().startsWith(name + "-")).toList();
    }
  }

  private static void assertOneLineRefusal(PlanCommandTest.Result r, String start) {
    String all = r.err() + r.out();
    assertEquals(2, r.code(), all);
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), all);
    assertTrue(lines.get(0).startsWith("convmirror: " + start), all);
    assertFalse(all.contains("\tat ") || all.contains("internal error"), all);
  }

  @TestFactory
  Stream<DynamicTest> everyBadFileIsSkippedInOneLineOrRefusedUnderStrict() {
    return Stream.of(TestImages.Bad.values())
        .map(
            kind ->
                DynamicTest.dynamicTest(
                    kind.toString(),
                    () -> {
                      Path root = TestImages.folder(tmp.resolve("mixed-" + kind), 1, 4);
                      String name = "c0/" + TestImages.name(kind);
                      Path bad = TestImages.bad(kind, root.resolve(name));
                      boolean unusable = TestImages.unusable(kind, bad);
                      String prefix = root.getFileName().toString();

                      Path strictRuns = tmp.resolve("runs-strict-" + kind);
                      PlanCommandTest.Result s = train(root, strictRuns, "--strict");
                      if (unusable) {
                        assertOneLineRefusal(
                            s,
                            root
                                + ": 1 of 5 files cannot be used: "
                                + name
                                + " ("
                                + TestImages.reason(kind));
                        assertFalse(Files.exists(strictRuns), "no run directory");
                        assertEquals(List.of(), cached(prefix), "no cache, no temporary file");
                      } else {
                        assertEquals(0, s.code(), "root reads a chmod-000 file: " + s.err());
                      }

                      Path runs = tmp.resolve("runs-" + kind);
                      PlanCommandTest.Result r = train(root, runs);
                      assertEquals(0, r.code(), r.err() + r.out());
                      List<String> warnings =
                          r.out().lines().filter(l -> l.startsWith("warning: skipped")).toList();
                      assertEquals(unusable ? 1 : 0, warnings.size(), r.out());
                      if (unusable) {
                        assertTrue(
                            warnings
                                .get(0)
                                .startsWith(
                                    "warning: skipped 1 of 5 files that cannot be used: "
                                        + name
                                        + " ("
                                        + TestImages.reason(kind)),
                            warnings.get(0));
                      }
                      assertTrue(r.out().contains("(" + (unusable ? 4 : 5) + " images resized to"));
                      List<Path> files = cached(prefix);
                      assertEquals(1, files.size(), files.toString());
                      assertTrue(files.get(0).toString().endsWith(".cmimg"), files.toString());
                    }));
  }

  @Test
  void aFolderWithNothingToTrainOnIsOneLineAndLeavesNothing() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path notes = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(notes.resolve("readme.txt"), "hi");
    Files.writeString(notes.resolve(".DS_Store"), "x");
    Path bad = Files.createDirectories(tmp.resolve("allbad"));
    for (TestImages.Bad kind : TestImages.Bad.values()) {
      Path f = TestImages.bad(kind, bad.resolve(TestImages.name(kind)));
      if (!TestImages.unusable(kind, f)) Files.delete(f); // root could read it
    }
    for (Path folder : List.of(empty, notes)) {
      Path runs = tmp.resolve("runs-" + folder.getFileName());
      assertOneLineRefusal(train(folder, runs), folder + ": no images found");
      assertFalse(Files.exists(runs));
      assertEquals(List.of(), cached(folder.getFileName().toString()));
      assertOneLineRefusal(
          PlanCommandTest.run("data", "inspect", folder.toString()), folder + ": no images found");
    }
    Path runs = tmp.resolve("runs-allbad");
    assertOneLineRefusal(train(bad, runs), bad + ": none of the ");
    assertFalse(Files.exists(runs));
    assertEquals(List.of(), cached("allbad"));
    assertOneLineRefusal(
        train(tmp.resolve("missing"), runs), tmp.resolve("missing") + ": no such file or folder");
  }

  @Test
  void inspectReportsTheFolderAndTheCacheAndDrawsASheet() throws IOException {
    Path root = TestImages.folder(tmp.resolve("inspected"), 2, 3);
    TestImages.bad(TestImages.Bad.ZERO_BYTE, root.resolve("c1/empty.png"));
    Files.writeString(root.resolve("c0/notes.txt"), "hi");
    Path sheet = tmp.resolve("sheet.png");
    String[] args = {
      "data", "inspect", root.toString(), "--size", "3x16x16", "--sheet", sheet.toString()
    };
    PlanCommandTest.Result r = PlanCommandTest.run(args);
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(out.contains("found    7 image files (.png, .jpg, .jpeg), 1 other files"), out);
    assertTrue(out.contains("images   6 usable, 1 skipped, as 3×16×16 (C×H×W)"), out);
    assertTrue(out.contains("  skipped c1/empty.png: empty file (0 bytes)"), out);
    assertTrue(out.contains("  other   c0/notes.txt (not an image name)"), out);
    assertTrue(out.contains("modes    RGB: 6"), out);
    assertTrue(out.contains("classes  2 sub-folders"), out);
    assertTrue(out.contains("  c0        3") && out.contains("  c1        3"), out);
    assertTrue(out.contains("cache    miss, decoded now: " + cache), out);
    BufferedImage grid = ImageIO.read(sheet.toFile());
    assertEquals(
        3 * 32 + 4 * 2, grid.getWidth(), "3 columns of 16-pixel images shown twice as large");
    PlanCommandTest.Result again = PlanCommandTest.run(args);
    assertTrue(again.out().contains("cache    hit: " + cache), again.out());
    assertTrue(
        again.out().lines().noneMatch(l -> l.startsWith("decoding")),
        "a hit decodes nothing: " + again.out());
  }

  @Test
  void exampleWritesTintedFashionMnistInClassFolders() throws IOException {
    Path out = tmp.resolve("example");
    PlanCommandTest.Result r =
        PlanCommandTest.run("data", "example", out.toString(), "--count", "30", "--size", "32");
    assertEquals(0, r.code(), r.err());
    List<Path> pngs;
    try (Stream<Path> walk = Files.walk(out)) {
      pngs = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    assertEquals(30, pngs.size());
    BufferedImage first = ImageIO.read(pngs.get(0).toFile());
    assertEquals(32, first.getWidth());
    assertEquals(3, first.getColorModel().getNumColorComponents());
    try (Stream<Path> dirs = Files.list(out)) {
      assertEquals(10, dirs.count(), "one sub-folder per class");
    }
    Path again = tmp.resolve("example-again");
    PlanCommandTest.run("data", "example", again.toString(), "--count", "30", "--size", "32");
    assertEquals(
        Files.mismatch(pngs.get(7), again.resolve(out.relativize(pngs.get(7)))),
        -1L,
        "the same seed writes the same images");
    assertOneLineRefusal(
        PlanCommandTest.run("data", "example", out.toString(), "--count", "3"),
        out + " exists and is not an empty folder");
  }

  @Test
  void classifierTrainsOnAFolderAndBenchReadsItsBatches() throws IOException {
    Path root = TestImages.folder(tmp.resolve("classes"), 2, 14);
    Path out = tmp.resolve("folder-classifier.params");
    PlanCommandTest.Result c =
        PlanCommandTest.run(
            "classifier",
            "train",
            "--data",
            root.toString(),
            "--size",
            "1x12x12",
            "--epochs",
            "1",
            "--out",
            out.toString());
    assertEquals(0, c.code(), c.err() + c.out());
    assertTrue(c.out().contains("on 24 images of 1×12×12 (2 classes)"), c.out());
    JsonNode info = new ObjectMapper().readTree(tmp.resolve("folder-classifier.json").toFile());
    assertEquals("[1,12,12]", info.get("inputShape").toString());
    assertEquals(2, info.get("classes").asInt());

    PlanCommandTest.Result b =
        PlanCommandTest.run(
            "bench",
            "--model",
            model.toString(),
            "--data",
            root.toString(),
            "--iterations",
            "3",
            "--warmup",
            "1",
            "--batch-size",
            "4",
            "--json",
            "--matmul-size",
            "64");
    assertEquals(0, b.code(), b.err());
    JsonNode j = new ObjectMapper().readTree(b.out()); // decoding notices went to stderr
    assertTrue(j.get("phase_ms_mean").has("data"), j.toString());
    assertTrue(j.get("data_prepare_ms_per_iteration").asDouble() > 0, j.toString());
    assertTrue(j.get("data").asText().contains("28 images resized to 1×12×12"), j.toString());
  }

  @Test
  void flipIsRecordedWithTheRun() throws IOException {
    Path root = TestImages.folder(tmp.resolve("flip"), 1, 4);
    Path runs = tmp.resolve("runs-flip");
    PlanCommandTest.Result r = train(root, runs, "--augment", "flip,translation", "--name", "f");
    assertEquals(0, r.code(), r.err());
    JsonNode run = new ObjectMapper().readTree(runs.resolve("f/run.json").toFile());
    assertEquals("flip,translation", run.findValue("augment").asText(), run.toString());
  }
}
