package org.convmirror.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.gan.GanNetworks;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.Precision;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * {@code --precision bf16-declared} puts bfloat16 in the discriminator only: on the same weights
 * and inputs its generator computes exactly what the float32 one does and its discriminator exactly
 * what bf16's does — and the two precisions really differ on each half (else the test would pass
 * whatever the split).
 */
@Tier.Engine
class PrecisionPerHalfTest {
  private static final ModelSpec DCGAN28 = ModelFiles.builtIn("dcgan28");
  private static final long SEED = 7;

  @Test
  void bf16DeclaredIsBfloat16InTheDiscriminatorAndFloat32InTheGenerator() {
    float[] g32 = generated(Precision.FP32), gBf = generated(Precision.BF16);
    float[] d32 = judged(Precision.FP32), dBf = judged(Precision.BF16);
    assertFalse(Arrays.equals(g32, gBf), "bf16 did not change the generator");
    assertFalse(Arrays.equals(d32, dBf), "bf16 did not change the discriminator");
    assertArrayEquals(g32, generated(Precision.BF16_DECLARED));
    assertArrayEquals(dBf, judged(Precision.BF16_DECLARED));
  }

  /** G(z) in training mode (batch statistics), same weights and z for every precision. */
  private static float[] generated(Precision precision) {
    return run(precision, true);
  }

  /** D(x) in training mode on fixed images. */
  private static float[] judged(Precision precision) {
    return run(precision, false);
  }

  private static float[] run(Precision precision, boolean generator) {
    GanFamily family = new GanFamily(DCGAN28);
    try (GanNetworks n = family.networks(SEED, precision);
        NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      int batch = 8;
      NDList input =
          generator
              ? new NDList(m.randomNormal(family.input().latentShape(batch)))
              : new NDList(m.randomUniform(-1, 1, Networks.imageShape(DCGAN28.image(), batch)));
      Block b = n.byEntry().get(generator ? GanFamily.GENERATOR : GanFamily.DISCRIMINATOR);
      NDArray out = b.forward(new ParameterStore(m, false), input, true).singletonOrThrow();
      return out.toFloatArray();
    }
  }
}
