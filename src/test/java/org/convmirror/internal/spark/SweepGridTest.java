package org.convmirror.internal.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class SweepGridTest {

  @Test
  void everyCombinationIsOneRunWithTheTrainFlagsOfItsPoint() {
    SweepGrid g =
        SweepGrid.parse(
            List.of("seed=1,2,3", "--loss=bce,hinge"), List.of("--epochs", "1", "--preset=x"));
    List<SweepGrid.Point> points = g.points();
    assertEquals(6, points.size());
    SweepGrid.Point p = points.get(1); // the first axis varies slowest
    assertEquals("seed-1_loss-hinge", p.name());
    assertEquals(List.of("--epochs", "1", "--preset=x", "--seed=1", "--loss=hinge"), p.arguments());
    assertEquals("--loss=hinge", p.configuration());
    assertEquals(p.configuration(), points.get(5).configuration()); // seed 3, hinge
    assertEquals("seed-3_loss-hinge", points.get(5).name());
  }

  @Test
  void namesArePlainFolderNamesAndUnique() {
    SweepGrid g = SweepGrid.parse(List.of("model=a/m.yaml,b/m.yaml,dcgan28"), List.of());
    List<String> names = g.points().stream().map(SweepGrid.Point::name).toList();
    assertEquals(List.of("model-m", "model-m-2", "model-dcgan28"), names);
    assertEquals(
        "run", SweepGrid.parse(List.of(), List.of("--epochs", "1")).points().get(0).name());
    assertEquals(
        "(fixed flags)",
        SweepGrid.parse(List.of("seed=4"), List.of()).points().get(0).configuration());
    assertEquals(
        "lr-0.001", SweepGrid.parse(List.of("lr=0.001"), List.of()).points().get(0).name());
  }

  @Test
  void badSpecificationsAreOneLineEach() {
    assertMessage("give a train flag and its values", List.of("seed"), List.of());
    assertMessage("an empty value", List.of("seed=1,,2"), List.of());
    assertMessage("the value 1 twice", List.of("seed=1,1"), List.of());
    assertMessage("--seed is given twice", List.of("seed=1", "--seed=2"), List.of());
    assertMessage("both varied", List.of("seed=1,2"), List.of("--seed", "3"));
    assertMessage("the sweep sets --runs itself", List.of("runs=a,b"), List.of());
    assertMessage("the sweep sets --name itself", List.of(), List.of("--name=x"));
    assertMessage("the sweep sets --resume itself", List.of(), List.of("--resume", "r"));
  }

  private static void assertMessage(String part, List<String> vary, List<String> fixed) {
    UsageException e = assertThrows(UsageException.class, () -> SweepGrid.parse(vary, fixed));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
