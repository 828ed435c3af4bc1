package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 13, cases 5, 6, 9, 11 and 13 (the help): bad inputs at the command line end in one line
 * that says what is wrong and how to fix it, exit code 2, and no stack trace or "internal error".
 */
@Tier.Engine
class ReliabilityCliTest {
  @TempDir Path tmp;

  /** Runs the CLI and returns its first stderr line, checking exit code 2 and no stack trace. */
  private static String refusal(String... args) {
    PlanCommandTest.Result r = PlanCommandTest.run(args);
    assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err() + r.out());
    assertFalse(r.err().contains("internal error"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    return r.err().lines().findFirst().orElse("");
  }

  private Path npy(String name, long[] shape, float[] data) throws Exception {
    Path f = tmp.resolve(name);
    Npy.write(f, shape, data);
    return f;
  }

  private static float[] images(int n, float value) {
    float[] x = new float[n * 28 * 28];
    Arrays.fill(x, value);
    return x;
  }

  @Test
  void threadsAreBoundedAndNegativeValuesRefused() {
    int max = 4 * Runtime.getRuntime().availableProcessors();
    for (String bad : List.of("-3", "-1", "100000", Integer.toString(max + 1))) {
      assertTrue(
          refusal("evaluate", "x.npy", "--threads", bad)
              .startsWith(
                  "convmirror: --threads must be auto, 0 (one per core) or 1 to " + max + " ("),
          bad);
    }
    // In range, the next problem is the missing file, not the flag.
    assertTrue(
        refusal("evaluate", tmp.resolve("x.npy").toString(), "--threads", Integer.toString(max))
            .contains("x.npy does not exist"));
    UsageException e = assertThrows(UsageException.class, () -> EngineSetup.configure(1, -1));
    assertTrue(e.getMessage().startsWith("--interop-threads must be 0"), e.getMessage());
  }

  @Test
  void evaluateRefusesNonFiniteAndOutOfRangePixelsNamingCountAndRange() throws Exception {
    float[] nan = images(8, 0.5f);
    nan[3] = Float.NaN;
    nan[700] = Float.POSITIVE_INFINITY;
    Path f = npy("nan.npy", new long[] {8, 1, 28, 28}, nan);
    assertEquals(
        "convmirror: "
            + f
            + " holds 2 values that are NaN or infinite (of 6,272); sample again from a model that"
            + " has not diverged",
        refusal("evaluate", f.toString(), "--data", "synthetic:64"));

    float[] bytes = images(8, 0);
    bytes[10] = 255;
    bytes[11] = 17;
    bytes[12] = 1.00005f; // float error of a sigmoid: tolerated
    bytes[13] = -0.00005f;
    Path g = npy("bytes.npy", new long[] {8, 1, 28, 28}, bytes);
    assertEquals(
        "convmirror: "
            + g
            + " holds 2 values outside [0, 1] (they range from -5.0E-5 to 255.0); 'evaluate'"
            + " scores images in [0, 1] as 'convmirror sample' writes them: divide 0–255 pixels by"
            + " 255, map [-1, 1] ones to (x + 1) / 2",
        refusal("evaluate", g.toString(), "--data", "synthetic:64"));
  }

  @Test
  void evaluateRefusesEmptyAndTooSmallSampleFiles() throws Exception {
    Path none = npy("none.npy", new long[] {0, 1, 28, 28}, new float[0]);
    assertEquals(
        "convmirror: "
            + none
            + " holds no images (shape [0, 1, 28, 28]); scoring needs ≥ 4: write more with"
            + " 'convmirror sample RUN --count N'",
        refusal("evaluate", none.toString()));
    Path three = npy("three.npy", new long[] {3, 1, 28, 28}, images(3, 0.5f));
    assertTrue(refusal("evaluate", three.toString()).contains(" holds only 3 (shape"));
    Path empty = Files.createFile(tmp.resolve("empty.npy"));
    assertEquals(
        "convmirror: "
            + empty
            + " is empty (0 bytes), not a .npy array; write samples again with 'convmirror"
            + " sample'",
        refusal("evaluate", empty.toString()));
    Path cut = tmp.resolve("cut.npy");
    byte[] whole = Files.readAllBytes(three);
    Files.write(cut, Arrays.copyOf(whole, whole.length - 100));
    assertTrue(
        refusal("evaluate", cut.toString())
            .endsWith(
                " ends early (truncated .npy file);" + " write it again with 'convmirror sample'"));
  }

  @Test
  void evaluateChecksTheRealLowerBoundOfCountUpFront() {
    assertEquals(
        "convmirror: --count must be ≥ 4 (precision/recall compare each image with its 3 nearest"
            + " neighbours), was 3",
        refusal("evaluate", "no-such-run", "--count", "3"));
  }

  @Test
  void outputPathsThatAreFilesAreNamed() throws Exception {
    Path file = Files.writeString(tmp.resolve("taken"), "x");
    assertEquals(
        "convmirror: --out "
            + file
            + " is a file, not a folder; give a folder for the samples to"
            + " go in",
        refusal("sample", "no-such-run", "--out", file.toString()));
    assertEquals(
        "convmirror: cannot put runs in "
            + file
            + ": it is a file, not a folder; choose another folder for runs (--runs DIR)",
        refusal("train", "--data", "synthetic:64", "--runs", file.toString(), "--quiet"));
    assertEquals(
        "convmirror: cannot create run "
            + tmp.resolve("taken")
            + ": a file of that name exists; choose another run name (--name NAME)",
        refusal(
            "train",
            "--data",
            "synthetic:64",
            "--runs",
            tmp.toString(),
            "--name",
            "taken",
            "--quiet"));
  }

  @Test
  void aRunJsonWithoutConfigSaysSo() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(run.resolve("run.json"), "{\"format\": \"convmirror-run/1\"}");
    assertEquals(
        "convmirror: "
            + run.resolve("run.json")
            + " has no \"config\" section, so this run cannot be rebuilt; it was not written by a"
            + " complete 'convmirror train' (or was edited): restore the file, or train a new run",
        refusal("sample", run.toString()));
    Files.writeString(
        run.resolve("run.json"),
        "{\"format\": \"convmirror-run/1\", \"config\": {\"batch_size\": \"many\"}}");
    assertTrue(
        refusal("evaluate", run.toString())
            .startsWith(
                "convmirror: "
                    + run.resolve("run.json")
                    + ": the \"config\" section does"
                    + " not fit this convmirror ("));
  }

