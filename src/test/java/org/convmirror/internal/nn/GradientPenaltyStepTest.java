package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.Seeds;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * A discriminator step with both penalties, as the GAN objective will run it: the generator's
 * output is recorded (the generator step reuses it) and handed to WGAN-GP undetached, yet the step
 * leaves no gradient on the generator or on the input batches, and no arrays behind.
 */
@Tier.Engine
class GradientPenaltyStepTest {
  private static final ModelSpec SPEC =
      ModelFiles.parse(
          """
          image: {channels: 1, height: 8, width: 8}
          latent: 3
          discriminator:
            conv:
              - {filters: 4, kernel: 4, stride: 2, padding: 1, activation: leaky_relu}
              - {filters: 6, kernel: 4, stride: 2, padding: 1, batch_norm: true, activation: leaky_relu}
              - {filters: 1, kernel: 2, activation: none}
          """,
          "tiny.yaml");
  private static final int N = 4;

  private final SplittableRandom random = new SplittableRandom(3);

  private record Batch(NDArray real, NDArray latent) {}

  private Batch batch(NDManager it, DeconvNet g) {
    Shape images = Networks.imageShape(SPEC.image(), N);
    float[] x = new float[(int) images.size()];
    for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);
    Shape z = Networks.latentShape(g, N);
    return new Batch(it.create(x, images), it.create(Seeds.gaussian(random, (int) z.size()), z));
  }

  private void discriminatorStep(
      SequentialBlock generator, SequentialBlock critic, ParameterStore store, Batch b) {
    float[] eps = new float[N];
    for (int i = 0; i < N; i++) eps[i] = (float) random.nextDouble();
    var d = GradientPenalty.critic(critic, store);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray fake = generator.forward(store, new NDList(b.latent()), true).singletonOrThrow();
      NDArray loss = d.apply(fake.stopGradient()).mean().sub(d.apply(b.real()).mean());
      loss = loss.add(GradientPenalty.wganGp(d, b.real(), fake, eps, 10).penalty());
      loss = loss.add(GradientPenalty.r1(d, b.real(), 10).penalty());
      gc.backward(loss);
    }
  }

  private static double gradientNorm(SequentialBlock block) {
    double sum = 0;
    for (Parameter p : block.getParameters().values()) {
      if (!p.requiresGradient()) continue;
      for (float v : p.getArray().getGradient().toFloatArray()) sum += v * v;
    }
    return Math.sqrt(sum);
  }

  @Test
  void leavesNoGradientOnTheGeneratorOrTheBatchesAndNoArraysBehind() {
    DeconvNet g = Mirror.of(SPEC);
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock generator = Networks.of(g);
      SequentialBlock critic = Networks.of(SPEC.declared());
      generator.initialize(m, DataType.FLOAT32, Networks.latentShape(g, 2));
      critic.initialize(m, DataType.FLOAT32, Networks.imageShape(SPEC.image(), 2));
      ParameterStore store = new ParameterStore(m, false);
      int arrays = -1;
      for (int step = 0; step < 20; step++) {
        try (NDManager it = m.newSubManager()) {
          discriminatorStep(generator, critic, store, batch(it, g));
        }
        int now = m.getManagedArrays().size();
        if (step == 1) arrays = now;
        if (step > 1) assertEquals(arrays, now, "arrays held after step " + step);
      }
      try (NDManager it = m.newSubManager()) {
        Batch b = batch(it, g);
        discriminatorStep(generator, critic, store, b);
        assertFalse(b.real().hasGradient(), "the real batch");
        assertFalse(b.latent().hasGradient(), "the latent batch");
      }
      assertEquals(0, gradientNorm(generator), "the generator's parameters");
      assertTrue(gradientNorm(critic) > 0, "the critic's parameters do get the gradient");
    }
  }
}
