package org.convmirror.internal.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.convmirror.TrainedModel;
import org.convmirror.Training;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.eval.ClassHistogram;
import org.convmirror.internal.eval.Classifiers;
import org.convmirror.internal.eval.FeatureClassifier;
import org.convmirror.internal.eval.FrechetDistance;
import org.convmirror.internal.eval.GaussianStats;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's "done when", in {@code local[2]}: a 2×2 sweep on tiny synthetic data in which one
 * run's JVM is killed mid-run (Spark retries the task, the run resumes, losses.csv holds every
 * iteration once), and a sharded sample whose images do not depend on the partitioning and whose
 * merged Fréchet distance is the single-process one.
 */
@Tier.Engine
class SparkJobsTest {
  /** 28×28 so the shipped Fashion-MNIST classifier scores it; a few thousand parameters. */
  private static final String MODEL =
      """
      image: {channels: 1, height: 28, width: 28}
      latent: 8
      discriminator:
        conv:
          - {filters: 4, kernel: 4, stride: 2, padding: 1}
          - {filters: 8, kernel: 4, stride: 2, padding: 1, batch_norm: true}
          - {filters: 1, kernel: 7, activation: none}
      """;

  private static final int ITERATIONS = 16; // synthetic:256, batch 32, 2 epochs

  @TempDir static Path tmp;

  private static JavaSparkContext sc;
  private static String threadsBefore;
  private static Path model;

  @BeforeAll
  static void start() throws IOException {
    threadsBefore = System.getProperty("ai.djl.pytorch.num_threads");
    model = tmp.resolve("tiny28.yaml");
    Files.writeString(model, MODEL);
    // The runs' JVMs live a few seconds: start them fast rather than peak.
    sc =
        SparkContexts.start(
            "convmirror test",
            "local[2]",
            Map.of(SweepJob.JAVA_OPTIONS, "-Xmx512m -Xmn64m -XX:TieredStopAtLevel=1"));
  }

  @AfterAll
  static void stop() {
    if (sc != null) sc.close();
    if (threadsBefore != null) EngineSetup.useThreads(Integer.parseInt(threadsBefore));
  }

