package org.convmirror.internal.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.convmirror.TinyModels;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Synthetic;
import org.convmirror.internal.nn.ConditionalGenerator;
import org.convmirror.internal.nn.ProjectionDiscriminator;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.Iteration;
import org.convmirror.options.GanLoss;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.Penalty;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * A conditional GAN trains with every loss, penalty and augmentation: each step is finite, moves
 * both label tables (G's embedding and D's projection), and leaks no arrays.
 */
@Tier.Engine
class ConditionalGanObjectiveTest {
  static final ModelSpec TINY = TinyModels.GAN.withConditioning(Conditioning.of(3));

  private static float[] table(Block b, String name) {
    return b.getParameters().get(name).getArray().toFloatArray();
  }

  private static Iteration iteration(long number, float[] pixels, int[] labels, int n, int k) {
    List<Batch> real =
        IntStream.range(0, k).mapToObj(i -> new Batch(pixels, labels, n, 0, i)).toList();
    return new Iteration(number, 0, (int) number, 1000, real);
  }

  @Test
  void everyLossAndPenaltyTrainsBothLabelTables() {
    ImageSet data = Synthetic.generate(16, 1, 12, 12, 3);
    float[] pixels = data.pixels();
    int[] labels = data.labels();
    List<GanOptions> variants = new ArrayList<>();
    for (GanLoss loss : GanLoss.values()) variants.add(GanOptions.builder().loss(loss).build());
    variants.add(GanPreset.WGAN_GP.options().toBuilder().discriminatorSteps(2).build());
    variants.add(GanOptions.builder().generatorSteps(2).build()); // fresh labels for G's second
    variants.add(
        GanOptions.builder()
            .penalty(Penalty.builder(Penalty.Kind.R1).weight(1).build())
            .augment("color,translation,cutout")
            .build());
    List<ModelSpec> specs =
        List.of(TINY, TINY.withConditioning(Conditioning.of(3).withBatchNorm(true)));
    for (ModelSpec spec : specs) {
      for (GanOptions options : variants) {
        String what = options.loss() + " " + options.penalty().kind() + " " + spec.conditioning();
        try (GanObjective t = Objectives.gan(spec, options, 5)) {
          float[] e0 = table(t.generator(), ConditionalGenerator.EMBEDDING);
          float[] v0 = table(t.discriminator(), ProjectionDiscriminator.EMBEDDING);
          int k = options.discriminatorSteps();
          double[] s = t.step(iteration(0, pixels, labels, 16, k));
          for (double v : s) assertTrue(Double.isFinite(v), what + " " + Arrays.toString(s));
          assertNotEquals(
              e0[0], table(t.generator(), ConditionalGenerator.EMBEDDING)[0], what + ": G's");
          assertNotEquals(
              v0[0],
              table(t.discriminator(), ProjectionDiscriminator.EMBEDDING)[0],
              what + ": D's projection");
          NDManager m = t.manager();
          int arrays = m.getManagedArrays().size();
          for (int i = 1; i <= 5; i++) t.step(iteration(i, pixels, labels, 16, k));
          assertEquals(arrays, m.getManagedArrays().size(), what + ": no arrays accumulate");
        }
      }
    }
  }

  @Test
  void aBatchWithoutLabelsIsRefused() {
    ImageSet data = Synthetic.generate(16, 1, 12, 12, 3);
    try (GanObjective t = Objectives.gan(TINY, GanOptions.builder().build(), 5)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> t.step(iteration(0, data.pixels(), null, 16, 1)));
      assertTrue(e.getMessage().contains("without labels"), e.getMessage());
    }
  }
}
