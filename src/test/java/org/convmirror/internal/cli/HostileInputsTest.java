package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.convmirror.TinyModels;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, the internal errors and unclear lines a hostile tester found: each is now one line,
 * exit code 2, naming the flag or file and the fix, with nothing written.
 */
@Tier.Engine
class HostileInputsTest {
  @TempDir Path tmp;

  private static String refusal(String... args) {
    return OutputSafetyTest.refused(args);
  }

  private String[] train(String... more) throws IOException {
    String[] base = {
      "train",
      "--model",
      TinyModels.ganFile(tmp).toString(),
      "--data",
      "synthetic:64",
      "--batch-size",
      "16",
      "--runs",
      tmp.resolve("runs").toString(),
      "--quiet"
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void penaltyEveryZeroIsRefusedNotStoredAsOne() throws IOException {
    assertEquals(
        "convmirror: --penalty-every must be ≥ 1, was 0",
        refusal(train("--penalty", "r1", "--penalty-every", "0")));
    assertFalse(Files.exists(tmp.resolve("runs")), "no run was made");
  }

  @Test
  void aBadPerNetworkLearningRateNamesItsOwnFlag() throws IOException {
    assertEquals(
        "convmirror: --lr-d must be a positive number, was 0.0", refusal(train("--lr-d", "0")));
    assertEquals(
        "convmirror: --lr-g must be a positive number, was -1.0", refusal(train("--lr-g", "-1")));
  }

  @Test
  void scoreCountIsNamedAsItself() throws IOException {
    assertEquals(
        "convmirror: --score-count must be ≥ 2 (images scored per run), was 0",
        refusal(train("--name", "s", "--seeds", "1,2", "--score-count", "0")));
    assertFalse(Files.exists(tmp.resolve("runs/s-seed1")), "no run trained first");
  }

  @Test
  void namesWithNewlinesOrTabsAreRefused() throws IOException {
    String line = refusal(train("--name", "two\nlines"));
    assertTrue(line.startsWith("convmirror: --name must be a plain directory name"), line);
    assertTrue(line.contains("was 'two?lines'"), line);
    assertFalse(Files.exists(tmp.resolve("runs/two\nlines")));
  }

  @Test
  void emptyDataIsRefused() throws IOException {
    String[] args = train("--name", "x");
    args[4] = "";
    assertTrue(refusal(args).startsWith("convmirror: --data is empty;"));
  }

  @Test
  void benchSizesAreBounded() {
    assertEquals(
        "convmirror: --batch-size must be 2 to 65536 for a benchmark, was 2147483647",
        refusal("bench", "--batch-size", "2147483647"));
    assertEquals(
        "convmirror: --matmul-size must be 1 to 8192 (three such float32 squares), was 0",
        refusal("bench", "--matmul-size", "0"));
  }

  /** Item 10: bench checked memory never; a 10,000-filter model grew to 9.3 GB in 45 s. */
  @Test
  void benchRefusesAModelThatCannotFitBeforeItGrows() throws IOException {
    Path huge =
        Files.writeString(
            tmp.resolve("huge.yaml"),
            "image: {channels: 1, height: 28, width: 28}\nlatent: 100\ndiscriminator:\n  conv:\n"
                + "    - {filters: 100000, kernel: 4, stride: 2, padding: 1}\n"
                + "    - {filters: 100000, kernel: 4, stride: 2, padding: 1}\n"
                + "    - {filters: 1, kernel: 7}\n");
    String line = refusal("bench", "--model", huge.toString());
    assertTrue(
        line.startsWith("convmirror: training this model at batch size 64 needs at least "), line);
    assertTrue(line.contains(" of memory available; use fewer filters or layers"), line);
  }

  /** A bare path was the whole message where the JDK's exception carries no reason. */
  @Test
  void aPathTheFileSystemRefusesIsExplainedNotBare() throws IOException {
    String[] args = train("--name", "x");
    args[Arrays.asList(args).indexOf("--runs") + 1] = "/proc";
    assertEquals(
        "convmirror: /proc/x: no such file or folder, and none can be made there; check the path"
            + " you gave",
        refusal(args));
    assertEquals(
        "/ro: permission denied; check its folder's permissions, or give another path",
        Main.message(new java.nio.file.AccessDeniedException("/ro")));
  }

  @Test
  void compareTheSameRunTwiceSaysSo() throws IOException {
    Path run = Files.createDirectories(tmp.resolve("r"));
    assertEquals(
        "convmirror: " + run + " is given twice; compare each run once",
        refusal("compare", run.toString(), run.toString()));
  }

  @Test
  void importRefusesAFifoOrDeviceWithoutOpeningIt() throws Exception {
    Path fifo = tmp.resolve("g.safetensors");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    for (Path bad : new Path[] {fifo, Path.of("/dev/zero")}) {
      String line =
          refusal(
              "import",
              TinyModels.ganFile(tmp).toString(),
              "--generator",
              bad.toString(),
              "--runs",
              tmp.resolve("runs").toString(),
              "--name",
              "imp");
      assertTrue(line.contains(bad + " (generator of "), line);
      assertTrue(
          line.endsWith(
              ": not a regular file (a folder, FIFO or device); give the" + " .safetensors file"),
          line);
    }
    assertFalse(Files.exists(tmp.resolve("runs/imp")));
  }

  /** Spark takes seconds to start: its flags are checked before, each in one line. */
  @Test
  void sparkSampleFlagsAreCheckedBeforeSparkStarts() throws IOException {
    Path run = Files.createDirectories(tmp.resolve("r"));
    for (String master : new String[] {"local[0]", "foo://bar"}) {
      assertEquals(
          "convmirror: --master must be local, local[N] (N ≥ 1), local[*], spark://HOST:PORT,"
              + " yarn, k8s://URL or mesos://URL, was '"
              + master
              + "'",
          refusal("spark", "sample", run.toString(), "--count", "10", "--master", master));
    }
    assertEquals(
        "convmirror: --count must be ≥ 1, was 0",
        refusal("spark", "sample", run.toString(), "--count", "0"));
    Path passwd = Files.writeString(tmp.resolve("passwd"), "root:x:0:0\n");
    assertEquals(
        "convmirror: --classifier "
            + passwd
            + " has no passwd.json beside it, so it is no classifier 'convmirror classifier'"
            + " wrote; give one that is, or leave --classifier out for the built-in Fashion-MNIST"
            + " one",
        refusal(
            "spark", "sample", run.toString(), "--count", "10", "--classifier", passwd.toString()));
  }
}
