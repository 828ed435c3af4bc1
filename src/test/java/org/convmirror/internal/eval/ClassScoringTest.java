package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Per-class agreement and Fréchet distances, against hand-counted cases. */
@Tier.Pure
class ClassScoringTest {
  private static double[][] f(double... xy) {
    double[][] out = new double[xy.length / 2][];
    for (int i = 0; i < out.length; i++) out[i] = new double[] {xy[2 * i], xy[2 * i + 1]};
    return out;
  }

  @Test
  void agreementAndDistancesArePerRequestedClass() {
    // Generated: three asked for class 0 (two classified 0), three for class 1 (all classified 1).
    ClassScoring.Scored made =
        new ClassScoring.Scored(
            f(0, 0, 1, 0, 0, 2, 5, 5, 6, 5, 5, 7),
            new int[] {0, 0, 1, 1, 1, 1},
            new int[] {0, 0, 0, 1, 1, 1});
    ClassScoring.Scored test =
        new ClassScoring.Scored(
            f(0, 1, 1, 1, 0, 3, 5, 6, 6, 6, 5, 8),
            new int[] {0, 0, 0, 1, 0, 1},
            new int[] {0, 0, 0, 1, 1, 1});
    ClassScoring.Scored floor =
        new ClassScoring.Scored(
            f(0, 0, 1, 0, 0, 2, 5, 5, 6, 5, 5, 7),
            new int[] {0, 0, 0, 1, 1, 1},
            new int[] {0, 0, 0, 1, 1, 1});
    ClassReport r = ClassScoring.of(List.of("a", "b"), made, test, floor, true);
    assertEquals(2 / 3.0, r.agreement()[0], 1e-12);
    assertEquals(1.0, r.agreement()[1], 1e-12);
    assertEquals(5 / 6.0, r.accuracy(), 1e-12);
    assertEquals(1.0, r.realAgreement()[0], 1e-12);
    assertEquals(2 / 3.0, r.realAgreement()[1], 1e-12);
    // Each class's set is its test set moved by (0, 1): Fréchet distance 1, by class.
    assertEquals(1.0, r.frechet()[0], 1e-9);
    assertEquals(1.0, r.frechet()[1], 1e-9);
    assertEquals(
        FrechetDistance.between(f(0, 0, 1, 0, 0, 2), f(0, 1, 1, 1, 0, 3)),
        r.floorFrechet()[0],
        1e-12);
    assertEquals(1.0, r.meanFrechet(), 1e-9);
    assertEquals(3, r.generated()[1]);
    assertTrue(r.format().contains("requested class agreement 83.33 %"), r.format());
    assertEquals(2, r.toJsonTree().get("classes").size());
  }

  @Test
  void agreementIsNotClaimedWhenTheClassifierHasOtherClassesAndEmptyClassesAreNaN() {
    ClassScoring.Scored made =
        new ClassScoring.Scored(f(0, 0, 1, 1, 2, 0), new int[] {0, 0, 0}, new int[] {0, 0, 0});
    ClassReport r = ClassScoring.of(List.of("a", "b"), made, made, made, false);
    assertTrue(Double.isNaN(r.accuracy()));
    assertTrue(r.format().startsWith("requested class agreement n/a"), r.format());
    assertTrue(r.format().contains("0 a"), r.format());
    assertTrue(Double.isNaN(r.frechet()[1]), "no image of class b");
    assertEquals(0.0, r.frechet()[0], 1e-9);
  }
}
