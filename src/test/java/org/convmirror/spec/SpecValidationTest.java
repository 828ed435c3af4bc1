package org.convmirror.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class SpecValidationTest {

  @Test
  void blockFieldsAreCheckedWithTheirNames() {
    SpecException e =
        assertThrows(SpecException.class, () -> ConvBlock.builder(8, 3).stride(0).build());
    assertEquals("stride: must be ≥ 1, was 0", e.getMessage());
    e = assertThrows(SpecException.class, () -> ConvBlock.builder(0, 3).build());
    assertEquals("filters: must be ≥ 1, was 0", e.getMessage());
    e = assertThrows(SpecException.class, () -> ConvBlock.builder(4, 3).dropout(1.0).build());
    assertEquals("dropout: must be in [0, 1), was 1.0", e.getMessage());
  }

  /** Issue 21: 2³¹−1 overflowed the shape arithmetic ('plan' printed impossible shapes). */
  @Test
  void hugeSizeParametersAreRefusedBeforeTheyOverflow() {
    int huge = Integer.MAX_VALUE;
    SpecException e =
        assertThrows(SpecException.class, () -> ConvBlock.builder(8, 3).dilation(huge).build());
    assertEquals("dilation: must be at most 32768, was " + huge, e.getMessage());
    e = assertThrows(SpecException.class, () -> ConvBlock.builder(8, 3).padding(huge).build());
    assertEquals("padding: must be at most 32768, was " + huge, e.getMessage());
    // in + 2p past 2³¹ wrapped to a negative span ("the kernel does not fit") before.
    assertEquals(huge, ConvArithmetic.convOut(huge, 1, 1, 32768, 1), "saturates, never wraps");
  }

  @Test
  void negativePaddingIsRefusedByTheRecordItself() {
    SpecException e =
        assertThrows(SpecException.class, () -> ConvBlock.builder(8, 3).padding(-1).build());
    assertEquals("padding: must be ≥ 0, was -1x-1", e.getMessage());
  }

  @Test
  void aVaeBuiltInJavaEndsInTheActivationOfItsLikelihood() {
    ConvNet encoder =
        new ConvNet(ImageShape.of(1, 8, 8), List.of(ConvBlock.builder(4, 4).stride(2).build()));
    for (Likelihood l : Likelihood.values()) {
      Activation expected = l == Likelihood.BERNOULLI ? Activation.SIGMOID : Activation.NONE;
      assertEquals(expected, ModelSpec.vae(encoder, 3, l).mirror().outputActivation(), "" + l);
      assertEquals(
          expected,
          new ModelSpec(ModelKind.VAE, encoder.input(), 3, encoder, null, l)
              .mirror()
              .outputActivation(),
          "" + l);
    }
  }

  @Test
  void spectralNormOnTheDerivedHalfIsRefused() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> new MirrorOptions(Activation.RELU, Activation.TANH, true, true, true, 0));
    assertEquals("spectral_norm", e.path());
  }

  @Test
  void aKernelLargerThanItsInputNamesTheBlock() {
    List<ConvBlock> blocks =
        List.of(
            ConvBlock.builder(8, 4).stride(2).padding(1).build(), ConvBlock.builder(8, 9).build());
    SpecException e =
        assertThrows(SpecException.class, () -> new ConvNet(ImageShape.of(1, 10, 10), blocks));
    assertEquals("conv[1].kernel", e.path());
  }

  @Test
  void aPoolLargerThanItsInputNamesTheBlock() {
    List<ConvBlock> blocks = List.of(ConvBlock.builder(8, 3).maxPool(MaxPool.of(4)).build());
    SpecException e =
        assertThrows(SpecException.class, () -> new ConvNet(ImageShape.of(1, 5, 3), blocks));
    assertEquals("conv[0].max_pool", e.path());
  }

  @Test
  void pathsComposeUpwards() {
    SpecException e =
        new SpecException("stride", "must be ≥ 1, was 0").under("conv[2]").under("discriminator");
    assertEquals("discriminator.conv[2].stride: must be ≥ 1, was 0", e.getMessage());
  }

  @Test
  void outputPaddingFollowsPyTorchsRule() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                new DeconvBlock(
                    4,
                    4,
                    Pair.of(3),
                    Pair.of(2),
                    Pair.of(0),
                    Pair.of(2),
                    Pair.of(1),
                    true,
                    false,
                    false,
                    Activation.RELU,
                    null,
                    0));
    assertEquals("output_padding", e.path());
  }

  @Test
  void activationsParse() {
    assertEquals(Activation.leakyRelu(0.1), Activation.parse("leaky_relu(0.1)"));
    assertEquals(Activation.LEAKY_RELU, Activation.parse("leaky_relu"));
    assertEquals(Activation.NONE, Activation.parse("none"));
    assertEquals("leaky_relu(0.1)", Activation.leakyRelu(0.1).toString());
    assertThrows(SpecException.class, () -> Activation.parse("swish"));
    assertThrows(SpecException.class, () -> Activation.parse("leaky_relu(2)"));
  }

  @Test
  void fluentBuilderMatchesTheRecord() {
    ConvNet built =
        ConvNet.builder(ImageShape.of(1, 28, 28))
            .conv(ConvBlock.builder(64, 4).stride(2).padding(1))
            .conv(ConvBlock.builder(1, 14).activation(Activation.NONE))
            .dense(DenseBlock.of(1, false, Activation.NONE))
            .build();
    assertEquals(
        new ConvNet(
            ImageShape.of(1, 28, 28),
            List.of(
                ConvBlock.builder(64, 4).stride(2).padding(1).build(),
                ConvBlock.builder(1, 14).activation(Activation.NONE).build()),
            List.of(DenseBlock.of(1, false, Activation.NONE))),
        built);
  }
}