  @Test
  void sweepTabulatesEveryRunAndResumesTheOneKilledMidRun() throws Exception {
    Path out = tmp.resolve("sweep");
    SweepGrid grid =
        SweepGrid.parse(
            List.of("seed=1,2", "lr=2e-4,1e-3"),
            List.of(
                "--model",
                model.toString(),
                "--data",
                "synthetic:256",
                "--batch-size",
                "32",
                "--epochs",
                "2",
                "--checkpoint-every",
                "2"));
    String victim = "seed-1_lr-2e-4";
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    CompletableFuture<List<SweepResult>> job =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SweepJob.run(
                    sc,
                    new SweepJob.Settings(out, grid, 100, null),
                    new PrintStream(console, true, StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Path run = SweepLayout.run(out, victim);
    int rowsAtKill = killAfterFirstCheckpoint(run, victim, job);

    List<SweepResult> results = job.get(5, TimeUnit.MINUTES);
    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals(4, results.size(), printed);
    for (SweepResult r : results) {
      assertTrue(r.ok(), r.point().name() + ": " + r.message());
      assertEquals(2, r.epochs());
      assertEquals(ITERATIONS, r.iterations());
      assertTrue(r.scores().get("frechet") > 0, r.point().name() + " " + r.scores());
      assertEquals(r.point().name().equals(victim) ? 2 : 1, r.attempts(), r.point().name());
    }
    assertTrue(rowsAtKill > 0 && rowsAtKill < ITERATIONS, "killed mid-run: " + rowsAtKill);
    assertTrue(printed.contains("attempt 1 of " + victim + " failed: "), printed);
    assertTrue(
        printed.contains("finished " + victim + " (") && printed.contains("on attempt 2"), printed);
    String log = Files.readString(SweepLayout.log(out, victim));
    assertTrue(log.contains("=== attempt 2") && log.contains("resuming "), log);
    double[] iterations = MetricsLog.read(run.resolve("losses.csv")).column("iteration");
    double[] expected = new double[ITERATIONS];
    for (int i = 0; i < ITERATIONS; i++) expected[i] = i + 1;
    assertArrayEquals(expected, iterations, "every iteration exactly once");

    List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
    assertEquals(5, rows.size(), String.join("\n", rows));
    assertTrue(rows.get(0).startsWith("run,seed,lr,status,attempts"), rows.get(0));
    for (SweepResult r : results) {
      assertTrue(rows.stream().anyMatch(l -> l.startsWith(r.point().name() + ",")), r.toString());
    }
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(3, summary.size(), String.join("\n", summary));
    assertTrue(summary.get(1).startsWith("--lr=2e-4,2,0,"), summary.get(1));
    assertTrue(summary.get(2).startsWith("--lr=1e-3,2,0,"), summary.get(2));
    double[] fd =
        results.stream()
            .filter(r -> r.point().values().get("--lr").equals("2e-4"))
            .mapToDouble(r -> r.scores().get("frechet"))
            .toArray();
    double mean = (fd[0] + fd[1]) / 2;
    double std = Math.abs(fd[0] - fd[1]) / Math.sqrt(2);
    String[] cells = summary.get(1).split(",");
    assertEquals(mean, Double.parseDouble(cells[3]), 1e-3 * mean + 1e-3);
    assertEquals(std, Double.parseDouble(cells[4]), 1e-3 * std + 1e-3);
  }

  /**
   * Waits for the run's first checkpoint, then SIGKILLs the JVM training it, as a lost machine
   * would; returns how many iterations losses.csv held then.
   */
  private static int killAfterFirstCheckpoint(Path run, String name, CompletableFuture<?> job)
      throws Exception {
    Path latest = run.resolve("checkpoints/LATEST");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    // A fresh run saves step-0000000 before its first iteration: wait for one after training.
    while (!Files.exists(latest) || Files.readString(latest).strip().endsWith("step-0000000")) {
      if (job.isDone()) job.get(); // a failure shows its cause
      assertTrue(System.nanoTime() < deadline, "no checkpoint in " + run);
      Thread.sleep(5);
    }
    java.util.regex.Matcher pid =
        java.util.regex.Pattern.compile("=== attempt 1 of " + name + ", .*: pid (\\d+) ")
            .matcher(Files.readString(SweepLayout.log(run.getParent().getParent(), name)));
    assertTrue(pid.find(), "the log names the JVM that trains " + name);
    ProcessHandle child = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
    int rows = MetricsLog.read(run.resolve("losses.csv")).column("iteration").length;
    child.destroyForcibly();
    child.onExit().get(30, TimeUnit.SECONDS);
    return rows;
  }

  @Test
  void shardedSampleIsTheSameForAnyPartitioningAndMergesToTheSingleProcessScores()
      throws Exception {
    Path runs = tmp.resolve("runs");

    Training.of(model.toString())
        .data("synthetic:256")
        .epochs(1)
        .batchSize(32)
        .seed(3)
        .into(runs, "gan")
        .console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false)
        .train();
    Path run = runs.resolve("gan");
    int count = 2000; // four whole chunks of 500
    int subset = 200;
    float[] single;
    try (TrainedModel m = TrainedModel.open(run)) {
      single = m.sample(count, 5).pixels();
    }

    List<SampleJob.Result> results = new ArrayList<>();
    for (int partitions : new int[] {1, 2, 4}) {
      Path out = tmp.resolve("shards-" + partitions);
      SampleJob.Result r =
          SampleJob.run(
              sc,
              new SampleJob.Settings(
                  run.toString(),
                  false,
                  count,
                  5,
                  out.toString(),
                  partitions,
                  SampleJob.Format.NPY,
                  partitions == 1 ? 0 : subset, // scores are what merging could get wrong
                  null,
                  null),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertEquals(partitions, r.shards().size());
      float[] all = new float[0];
      for (ShardResult s : r.shards()) {
        float[] part = Npy.read(out.resolve(s.file())).data();
        all = concat(all, part);
      }
      assertTrue(
          Arrays.equals(single, all), partitions + " partitions: the same images, bit for bit");
      assertTrue(Files.isRegularFile(out.resolve("manifest.json")));
      if (partitions > 1) results.add(r);
    }

    // The single-process reference: every feature vector at once, as 'evaluate' summarises them.
    ImageSet train = DataSources.load(null, "synthetic:256", Split.TRAIN, 1, 28, 28, 3);
    ImageSet test = DataSources.load(null, "synthetic:256", Split.TEST, 1, 28, 28, 3);
    double fd;
    ClassHistogram classes;
    float[] x = new float[single.length];
    for (int i = 0; i < x.length; i++) x[i] = 2 * single[i] - 1;
    try (RunEvaluation eval = RunEvaluation.open(test, train, null, subset, 0, null, System.out);
        FeatureClassifier c = Classifiers.loadFashionMnist()) {
      fd = FrechetDistance.between(GaussianStats.of(c.features(x, count)), eval.referenceStats());
      classes = ClassHistogram.of(c.predict(x, count), c.classes());
    }
    for (SampleJob.Result r : results) {
      assertEquals(fd, r.frechetAll(), 1e-9 * fd, r.shards().size() + " partitions");
      assertEquals(classes, r.classesAll());
      assertEquals(count, r.moments().count());
      assertEquals(subset, r.report().generatedCount());
      assertTrue(
          Files.isRegularFile(tmp.resolve("shards-" + r.shards().size() + "/evaluation.json")));
    }
    assertEquals(results.get(0).report().model(), results.get(1).report().model());

    // PNGs are named by the image's index in the whole sample, across shards.
    Path pngs = tmp.resolve("pngs");
    SampleJob.run(
        sc,
        new SampleJob.Settings(
            run.toString(), false, 600, 5, pngs.toString(), 2, SampleJob.Format.PNG, 0, null, null),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try (var files = Files.list(pngs.resolve("images"))) {
      assertEquals(600, files.count());
    }
    Path alone = tmp.resolve("alone");
    float[] image = Arrays.copyOfRange(single, 550 * 784, 551 * 784);
    ImageGrid.writePngs(alone, new ImageBatch(image, 1, 1, 28, 28), 0, 1, 550, 5);
    assertArrayEquals(
        Files.readAllBytes(alone.resolve("00550.png")),
        Files.readAllBytes(pngs.resolve("images/00550.png")),
        "image 550, from the second shard");
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
