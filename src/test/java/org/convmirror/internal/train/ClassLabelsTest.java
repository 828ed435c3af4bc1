package org.convmirror.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.Conditioning;
import org.junit.jupiter.api.Test;

/** Classes resolved from the data, labels checked against the model, labels drawn for samples. */
@Tier.Pure
class ClassLabelsTest {
  private static ImageSet data(int[] labels) {
    return ImageSet.of(1, 2, 2, new float[4 * labels.length], labels, "tiny");
  }

  @Test
  void autoTakesTheLargestLabelPlusOneWithoutNames() {
    Conditioning c =
        ClassLabels.resolve(Conditioning.auto(), data(new int[] {0, 4, 2}), "the data");
    assertEquals(5, c.classes());
    assertEquals(List.of(), c.names());
    assertEquals(Conditioning.EMBEDDING, c.embedding());
  }

  @Test
  void theDataNamesItsClassesWhenItCan() {
    ImageSet named = data(new int[] {0, 1, 1}).withClassNames(List.of("cat", "dog", "owl"));
    Conditioning auto = ClassLabels.resolve(Conditioning.auto(), named, "the data");
    assertEquals(
        new Conditioning(3, Conditioning.EMBEDDING, false, List.of("cat", "dog", "owl")), auto);
    // A fixed count that matches takes the names; another count stays numbered.
    assertEquals(
        List.of("cat", "dog", "owl"), ClassLabels.resolve(Conditioning.of(3), named, "d").names());
    assertEquals(List.of(), ClassLabels.resolve(Conditioning.of(4), named, "d").names());
    // Names the model file gave win.
    Conditioning own = new Conditioning(3, 2, false, List.of("a", "b", "c"));
    assertEquals(own, ClassLabels.resolve(own, named, "d"));
  }

  @Test
  void aLabelOutsideTheClassesIsOneLine() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                ClassLabels.resolve(
                    Conditioning.of(3), data(new int[] {0, 1, 3, 2}), "the training data"));
    assertEquals(
        "the training data (tiny) has label 3 at image 2, outside the model's 3 classes"
            + " (conditional.classes, labels 0 to 2); set conditional.classes to 4 or to auto",
        e.getMessage());
  }

  @Test
  void dataWithoutLabelsOrWithOneClassIsRefused() {
    ImageSet unlabelled = ImageSet.of(1, 2, 2, new float[8], null, "loose images");
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> ClassLabels.resolve(Conditioning.auto(), unlabelled, "the training data"));
    assertEquals(
        "the model is conditional (conditional.classes: auto) but the training data (loose images)"
            + " has no labels; give labelled data (IDX images beside their labels file, or an image"
            + " folder with one sub-folder per class), or remove 'conditional' from the model",
        e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () -> ClassLabels.resolve(Conditioning.auto(), data(new int[] {0, 0}), "the data"));
    assertEquals(
        "conditional.classes: auto found 1 class in the data (tiny); a conditional model needs"
            + " at least 2 labelled classes",
        e.getMessage());
  }

  @Test
  void samplesCycleThroughTheClassesByIndex() {
    assertArrayEquals(new int[] {0, 1, 2, 0, 1}, ClassLabels.cycling(0, 5, 3));
    assertArrayEquals(new int[] {2, 0}, ClassLabels.cycling(5, 2, 3), "image i is class i mod 3");
    assertArrayEquals(new int[] {4, 4, 4}, ClassLabels.constant(4, 3));
    int[] counts = new int[4];
    for (int y : ClassLabels.uniform(new SplittableRandom(1), 40_000, 4)) counts[y]++;
    for (int c : counts) assertEquals(10_000, c, 300); // about 3σ of a binomial
    assertArrayEquals(
        ClassLabels.uniform(new SplittableRandom(9), 10, 7),
        ClassLabels.uniform(new SplittableRandom(9), 10, 7));
  }

  @Test
  void aClassGridHasARowPerClassAndAColumnPerLatentVector() {
    float[] noise = new float[12 * 2]; // 12 vectors of 2 values: 0,1 | 2,3 | ...
    for (int i = 0; i < noise.length; i++) noise[i] = i;
    ClassLabels.Grid g = ClassLabels.Grid.of(noise, 2, 3);
    assertEquals(3, g.rows());
    assertEquals(ClassLabels.GRID_COLUMNS, g.cols());
    assertEquals(30, g.count());
    assertArrayEquals(new int[] {0, 0, 0}, new int[] {g.labels()[0], g.labels()[5], g.labels()[9]});
    assertEquals(2, g.labels()[29]);
    // Row 2, column 4 holds latent vector 4 (values 8, 9).
    int at = (2 * 10 + 4) * 2;
    assertArrayEquals(new float[] {8, 9}, new float[] {g.z()[at], g.z()[at + 1]});
  }
}
