package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.convmirror.TinyModels;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.GanOptions;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, cases 4 (a run killed before its first checkpoint), 7 (resume checks its flags) and 8
 * (a VAE's epoch means after a resume), through the command line on tiny models.
 */
@Tier.Engine
class ResumeRulesTest {
  @TempDir Path tmp;

  private PlanCommandTest.Result train(Path model, String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--model",
                model.toString(),
                "--data",
                "synthetic:64",
                "--batch-size",
                "16",
                "--runs",
                tmp.toString(),
                "--name",
                name,
                "--quiet"));
    args.addAll(List.of(more));
    PlanCommandTest.Result r = PlanCommandTest.run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err() + r.out());
    return r;
  }

  private static PlanCommandTest.Result resume(Path run, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString(), "--quiet"));
    args.addAll(List.of(more));
    return PlanCommandTest.run(args.toArray(String[]::new));
  }

  /** Every column but the wall-clock seconds. */
  private static void assertSameRows(Path expected, Path actual) throws Exception {
    MetricsTable e = MetricsLog.read(expected);
    MetricsTable a = MetricsLog.read(actual);
    assertEquals(e.columns(), a.columns());
    assertEquals(e.size(), a.size(), actual.toString());
    for (String c : e.columns()) {
      if (!c.equals("seconds")) assertArrayEquals(e.column(c), a.column(c), actual + " " + c);
    }
  }

  /** The final checkpoints of two runs hold the same bytes (but for the seconds they record). */
  private static void assertSameLatest(Path a, Path b) throws Exception {
    String latest = Files.readString(a.resolve("checkpoints/LATEST")).strip();
    assertEquals(latest, Files.readString(b.resolve("checkpoints/LATEST")).strip());
    try (Stream<Path> files = Files.list(a.resolve("checkpoints").resolve(latest))) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.equals("state.json") || name.equals("MANIFEST.json")) continue;
        Path other = b.resolve("checkpoints").resolve(latest).resolve(name);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), name);
      }
    }
  }

  @Test
  void resumeRefusesEpochsBelowOneAndChangesNothing() throws Exception {
    train(TinyModels.ganFile(tmp), "r", "--epochs", "1");
    Path run = tmp.resolve("r");
    byte[] json = Files.readAllBytes(run.resolve("run.json"));
    byte[] losses = Files.readAllBytes(run.resolve("losses.csv"));
    for (String bad : List.of("-1", "0")) {
      PlanCommandTest.Result r = resume(run, "--epochs", bad);
      assertEquals(2, r.code(), r.err() + r.out());
      assertEquals(
          "convmirror: --epochs must be ≥ 1 (with --resume: how many epochs more to train), was "
              + bad,
          r.err().strip());
    }
    assertArrayEquals(json, Files.readAllBytes(run.resolve("run.json")), "run.json unchanged");
    assertArrayEquals(losses, Files.readAllBytes(run.resolve("losses.csv")));
  }

  @Test
  void flagsThatARunDoesNotApplyAreNamed() throws Exception {
    Path model = TinyModels.ganFile(tmp);
    PlanCommandTest.Result fresh = train(model, "r", "--epochs", "1", "--kl-weight", "2");
    assertTrue(
        fresh
            .out()
            .contains(
                "warning: "
                    + model
                    + " is a GAN, so the VAE flags --kl-weight do not"
                    + " apply to it\n"),
        fresh.out());
    Path run = tmp.resolve("r");
    PlanCommandTest.Result r =
        resume(
            run,
            "--epochs",
            "1",
            "--lr",
            "5",
            "--data",
            "synthetic:8",
            "--batch-size",
            "3",
            "--model",
            "vae28",
            "--threads",
            "1");
    assertEquals(0, r.code(), r.err() + r.out());
    assertEquals("", r.err());
    assertTrue(
        r.out()
            .contains(
                "warning: --resume continues "
                    + run
                    + " with the settings it recorded, so it does not apply --lr, --data,"
                    + " --batch-size, --model, --threads (only --epochs and --quiet apply to a"
                    + " resumed run)\n"),
        r.out());
    JsonNode config = new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("config");
    assertEquals(16, config.at("/train/batch_size").asInt());
    assertEquals(
        GanOptions.LEARNING_RATE, config.at("/gan/generator/learning_rate").asDouble(), 1e-9);
    assertEquals(2, config.at("/train/epochs").asInt());
    assertEquals(8, MetricsLog.read(run.resolve("losses.csv")).size(), "4 + 4 iterations");
  }

  @Test
  void aRunKilledBeforeItsFirstCheckpointResumesFromTheStart() throws Exception {
    Path model = TinyModels.ganFile(tmp);
    train(model, "a", "--epochs", "2");
    train(model, "b", "--epochs", "2");
    // What a kill before the first checkpoint leaves: run.json and the first rows, no checkpoint.
    Path b = tmp.resolve("b");
    try (Stream<Path> c = Files.list(b.resolve("checkpoints"))) {
      for (Path p : c.toList()) {
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
      }
    }
    List<String> rows = Files.readAllLines(b.resolve("losses.csv"));
    Files.write(b.resolve("losses.csv"), rows.subList(0, 3));
    Files.delete(b.resolve("epochs.csv"));
    PlanCommandTest.Result r = resume(b);
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains(b + " has no checkpoint yet"), r.out());
    assertSameRows(tmp.resolve("a/losses.csv"), b.resolve("losses.csv"));
    assertSameRows(tmp.resolve("a/epochs.csv"), b.resolve("epochs.csv"));
    assertSameLatest(tmp.resolve("a"), b);
  }

  @Test
  void aNameThatAKillLeftWithoutRunJsonCanBeTrainedAgain() throws Exception {
    Path c = Files.createDirectories(tmp.resolve("c"));
    Files.writeString(c.resolve("run.lock"), "12345\n");
    Files.createDirectories(c.resolve("samples"));
    Files.createDirectories(c.resolve("checkpoints"));
    train(TinyModels.ganFile(tmp), "c", "--epochs", "1");
    assertEquals(4, MetricsLog.read(c.resolve("losses.csv")).size());
  }

  /**
   * Case 8: a VAE resumed mid-epoch averages the epoch over all of its rows, as if never killed.
   */
  @Test
  void aVaeResumedMidEpochRecordsTheSameEpochMeans() throws Exception {
    Path model =
        Files.writeString(
            tmp.resolve("vae.yaml"),
            ModelWriter.yaml(TinyModels.vae(ImageShape.of(1, 16, 16), Likelihood.BERNOULLI, 4)));
    String[] job = {"--data", "synthetic:320", "--epochs", "1", "--checkpoint-every", "3"};
    PlanCommandTest.Result a =
        PlanCommandTest.run(args("train", "--model", model, "--name", "a", job));
    assertEquals(0, a.code(), a.err());
    PlanCommandTest.Result b =
        PlanCommandTest.run(args("train", "--model", model, "--name", "b", job));
    assertEquals(0, b.code(), b.err());
    // A kill after the checkpoint at iteration 18 of 20: LATEST still names it, 20 never came.
    Path run = tmp.resolve("b");
    Files.writeString(run.resolve("checkpoints/LATEST"), "step-0000018\n");
    try (Stream<Path> f = Files.list(run.resolve("checkpoints/step-0000020"))) {
      for (Path p : f.toList()) Files.delete(p);
    }
    Files.delete(run.resolve("checkpoints/step-0000020"));
    PlanCommandTest.Result r = resume(run);
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("resuming " + run + " at epoch 1, iteration 18"), r.out());
    assertSameRows(tmp.resolve("a/losses.csv"), run.resolve("losses.csv"));
    assertSameRows(tmp.resolve("a/epochs.csv"), run.resolve("epochs.csv"));
  }

  private String[] args(
      String command, String flag, Path model, String n, String name, String... job) {
    List<String> all = new ArrayList<>(List.of(command, flag, model.toString(), n, name));
    all.addAll(List.of("--batch-size", "16", "--runs", tmp.toString(), "--quiet"));
    all.addAll(List.of(job));
    return all.toArray(String[]::new);
  }
}
