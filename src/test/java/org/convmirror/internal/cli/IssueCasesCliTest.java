package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "no command prints a stack trace or 'internal error' for any input in this issue":
 * every bad input the issue lists that one process can show, through the whole CLI. Each ends in
 * exit code 2 and one stderr line (what is wrong, how to fix it), with no usage text; a bad {@code
 * train} creates nothing (case 4: validation runs before the run directory exists). Processes,
 * kills and divergence are in ConcurrentResumeTest, KillResumeTest, DivergenceCliTest.
 */
@Tier.Engine
class IssueCasesCliTest {
  private static final String HEAD = "image: {channels: 1, height: 28, width: 28}\nlatent: 8\n";

  @TempDir static Path tmp;

  private static Path write(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text);
  }

  private static String conv(String block) {
    return HEAD + "discriminator:\n  conv:\n    - " + block + "\n";
  }

  private static Path npy(String name, long[] shape, float value) throws Exception {
    float[] x = new float[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
    Arrays.fill(x, value);
    if (x.length > 0 && Float.isNaN(value)) x[0] = 0.5f; // a few bad values among good ones
    Path f = tmp.resolve(name);
    Npy.write(f, shape, x);
    return f;
  }

  /** A command that must be refused: its arguments, and whether it must leave a runs folder. */
  private record Case(String issue, String name, boolean createsNothing, String... args) {}

  private static List<Case> cases() throws Exception {
    String s = tmp.toString();
    Path emptyIdx = Files.createFile(tmp.resolve("empty-images-idx3-ubyte"));
    Path huge =
        write(
            "huge.yaml",
            conv("{filters: 100000, kernel: 4, stride: 2, padding: 1}")
                + "    - {filters: 100000, kernel: 4, stride: 2, padding: 1}\n");
    Path taken = write("taken", "x");
    Path fifo = tmp.resolve("fifo.yaml");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(broken.resolve("run.json"), "{\"format\": \"convmirror-run/2\"}");
    List<Case> c = new ArrayList<>();
    for (String[] bad :
        new String[][] {
          {"4", "--lr", "0"},
          {"4", "--beta1", "1.5"},
          {"4", "--real-label", "5"},
          {"4", "--batch-size", "100"},
          {"4", "--d-steps", "-2"},
          {"4", "--data", emptyIdx.toString()},
          {"4", "--model", huge.toString()},
          {"4", "--model", "vae28", "--kl-weight", "-1"},
          {"5", "--d-steps", "0"},
          {"5", "--g-steps", "0"},
          {"4", "--g-steps", "101"},
          {"4", "--g-steps-from", "-1"},
          {"5", "--data", "synthetic:3000000"},
          {"5", "--data", "synthetic:2700000"},
          {"6", "--threads", "100000"},
          {"6", "--threads", "-3"},
          {"11", "--name", "a/b"},
          {"flags", "--epochs", "abc"},
          {"flags", "--epoch", "3"},
        }) {
      List<String> given = Arrays.asList(bad).subList(1, bad.length);
      List<String> args = new ArrayList<>(List.of("train"));
      if (!given.contains("--data")) args.addAll(List.of("--data", "synthetic:64"));
      args.addAll(given);
      args.addAll(List.of("--runs", s + "/runs-" + c.size(), "--quiet"));
      c.add(new Case(bad[0], String.join(" ", given), true, args.toArray(String[]::new)));
    }
    c.add(new Case("11", "--runs FILE", false, "train", "--runs", taken.toString(), "--quiet"));
    c.add(new Case("11", "--name FILE", false, "train", "--runs", s, "--name", "taken"));
    c.add(new Case("11", "sample --out FILE", false, "sample", "x", "--out", taken.toString()));
    c.add(new Case("11", "run.json without config", false, "sample", broken.toString()));
    c.add(new Case("11", "resume it", false, "train", "--resume", broken.toString()));
    c.add(new Case("11", "evaluate --count 3", false, "evaluate", "x", "--count", "3"));
    long[] four = {4, 1, 28, 28};
    c.add(new Case("5", "NaN", false, "evaluate", npy("nan.npy", four, Float.NaN).toString()));
    c.add(new Case("5", "∞", false, "evaluate", npy("inf.npy", four, 1f / 0).toString()));
    c.add(
        new Case(
            "5",
            "no images",
            false,
            "evaluate",
            npy("none.npy", new long[] {0, 1, 28, 28}, 0).toString()));
    c.add(new Case("11", "0-byte .npy", false, "evaluate", write("zero.npy", "").toString()));
    c.add(new Case("9", "0–255", false, "evaluate", npy("bytes.npy", four, 200).toString()));
    for (String[] model :
        new String[][] {
          {"dup.yaml", HEAD + "latent: 9\ndiscriminator: {conv: [{filters: 8, kernel: 4}]}\n"},
          {
            "comma.json",
            "{\"image\": {\"channels\": 1, \"height\": 28, \"width\": 28,}, \"latent\": 8,"
                + " \"discriminator\": {\"conv\": [{\"filters\": 8, \"kernel\": 4}]}}"
          },
          {"multi.yaml", conv("{filters: 8, kernel: 4}") + "---\nlatent: 3\n"},
          {
            "alias.yaml",
            HEAD.replace("latent: 8", "latent: &l 8")
                + "discriminator:\n  conv:\n    - {filters: *l, kernel: 4}\n"
          },
          {"slope.yaml", conv("{filters: 8, kernel: 4, activation: leaky_relu(-0.2)}")},
          {"filters.yaml", conv("{filters: 2147483647, kernel: 4, stride: 2, padding: 1}")},
        }) {
      c.add(new Case("10", model[0], false, "plan", write(model[0], model[1]).toString()));
    }
    Path binary = Files.write(tmp.resolve("bin.yaml"), new byte[] {(byte) 0x89, 'P', 0, -1});
    c.add(new Case("11", "a binary model file", false, "plan", binary.toString()));
    c.add(new Case("12", "a FIFO", false, "plan", fifo.toString()));
    c.add(new Case("12", "a folder", false, "plan", tmp.toString()));
    return c;
  }

  @TestFactory
  Stream<DynamicTest> everyCaseIsOneLineAndExitTwo() throws Exception {
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    "case " + c.issue() + ": " + c.name(),
                    () -> {
                      PlanCommandTest.Result r = PlanCommandTest.run(c.args());
                      String all = String.join(" ", c.args()) + "\n" + r.err() + r.out();
                      assertEquals(2, r.code(), all);
                      List<String> lines = r.err().lines().toList();
                      assertEquals(1, lines.size(), all);
                      assertTrue(lines.get(0).startsWith("convmirror: "), all);
                      assertFalse(r.err().contains("internal error"), all);
                      assertFalse(r.err().contains("\tat "), all);
                      assertFalse(r.out().contains("Usage:"), all);
                      if (c.createsNothing()) {
                        Path runs = Path.of(c.args()[c.args().length - 2]);
                        assertFalse(Files.exists(runs), "created " + runs + ": " + all);
                      }
                    }));
  }
}
