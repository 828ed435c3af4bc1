package org.convmirror.shape;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Optional;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** Issue 13, case 5: the memory floor of training, counted by hand on a tiny plan. */
@Tier.Pure
class MemoryEstimateTest {

  private static LayerPlan layer(
      String kind, int[] output, long params, Boolean bn, String act, Double dropout) {
    return new LayerPlan(
        kind, null, null, null, null, null, null, null, output, params, 0, bn, null, act, dropout);
  }

  // conv → 3×2×2 with batch norm and leaky ReLU (3 tensors kept: 36), max-pool → 3×1×1 (values and
  // int64 indices: 9), dense → 1 (1): 46 values per image; 19 parameters.
  private static final Plan D =
      new Plan(
          "discriminator",
          new int[] {1, 4, 4},
          new int[] {1},
          19,
          0,
          List.of(
              layer("conv", new int[] {3, 2, 2}, 15, true, "leaky_relu", null),
              layer("max_pool", new int[] {3, 1, 1}, 0, null, null, null),
              layer("dense", new int[] {1}, 4, null, null, null)));

  // dense → 12 with batch norm and ReLU (36), reshape (a view: 0), upsample → 3×4×4 (48),
  // transposed conv → 1×4×4 with tanh and dropout (output, tanh, mask: 48): 132; 85 parameters.
  private static final Plan G =
      new Plan(
          "generator",
          new int[] {2},
          new int[] {1, 4, 4},
          85,
          0,
          List.of(
              layer("dense", new int[] {12}, 36, true, "relu", null),
              layer("reshape", new int[] {3, 2, 2}, 0, null, null, null),
              layer("upsample", new int[] {3, 4, 4}, 0, null, null, null),
              layer("conv_transpose", new int[] {1, 4, 4}, 49, null, "tanh", 0.1)));

  @Test
  void savedActivationsPerLayerKind() {
    assertEquals(46, MemoryEstimate.saved(D));
    assertEquals(132, MemoryEstimate.saved(G));
  }

  @Test
  void ganFloorByHand() {
    MemoryEstimate e = MemoryEstimate.training(ModelKind.GAN, D, G, 8);
    assertEquals(104 * 4, e.weights());
    assertEquals(104 * 4, e.gradients());
    assertEquals(2 * 104 * 4, e.adamMoments());
    assertEquals(85 * 4, e.weightAverage());
    // The real image (16), G's graph (132), D's for a real and a fake batch (2 × 46).
    assertEquals((16 + 132 + 2 * 46) * 4, e.activationsPerImage());
    assertEquals(416 + 416 + 832 + 340 + 8 * 960, e.total());
    assertEquals(Optional.empty(), e.exceeds(e.total()));
    assertEquals(
        Optional.of(
            "training this model at batch size 8 needs at least 9.5 KiB (weights 416 bytes,"
                + " gradients 416 bytes, Adam moments 832 bytes, weight average 340 bytes,"
                + " activations 7.5 KiB), more than the 9.5 KiB of memory available; use"
                + " --batch-size 7 or less, or fewer filters"),
        e.exceeds(e.total() - 1));
    assertTrue(
        e.exceeds(2004 + 959)
            .orElseThrow()
            .endsWith(
                "use fewer filters or layers (the"
                    + " weights alone need 2.0 KiB with their gradients and optimizer state)"));
  }

  @Test
  void vaeFloorByHand() {
    MemoryEstimate e = MemoryEstimate.training(ModelKind.VAE, D, G, 2);
    assertEquals(0, e.weightAverage());
    assertEquals((16 + 46 + 132) * 4, e.activationsPerImage());
    assertFalse(e.exceeds(e.total() - 1).orElseThrow().contains("weight average"));
  }

  private static MemoryEstimate of(ModelSpec spec, int batch) {
    return MemoryEstimate.training(
        spec.kind(), Planner.plan("d", spec.declared()), Planner.plan("g", Mirror.of(spec)), batch);
  }

  @Test
  void theDefaultModelFitsAndAHundredThousandFiltersDoNot() {
    ModelSpec dcgan28 = ModelFiles.builtIn("dcgan28");
    MemoryEstimate dcgan = of(dcgan28, 64);
    long params =
        Planner.plan("d", dcgan28.declared()).parameters()
            + Planner.plan("g", Mirror.of(dcgan28)).parameters();
    assertEquals(4 * params, dcgan.weights());
    assertTrue(dcgan.total() < (256L << 20), Bytes.format(dcgan.total()));

    // Two wide layers in a row: 100,000 × 100,000 × 4 × 4 weights (libtorch asked for 640 GB),
    // and as many again in the mirror.
    String huge =
        """
        image: {channels: 1, height: 28, width: 28}
        latent: 100
        discriminator:
          conv:
            - {filters: 100000, kernel: 4, stride: 2, padding: 1}
            - {filters: 100000, kernel: 4, stride: 2, padding: 1}
            - {filters: 1, kernel: 7}
        """;
    MemoryEstimate big = of(ModelFiles.parse(huge, "huge.yaml"), 64);
    assertTrue(big.weights() > 600e9, Bytes.format(big.weights()));
    String m = big.exceeds(24L << 30).orElseThrow();
    assertTrue(m.startsWith("training this model at batch size 64 needs at least "), m);
    assertTrue(
        m.endsWith(
            "use fewer filters or layers (the weights alone need 5.2 TiB with"
                + " their gradients and optimizer state)"),
        m);
  }
}
