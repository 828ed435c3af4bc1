package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.convmirror.TinyModels;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, items 6 and 7: a resume that cannot continue a run's history is refused in one line
 * before anything is written — no truncated logs, no rewritten {@code run.json} or {@code
 * config.yaml}.
 */
@Tier.Engine
class ResumeHistoryTest {
  @TempDir static Path shared;
  static Path trained;
  @TempDir Path tmp;

  @BeforeAll
  static void trainOne() throws IOException {
    trained = trainTiny(shared, "r");
  }

  /** Trains a tiny GAN for one epoch (4 iterations) as {@code runs/name}, and returns the run. */
  static Path trainTiny(Path runs, String name) throws IOException {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--model",
            TinyModels.ganFile(runs).toString(),
            "--data",
            "synthetic:64",
            "--batch-size",
            "16",
            "--epochs",
            "1",
            "--runs",
            runs.toString(),
            "--name",
            name,
            "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    return runs.resolve(name);
  }

  /** A fresh copy of the trained run, to damage. */
  private Path copy(String name) throws IOException {
    Path to = tmp.resolve(name);
    try (Stream<Path> walk = Files.walk(trained)) {
      for (Path p : walk.toList()) {
        Path q = to.resolve(trained.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(q);
        else if (!p.getFileName().toString().equals("run.lock")) Files.copy(p, q);
      }
    }
    return to;
  }

  /** Every file of a run and its bytes, as text for a readable diff (the lock file aside). */
  private static Map<String, String> snapshot(Path run) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(run)) {
      for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
        String rel = run.relativize(p).toString();
        if (rel.equals("run.lock")) continue;
        m.put(rel, Files.isRegularFile(p) ? java.util.HexFormat.of().formatHex(hash(p)) : "dir");
      }
    }
    return m;
  }

  private static byte[] hash(Path p) throws IOException {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Resumes {@code run} with one more epoch; checks the refusal and that nothing changed. */
  private static String refused(Path run) throws IOException {
    Map<String, String> before = snapshot(run);
    PlanCommandTest.Result r =
        PlanCommandTest.run("train", "--resume", run.toString(), "--epochs", "1", "--quiet");
    assertEquals(2, r.code(), r.err() + r.out());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("internal error"), r.err());
    assertEquals(before, snapshot(run), "a refused resume changed the run");
    return lines.get(0);
  }

  private static void rewrite(Path csv, java.util.function.UnaryOperator<List<String>> edit)
      throws IOException {
    Files.write(csv, edit.apply(new ArrayList<>(Files.readAllLines(csv))));
  }

  @Test
  void aRunWhoseCheckpointsFolderIsGoneIsRefused() throws IOException {
    Path run = copy("gone");
    try (Stream<Path> walk = Files.walk(run.resolve("checkpoints"))) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    String line = refused(run);
    assertEquals(
        "convmirror: "
            + run
            + " has 4 iterations in losses.csv but no checkpoints/ folder to continue them from:"
            + " restore that folder from a backup, or train a new run with 'convmirror train"
            + " --name NEW' (nothing was changed)",
        line);
  }

  @Test
  void aMalformedMiddleRowRefusesWithoutRewritingRunJsonOrConfig() throws IOException {
    Path run = copy("malformed");
    rewrite(
        run.resolve("losses.csv"),
        l -> {
          l.set(2, "garbage");
          return l;
        });
    assertTrue(refused(run).contains("losses.csv line 3 is malformed"));
  }

  @Test
  void duplicatedMissingAndExtraRowsAreRefused() throws IOException {
    Path dup = copy("dup");
    rewrite(
        dup.resolve("losses.csv"),
        l -> {
          l.add(3, l.get(2));
          return l;
        });
    assertTrue(refused(dup).contains("losses.csv line 4 has iteration 2 where 3 was expected"));

    Path missing = copy("missing");
    rewrite(
        missing.resolve("losses.csv"),
        l -> {
          l.remove(4);
          return l;
        });
    assertTrue(
        refused(missing).contains("holds rows up to iteration 3 but the checkpoint is at"),
        "the last row before the checkpoint is gone");

    Path extra = copy("extra");
    rewrite(
        extra.resolve("losses.csv"),
        l -> {
          l.add(1, l.get(1).replaceFirst("^(\\d+),1,", "$1,0,"));
          return l;
        });
    assertTrue(refused(extra).contains("line 2 has iteration 0 where 1 was expected"));
  }

  @Test
  void aLossesFileThatIsAFolderOrBinaryIsRefused() throws IOException {
    Path folder = copy("folder");
    Files.delete(folder.resolve("losses.csv"));
    Files.createDirectory(folder.resolve("losses.csv"));
    assertTrue(refused(folder).contains("losses.csv exists and is not a regular file"));

    Path binary = copy("binary");
    Files.write(binary.resolve("losses.csv"), new byte[] {0, 1, 2, (byte) 0xff, '\n', 7, 7});
    assertTrue(refused(binary).contains("losses.csv has columns [????"));
  }

  @Test
  void latestNamingAnotherRunsCheckpointIsRefused() throws IOException {
    Path run = copy("foreign");
    Path other = copy("other");
    String step = Files.readString(other.resolve("checkpoints/LATEST")).strip();
    Files.writeString(
        run.resolve("checkpoints/LATEST"), other.resolve("checkpoints").resolve(step) + "\n");
    assertTrue(refused(run).contains("not a checkpoint folder of this run (step-NNNNNNN)"));
    Files.writeString(run.resolve("checkpoints/LATEST"), "../../other/checkpoints/" + step);
    assertTrue(refused(run).contains("not a checkpoint folder of this run"));
  }
}
