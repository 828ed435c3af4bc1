package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep checks every point's flags as {@code train} maps them before Spark starts: a bad one is
 * one line naming the run, and nothing is created.
 */
@Tier.Engine
class SparkCommandsTest {
  @TempDir Path tmp;

  private record Outcome(int code, String err) {}

  private static Outcome run(String... args) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Outcome(Main.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
  }

  private void assertRefused(String part, String... args) {
    Outcome o = run(args);
    assertEquals(Main.USAGE, o.code(), o.err());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("convmirror: ") && o.err().contains(part), o.err());
    assertFalse(Files.exists(tmp.resolve("sweep")), "nothing created");
  }

  @Test
  void badPointsAreRefusedBeforeAnythingStarts() {
    String out = tmp.resolve("sweep").toString();
    assertRefused(
        "run loss-foo: ",
        "spark",
        "sweep",
        "--out",
        out,
        "--vary",
        "loss=bce,foo",
        "--",
        "--data",
        "synthetic:64");
    assertRefused(
        "run seed-1: ", "spark", "sweep", "--out", out, "--vary", "seed=1", "--", "--no-such-flag");
    assertRefused(
        "run epochs-0: ",
        "spark",
        "sweep",
        "--out",
        out,
        "--vary",
        "epochs=1,0",
        "--",
        "--data",
        "synthetic:64");
    assertRefused(
        "the sweep sets --runs itself",
        "spark",
        "sweep",
        "--out",
        out,
        "--",
        "--runs",
        "elsewhere");
    assertRefused(
        "--evaluate must be ≥ 4", "spark", "sweep", "--out", out, "--evaluate", "3", "--", "x");
  }

  @Test
  void sampleRefusesAnUnknownFormat() {
    assertRefused(
        "--format must be npy, png or none, was jpg",
        "spark",
        "sample",
        tmp.resolve("run").toString(),
        "--count",
        "10",
        "--format",
        "jpg");
  }
}
