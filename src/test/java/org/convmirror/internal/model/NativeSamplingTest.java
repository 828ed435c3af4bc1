package org.convmirror.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Random;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.internal.nn.InPlace;
import org.convmirror.internal.nn.NativeInference;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.Randomness;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Images drawn in one native call per batch ({@link NativeInference}: batch norms folded into the
 * layers, pixels mapped inside the module) equal those of the op-by-op DJL forward pass, the
 * reference, within 1e-5, on the same model and latents.
 */
@Tier.Engine
class NativeSamplingTest {
  private static final double TOLERANCE = 1e-5;

  @AfterEach
  void restore() {
    System.clearProperty(NativeInference.PROPERTY);
  }

  @Test
  void dcgan28MatchesTheOpByOpPathAlsoAboveTheModulesChunk() {
    agree(ModelFiles.builtIn("dcgan28"), 1, 37, 300);
  }

  @Test
  void dcgan64MatchesTheOpByOpPath() {
    agree(ModelFiles.builtIn("dcgan64"), 1, 5);
  }

  @Test
  void oddGeometryMatchesTheOpByOpPath() {
    // A non-square colour image, a dilated first convolution and strides that leave remainders:
    // the mirror's last (3-channel) transposed convolution has dilation and output padding, and
    // runs as a matrix product and col2im at every batch, as do the one-image calls of the small
    // inner layers; the wide ones go to libtorch's kernel above batch 1.
    ModelSpec odd =
        ModelFiles.parse(
            """
            image: {channels: 3, height: 27, width: 22}
            latent: 12
            discriminator:
              conv:
                - {filters: 8, kernel: 3, stride: 2, padding: 1, dilation: 2, activation: leaky_relu}
                - {filters: 16, kernel: [3, 2], stride: [3, 2], padding: 0, batch_norm: true, activation: leaky_relu}
                - {filters: 1, kernel: [4, 5], activation: none}
            """,
            "odd.yaml");
    agree(odd, 1, 6);
  }

  @Test
  void vaeDecoderMatchesTheOpByOpPath() {
    agree(ModelFiles.builtIn("vae28"), 1, 33);
  }

  @Test
  void conditionalGeneratorWithConditionalBatchNormMatchesTheOpByOpPath() {
    ModelSpec c = ModelFiles.builtIn("cdcgan28");
    c = c.withConditioning(c.conditioning().resolved(10, List.of()).withBatchNorm(true));
    agree(c, 1, 23);
  }

  @Test
  void conditionalVaeDecoderMatchesTheOpByOpPath() {
    ModelSpec c = ModelFiles.builtIn("cvae28");
    agree(c.withConditioning(c.conditioning().resolved(10, List.of())), 1, 23);
  }

  @Test
  void thePropertyTurnsTheNativePathOff() {
    try (LoadedModel model =
        LoadedModel.untrained(ModelFiles.builtIn("dcgan28"), ConvKernel.NATIVE, 3)) {
      assertTrue(model.drawsNatively());
      System.setProperty(NativeInference.PROPERTY, "false");
      assertFalse(model.drawsNatively());
    }
  }

  /**
   * Batch-norm statistics and affines far from (0, 1), so that folding them has something to do,
   * and weights {@code scale}× their initial values (a VAE's untrained decoder gives a flat grey).
   */
  private static void perturb(Block network, float scale) {
    Random r = new Random(7);
    for (Parameter p : network.getParameters().values()) {
      float[] v = p.getArray().toFloatArray();
      for (int i = 0; i < v.length; i++) {
        float u = r.nextFloat();
        v[i] =
            switch (p.getType()) {
              case RUNNING_MEAN, BETA -> u - 0.5f;
              case RUNNING_VAR, GAMMA -> 0.5f + 1.5f * u;
              default -> scale * v[i];
            };
      }
      InPlace.copy(v, p.getArray());
    }
  }

  private static void agree(ModelSpec spec, int... batches) {
    try (LoadedModel model = LoadedModel.untrained(spec, ConvKernel.NATIVE, 11)) {
      perturb(model.generator(), spec.kind() == ModelKind.VAE ? 4 : 1);
      for (int n : batches) {
        float[] z = Randomness.latents(5 + n, 0, n, model.latentSize());
        int[] y = model.labels(LoadedModel.ANY, 0, n);
        System.setProperty(NativeInference.PROPERTY, "false");
        assertFalse(model.drawsNatively());
        float[] reference = model.decode(z, y, n);
        System.clearProperty(NativeInference.PROPERTY);
        assertTrue(model.drawsNatively(), "the native module did not load or run this network");
        float[] fast = model.decode(z, y, n);
        assertEquals(reference.length, fast.length);
        double worst = 0;
        double spread = 0;
        for (int i = 0; i < fast.length; i++) {
          worst = Math.max(worst, Math.abs(fast[i] - reference[i]));
          spread = Math.max(spread, Math.abs(reference[i] - reference[0]));
        }
        assertTrue(worst <= TOLERANCE, spec.kind() + " batch " + n + ": differs by " + worst);
        // Not a constant image, or agreement would say little.
        assertTrue(spread > 1e-3, "batch " + n + ": the reference pixels are all alike");
      }
    }
  }
}
