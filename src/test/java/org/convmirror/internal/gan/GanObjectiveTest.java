package org.convmirror.internal.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import org.convmirror.TinyModels;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Synthetic;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.Iteration;
import org.convmirror.options.GanLoss;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.Penalty;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

@Tier.Engine
class GanObjectiveTest {
  static final ModelSpec TINY = TinyModels.GAN;

  private static float sumAbsGrad(Block b, NDManager m) {
    float s = 0;
    try (NDManager tmp = m.newSubManager()) {
      for (Parameter p : b.getParameters().values()) {
        if (!p.requiresGradient()) continue;
        NDArray g = p.getArray().getGradient();
        g.attach(tmp);
        s += g.abs().sum().getFloat();
      }
    }
    return s;
  }

  private static float[] first(Block b) {
    return b.getParameters().valueAt(0).getArray().toFloatArray();
  }

  static Iteration iteration(long number, float[] batch, int n, int batches) {
    List<Batch> real =
        java.util.stream.IntStream.range(0, batches)
            .mapToObj(k -> new Batch(batch, null, n, 0, k))
            .toList();
    return new Iteration(number, 0, (int) number, 1000, real);
  }

  @Test
  void eachNetworkOnlyMovesByItsOwnStepAndMemoryStaysFlat() {
    ImageSet data = Synthetic.generate(64, 1, 12, 12, 3);
    float[] batch = new float[16 * 144];
    for (int i = 0; i < 16; i++) data.copyImage(i, batch, i * 144);
    List<GanOptions> variants = new java.util.ArrayList<>();
    for (GanLoss loss : GanLoss.values()) {
      variants.add(GanOptions.builder().loss(loss).discriminatorSteps(2).realLabel(0.9f).build());
    }
    // Penalties and augmentation: still each network moves only by its own step.
    variants.add(GanPreset.WGAN_GP.options().toBuilder().discriminatorSteps(2).build());
    variants.add(
        GanOptions.builder()
            .discriminatorSteps(2)
            .penalty(Penalty.builder(Penalty.Kind.R1).weight(1).every(2).build())
            .augment("color,translation,cutout")
            .build());
    // Further G steps on fresh latents: G's Adam counts them, D's does not.
    variants.add(
        GanOptions.builder().discriminatorSteps(2).generatorSteps(3).augment("color").build());
    for (GanOptions options : variants) {
      GanLoss loss = options.loss();
      try (GanObjective t = Objectives.gan(TINY, options, 7)) {
        float[] g0 = first(t.generator());
        float[] d0 = first(t.discriminator());
        double[] s = t.step(iteration(0, batch, 16, 2));
        for (double v : s) assertTrue(Double.isFinite(v), loss + " " + List.of(s));
        assertNotEquals(g0[0], first(t.generator())[0], loss + ": generator moved");
        assertNotEquals(d0[0], first(t.discriminator())[0], loss + ": discriminator moved");
        NDManager m = t.manager();
        assertEquals(
            0f,
            sumAbsGrad(t.discriminator(), m),
            loss + ": D's gradients cleared after the G step");
        assertEquals(0f, sumAbsGrad(t.generator(), m), loss + ": G's gradients cleared");
        assertEquals(2, t.discriminatorOptimizer().steps());
        assertEquals(options.generatorStepsAt(0), t.generatorOptimizer().steps());
        if (loss == GanLoss.WASSERSTEIN && options.penalty().kind() == Penalty.Kind.NONE) {
          for (Parameter p : t.discriminator().getParameters().values()) {
            if (!p.requiresGradient()) continue;
            for (float w : p.getArray().toFloatArray())
              assertTrue(Math.abs(w) <= 0.01f + 1e-7, "clipped");
          }
        }
        int arrays = m.getManagedArrays().size();
        for (int i = 1; i <= 30; i++) t.step(iteration(i, batch, 16, 2));
        assertEquals(arrays, m.getManagedArrays().size(), loss + ": no arrays accumulate");
      }
    }
  }
}
