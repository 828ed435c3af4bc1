package org.convmirror.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.MaxPool;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.Pair;
import org.junit.jupiter.api.Test;

@Tier.Pure
class MirrorGoldenTest {

  /**
   * pytorch/examples dcgan/main.py, Generator (nz=100, ngf=64, nc=3), layer by layer: every
   * ConvTranspose2d there has bias=False, the output layer included.
   */
  @Test
  void pytorchExamplesDcgan64MirrorsToItsGenerator() {
    DeconvNet g = Mirror.of(ModelFiles.builtIn("dcgan64"));
    assertTrue(g.dense().isEmpty());
    assertNull(g.reshape());
    int[][] channels = {{100, 512}, {512, 256}, {256, 128}, {128, 64}, {64, 3}};
    int[] strides = {1, 2, 2, 2, 2};
    int[] paddings = {0, 1, 1, 1, 1};
    assertEquals(5, g.deconv().size());
    for (int i = 0; i < 5; i++) {
      DeconvBlock b = g.deconv().get(i);
      assertEquals(channels[i][0], b.inChannels(), "in " + i);
      assertEquals(channels[i][1], b.outChannels(), "out " + i);
      assertEquals(Pair.of(4), b.kernel());
      assertEquals(Pair.of(strides[i]), b.stride());
      assertEquals(Pair.of(paddings[i]), b.padding());
      assertEquals(Pair.of(0), b.outputPadding());
      assertEquals(i < 4, b.batchNorm(), "batch norm " + i);
      assertFalse(b.bias(), "bias " + i);
      assertEquals(i < 4 ? Activation.RELU : Activation.TANH, b.activation());
      assertNull(b.upsample());
      assertFalse(b.spectralNorm());
    }
    assertEquals(ImageShape.of(3, 64, 64), g.output());
  }

  @Test
  void defaultModelMatchesTheDocumentedPlan() {
    DeconvNet g = Mirror.of(ModelFiles.builtIn("dcgan28"));
    DeconvBlock first = g.deconv().get(0);
    assertEquals(100, first.inChannels());
    assertEquals(128, first.outChannels());
    assertEquals(Pair.of(7), first.kernel());
    assertEquals(ImageShape.of(1, 28, 28), g.output());
    // The mirror's rule: a bias only where no batch norm follows, so on the output layer alone.
    assertEquals(List.of(false, false, true), g.deconv().stream().map(DeconvBlock::bias).toList());
  }

  @Test
  void biasFalseLeavesNoBiasAnywhereInTheDerivedHalf() {
    ConvNet d = convWithDenseHead();
    MirrorOptions noBatchNorm =
        new MirrorOptions(Activation.RELU, Activation.TANH, false, true, false, 0);
    DeconvNet withBias = Mirror.generatorOf(d, 64, noBatchNorm);
    assertTrue(withBias.dense().stream().allMatch(DenseBlock::bias));
    assertTrue(withBias.deconv().stream().allMatch(DeconvBlock::bias));
    MirrorOptions noBias =
        new MirrorOptions(Activation.RELU, Activation.TANH, false, false, false, 0);
    DeconvNet without = Mirror.generatorOf(d, 64, noBias);
    assertTrue(without.dense().stream().noneMatch(DenseBlock::bias));
    assertTrue(without.deconv().stream().noneMatch(DeconvBlock::bias));
  }

  @Test
  void oddSizesNeedOutputPadding() {
    ConvNet d =
        new ConvNet(
            ImageShape.of(1, 28, 13),
            List.of(
                ConvBlock.builder(16, 3).stride(2).build(), // 13×6
                ConvBlock.builder(32, Pair.of(3, 2)).stride(Pair.of(2, 3)).build())); // 6×2
    DeconvNet g = Mirror.generatorOf(d, 8, MirrorOptions.gan());
    assertEquals(ImageShape.of(1, 28, 13), g.output());
    assertEquals(Pair.of(0, 1), g.deconv().get(0).outputPadding()); // 2 → 6 wide with s=3
    assertEquals(Pair.of(1, 0), g.deconv().get(1).outputPadding()); // 13 → 28 high with s=2
  }

  @Test
  void poolsAreUndoneByExactUpsampling() {
    ConvNet d =
        new ConvNet(
            ImageShape.of(3, 15, 15),
            List.of(
                ConvBlock.builder(8, 3).padding(1).maxPool(MaxPool.of(2)).build(), // 15 → pool → 7
                ConvBlock.builder(4, 3).build())); // 5
    DeconvNet g = Mirror.generatorOf(d, 10, MirrorOptions.gan());
    assertEquals(
        Pair.of(15, 15), g.deconv().get(1).upsample()); // 7 → 15 before the transposed conv
    assertEquals(ImageShape.of(3, 15, 15), g.output());
    assertEquals(ImageShape.of(4, 5, 5), g.reshape()); // 5×5 map, so a dense projection
  }

  @Test
  void denseHeadIsMirroredWithTheLatentInPlaceOfTheLogit() {
    ConvNet d = convWithDenseHead();
    DeconvNet g = Mirror.generatorOf(d, 64, MirrorOptions.gan());
    assertEquals(List.of(256, 32 * 14 * 14), g.dense().stream().map(DenseBlock::units).toList());
    assertEquals(ImageShape.of(32, 14, 14), g.reshape());
    assertEquals(ImageShape.of(1, 28, 28), g.output());
  }

  @Test
  void vaeDecoderProjectsTheLatentBackToTheEncoderOutput() {
    ModelSpec vae = ModelFiles.builtIn("vae28");
    DeconvNet dec = Mirror.of(vae);
    assertEquals(List.of(256, 64 * 7 * 7), dec.dense().stream().map(DenseBlock::units).toList());
    assertEquals(Activation.SIGMOID, dec.deconv().get(dec.deconv().size() - 1).activation());
    assertEquals(ImageShape.of(1, 28, 28), dec.output());
  }

  @Test
  void headActivationIsNeverCopied() {
    ConvNet d =
        new ConvNet(
            ImageShape.of(1, 8, 8),
            List.of(ConvBlock.builder(4, 8).activation(Activation.SIGMOID).build()));
    DeconvNet g = Mirror.generatorOf(d, 5, MirrorOptions.gan());
    assertEquals(Activation.TANH, g.deconv().get(0).activation());
  }

  /** One conv block (32×14×14), then a dense head 256 → 1. */
  private static ConvNet convWithDenseHead() {
    return new ConvNet(
        ImageShape.of(1, 28, 28),
        List.of(ConvBlock.builder(32, 4).stride(2).padding(1).build()), // 32×14×14
        List.of(
            DenseBlock.of(256, false, Activation.LEAKY_RELU),
            DenseBlock.of(1, false, Activation.NONE)));
  }
}
