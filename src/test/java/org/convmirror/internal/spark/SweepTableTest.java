package org.convmirror.internal.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class SweepTableTest {
  private final SweepGrid grid =
      SweepGrid.parse(List.of("seed=1,2,3", "loss=bce,hinge"), List.of("--epochs", "1"));

  private SweepResult ok(int i, double fd) {
    return new SweepResult(
        grid.points().get(i), true, "", 1, 1, 937, 90, Map.of("frechet", fd, "kid_mean", 2.0));
  }

  @Test
  void meanAndSampleStdPerConfiguration() {
    // bce: points 0, 2, 4 (seeds 1..3); hinge: 1, 3, 5, one of which failed.
    List<SweepResult> rs =
        List.of(
            ok(0, 10),
            ok(1, 30),
            ok(2, 12),
            SweepResult.failed(grid.points().get(3), "training diverged at iteration 5", 1),
            ok(4, 14),
            ok(5, 34));
    SweepTable t = new SweepTable(grid, rs);
    String md = t.summaryMarkdown();
    // bce: mean 12, std sqrt(((−2)² + 0 + 2²) / 2) = 2; hinge: 32 ± sqrt(8) = 2.83.
    assertTrue(md.contains("| --loss=bce | 3 | 12.00 ± 2.00 | 2.000 ± 0.000 |"), md);
    assertTrue(md.contains("| --loss=hinge | 2 (1 failed) | 32.00 ± 2.83 |"), md);
    String csv = t.summaryCsv();
    assertTrue(csv.contains("\n--loss=bce,3,0,12,2,2,0,"), csv);
    String runs = t.runsCsv();
    assertEquals(7, runs.lines().count(), runs);
    assertTrue(
        runs.contains("seed-2_loss-hinge,2,hinge,failed,1,0,0,0,,,,,,,,,,,training diverged"),
        runs);
    assertTrue(runs.contains("seed-1_loss-bce,1,bce,ok,1,1,937,90,10,2,"), runs);
  }
}
