package org.convmirror.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** Each preset sets its paper's recipe and adapts only the discriminator. */
@Tier.Pure
class GanPresetTest {
  final ModelSpec dcgan28 = ModelFiles.builtIn("dcgan28");

  @Test
  void snganNormalisesEveryDiscriminatorLayerAndTrainsOnTwoTimeScales() {
    ModelSpec sn = GanPreset.SNGAN.model(dcgan28);
    for (ConvBlock b : sn.declared().conv()) {
      assertTrue(b.spectralNorm());
      assertFalse(b.batchNorm());
      assertTrue(b.bias(), "the bias batch norm had cancelled is back");
    }
    assertEquals(Mirror.of(dcgan28), Mirror.of(sn), "the generator is the same mirror");
    GanOptions o = GanPreset.SNGAN.options();
    assertEquals(GanLoss.HINGE, o.loss());
    assertEquals(1e-4f, o.generator().learningRate());
    assertEquals(4e-4f, o.discriminator().learningRate());
    assertEquals(0f, o.discriminator().beta1());
    // The adapted model is recorded as text and reads back to itself.
    assertEquals(sn, ModelFiles.parse(ModelWriter.yaml(sn), "sngan.yaml"));
  }

  @Test
  void wganGpPenalisesFiveCriticStepsWithoutBatchNorm() {
    GanOptions o = GanPreset.WGAN_GP.options();
    assertEquals(GanLoss.WASSERSTEIN, o.loss());
    assertEquals(Penalty.Kind.WGAN_GP, o.penalty().kind());
    assertEquals(10f, o.penalty().weight());
    assertEquals(5, o.discriminatorSteps());
    for (ConvBlock b : GanPreset.WGAN_GP.model(dcgan28).declared().conv()) {
      assertFalse(b.batchNorm());
      assertFalse(b.spectralNorm());
    }
    assertEquals(dcgan28, GanPreset.DCGAN.model(dcgan28));
    assertEquals(GanOptions.builder().build(), GanPreset.DCGAN.options());
  }

  @Test
  void theDefaultRecipeTakesSmallerBatchesAndLargerStepsAndClassicKeepsTheOldOne() {
    GanOptions dcgan = GanPreset.DEFAULT.options();
    assertEquals(GanPreset.DCGAN, GanPreset.DEFAULT);
    assertEquals(32, GanPreset.DCGAN.batchSize());
    assertEquals(6e-4f, dcgan.generator().learningRate());
    assertEquals(6e-4f, dcgan.discriminator().learningRate());
    assertEquals(0.5f, dcgan.generator().beta1());
    assertEquals(0.01, dcgan.average().rampUp());
    assertEquals(10_000, dcgan.average().halfLifeImages());
    // Early on a 1 % ramp follows the generator closely: after 20k images the half-life is 200.
    assertEquals(Math.pow(0.5, 32 / 200.0), dcgan.average().decay(20_000, 32), 1e-6);
    assertEquals(1, dcgan.generatorStepsAt(119_999));
    assertEquals(2, dcgan.generatorStepsAt(120_000));

    GanOptions classic = GanPreset.CLASSIC.options();
    assertEquals(64, GanPreset.CLASSIC.batchSize());
    assertEquals(2e-4f, classic.generator().learningRate());
    assertEquals(2e-4f, classic.discriminator().learningRate());
    assertEquals(Average.STYLEGAN, classic.average());
    assertEquals(dcgan.loss(), classic.loss());
    assertEquals(dcgan28, GanPreset.CLASSIC.model(dcgan28));
    assertEquals(64, GanPreset.SNGAN.batchSize());
    for (GanPreset p : List.of(GanPreset.CLASSIC, GanPreset.SNGAN, GanPreset.WGAN_GP)) {
      assertEquals(1, p.options().generatorStepsAt(Long.MAX_VALUE), p + ": the paper's one step");
    }
  }

  @Test
  void namesAreCheckedInOneLine() {
    assertEquals(GanPreset.WGAN_GP, GanPreset.of("WGAN-GP"));
    UsageException e = assertThrows(UsageException.class, () -> GanPreset.of("biggan"));
    assertEquals(
        "--preset must be one of [dcgan, classic, sngan, wgan-gp], was 'biggan'", e.getMessage());
    assertThrows(UsageException.class, () -> GanOptions.builder().augment("zoom").build());
    assertThrows(UsageException.class, () -> Penalty.builder(Penalty.Kind.R1).weight(0).build());
  }
}
