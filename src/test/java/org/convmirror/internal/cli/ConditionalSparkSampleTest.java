package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark sample --class} on a conditional GAN: one class, or a balanced sample over every
 * class, gives {@code convmirror sample}'s images bit for bit on local[1] and local[2], whatever
 * the partitioning; a class the model lacks is one line naming its classes, and nothing is written.
 */
@Tier.Engine
class ConditionalSparkSampleTest {
  @TempDir Path tmp;

  static final int COUNT = 1200; // three chunks of 500, the last partial

  @Test
  void aClassOrEveryClassIsIndependentOfPartitioning() throws Exception {
    Path model = tmp.resolve("cgan.yaml");
    Files.writeString(model, ConditionalCliTest.GAN + ConditionalCliTest.CONDITIONAL);
    Path runs = tmp.resolve("runs");
    ExportImportCliTest.train(model, runs, "c");
    Path run = runs.resolve("c");

    for (String cls : new String[] {"ring", null}) {
      float[] single = sample(run, cls);
      String what = cls == null ? "balanced" : "class " + cls;
      float[] one = spark(run, cls, "local[1]", 1, what + "-1");
      float[] two = spark(run, cls, "local[2]", 3, what + "-2");
      assertTrue(Arrays.equals(single, one), what + ": local[1] differs from sample");
      assertTrue(Arrays.equals(single, two), what + ": local[2], 3 partitions differs from sample");
    }
    assertFalse(
        Arrays.equals(sample(run, "ring"), sample(run, null)),
        "a class is not the balanced sample");

    PlanCommandTest.Result bad =
        PlanCommandTest.run(
            "spark",
            "sample",
            run.toString(),
            "--count",
            "10",
            "--class",
            "owl",
            "--master",
            "local[1]",
            "--out",
            tmp.resolve("bad").toString());
    assertEquals(Main.USAGE, bad.code(), bad.err());
    assertEquals(
        "convmirror: --class owl: no such class; the classes are 0 disc, 1 rectangle, 2 ring",
        bad.err().strip());
    assertFalse(Files.exists(tmp.resolve("bad")), "nothing written");
  }

  private float[] sample(Path run, String cls) throws Exception {
    Path out = tmp.resolve("sample-" + cls);
    List<String> args =
        new java.util.ArrayList<>(
            List.of("sample", run.toString(), "--count", "" + COUNT, "--out", out.toString()));
    if (cls != null) args.addAll(List.of("--class", cls));
    ExportImportCliTest.ok(args.toArray(String[]::new));
    return Npy.read(out.resolve("samples.npy")).data();
  }

  private float[] spark(Path run, String cls, String master, int partitions, String name)
      throws Exception {
    Path out = tmp.resolve(name);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "spark",
                "sample",
                run.toString(),
                "--count",
                "" + COUNT,
                "--partitions",
                "" + partitions,
                "--master",
                master,
                "--out",
                out.toString()));
    if (cls != null) args.addAll(List.of("--class", cls));
    PlanCommandTest.Result r = ExportImportCliTest.ok(args.toArray(String[]::new));
    assertTrue(r.out().contains(cls == null ? "balanced" : "class 2 (ring)"), r.out());
    List<Path> parts;
    try (Stream<Path> s = Files.list(out)) {
      parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    assertEquals(partitions, parts.size(), parts.toString());
    float[] all = new float[0];
    for (Path p : parts) {
      float[] x = Npy.read(p).data();
      float[] c = Arrays.copyOf(all, all.length + x.length);
      System.arraycopy(x, 0, c, all.length, x.length);
      all = c;
    }
    return all;
  }
}