  @Test
  void syntheticDataTooLargeForAnArrayOrTheHeapIsRefusedUpFront() {
    assertEquals(
        "convmirror: --data synthetic:3000000: 3000000 images of 1×28×28 are 2352000000 values,"
            + " more than one Java array holds; use at most 2739137 images of this size",
        refusal("train", "--data", "synthetic:3000000", "--runs", tmp.toString(), "--quiet"));
    String heap =
        refusal("train", "--data", "synthetic:2700000", "--runs", tmp.toString(), "--quiet");
    assertTrue(
        heap.startsWith(
            "convmirror: --data synthetic:2700000: 2700000 images of 1×28×28 take 7.9 GiB as"
                + " float32, more than the "),
        heap);
    assertTrue(heap.contains("give Java more heap (CONVMIRROR_JAVA_OPTS='-Xmx16g -Xmn64m')"), heap);
    assertFalse(Files.exists(tmp.resolve("runs")), "nothing created");
  }

  @Test
  void everyCommandsSummaryInTheHelpIsAWholeSentence() {
    PlanCommandTest.Result r = PlanCommandTest.run("--help");
    assertEquals(0, r.code());
    String help = r.out().replaceAll("\\s+", " ");
    CommandLine cli = new CommandLine(new Main());
    for (var e : cli.getSubcommands().entrySet()) {
      var usage = e.getValue().getCommandSpec().usageMessage();
      // What picocli lists: the header if a command has one, else its description's first line.
      String first = (usage.header().length > 0 ? usage.header() : usage.description())[0];
      assertTrue(first.endsWith("."), e.getKey() + ": '" + first + "'");
      assertEquals(
          first.chars().filter(c -> c == '(').count(),
          first.chars().filter(c -> c == ')').count(),
          e.getKey() + ": '" + first + "'");
      assertTrue(help.contains(e.getKey() + " " + first), e.getKey() + " in " + r.out());
    }
  }
}
