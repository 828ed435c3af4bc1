package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --seeds} trains, scores and tabulates each seed; {@code compare} reads them back.
 */
@Tier.Engine
class SeedsAndCompareTest {

  @Test
  void twoSeedsGiveTwoScoredRunsAndOneTable(@TempDir Path tmp) throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--data",
            "synthetic:64",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--runs",
            tmp.toString(),
            "--name",
            "s",
            "--quiet",
            "--preset",
            "sngan",
            "--seeds",
            "1,2",
            "--score-count",
            "16");
    assertEquals(0, r.code(), r.err() + r.out());
    for (String run : List.of("s-seed1", "s-seed2")) {
      assertTrue(Files.exists(tmp.resolve(run).resolve("evaluation.csv")), run);
      assertTrue(Files.readString(tmp.resolve(run).resolve("run.json")).contains("\"hinge\""));
    }
    assertTrue(r.out().contains("mean±std"), r.out());
    List<String> seeds = Files.readAllLines(tmp.resolve("s-seeds.csv"));
    assertEquals(3, seeds.size(), "header and one row per seed: " + seeds);
    assertTrue(seeds.get(0).startsWith("run,epoch,"), seeds.get(0));
    assertTrue(seeds.get(1).startsWith("s-seed1,1,"), seeds.get(1));
    assertTrue(seeds.get(2).startsWith("s-seed2,1,"), seeds.get(2));

    Path png = tmp.resolve("cmp.png");
    PlanCommandTest.Result c =
        PlanCommandTest.run(
            "compare",
            tmp.resolve("s-seed1").toString(),
            tmp.resolve("s-seed2").toString(),
            "--out",
            png.toString());
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("s-seed2"), c.out());
    assertTrue(Files.size(png) > 1000);

    PlanCommandTest.Result none = PlanCommandTest.run("compare", tmp.toString());
    assertEquals(Main.USAGE, none.code());
    assertTrue(none.err().contains("has no evaluation.csv"), none.err());
  }
}
