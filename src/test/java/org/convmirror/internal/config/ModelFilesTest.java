package org.convmirror.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.MaxPool;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.Pair;
import org.convmirror.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tier.Pure
class ModelFilesTest {

  private static final String DEFAULT =
      """
      image: {channels: 1, height: 28, width: 28}
      latent: 100
      discriminator:
        conv:
          - {filters: 64, kernel: 4, stride: 2, padding: 1, activation: leaky_relu}
          - {filters: 128, kernel: 4, stride: 2, padding: 1, batch_norm: true, activation: leaky_relu}
          - {filters: 1, kernel: 7, stride: 1, padding: 0, activation: none}
      generator:              # optional; overrides of the mirror's defaults
        hidden_activation: relu
        output_activation: tanh
      """;

  @Test
  void theIssuesExampleIsTheBuiltInDefault() {
    ModelSpec spec = ModelFiles.parse(DEFAULT, "default.yaml");
    assertEquals(ModelKind.GAN, spec.kind());
    assertEquals(ImageShape.of(1, 28, 28), spec.image());
    assertEquals(100, spec.latent());
    assertEquals(3, spec.declared().conv().size());
    assertEquals(spec, ModelFiles.builtIn("dcgan28"));
  }

  /** Model text without the key (every run recorded before it existed) keeps the old rule. */
  @Test
  void theDerivedHalfsBiasIsOnByDefaultAndOffInDcgan64() {
    assertTrue(ModelFiles.parse(DEFAULT, "default.yaml").mirror().bias());
    assertFalse(ModelFiles.builtIn("dcgan64").mirror().bias());
    String noBias =
        DEFAULT.replace("  output_activation: tanh", "  output_activation: tanh\n  bias: false");
    ModelSpec spec = ModelFiles.parse(noBias, "no-bias.yaml");
    assertEquals(
        new MirrorOptions(Activation.RELU, Activation.TANH, true, false, false, 0), spec.mirror());
  }

  @Test
  void everyAcceptedSpelling() {
    ModelSpec spec =
        ModelFiles.parse(
            """
        image: {channels: 3, height: 33, width: 20}
        latent: 8
        discriminator:
          conv:
            - {filters: 8, kernel: [3, 5], stride: [2, 1], padding: [1, 2], dilation: [1, 2], bias: false,
               spectral_norm: true, dropout: 0.3, activation: leaky_relu(0.1), max_pool: 2}
            - {filters: 4, kernel: 3, max_pool: {kernel: 3, stride: 2}, activation: elu}
          dense:
            - {units: 32, activation: gelu, batch_norm: true}
            - {units: 1, activation: none}
        """,
            "t");
    ConvBlock b = spec.declared().conv().get(0);
    assertEquals(Pair.of(3, 5), b.kernel());
    assertEquals(Pair.of(2, 1), b.stride());
    assertEquals(Pair.of(1, 2), b.padding());
    assertEquals(Pair.of(1, 2), b.dilation());
    assertEquals(false, b.bias());
    assertEquals(true, b.spectralNorm());
    assertEquals(0.3, b.dropout());
    assertEquals(Activation.leakyRelu(0.1), b.activation());
    assertEquals(MaxPool.of(2), b.maxPool());
    assertEquals(new MaxPool(Pair.of(3), Pair.of(2)), spec.declared().conv().get(1).maxPool());
    assertEquals(2, spec.declared().dense().size());
    assertTrue(spec.declared().dense().get(0).batchNorm());
  }

  @Test
  void jsonAndVaeFiles() {
    ModelSpec spec =
        ModelFiles.parse(
            """
        {"image": {"channels": 1, "height": 28, "width": 28}, "latent": 4,
         "encoder": {"conv": [{"filters": 8, "kernel": 3, "stride": 2}]},
         "decoder": {"likelihood": "gaussian"}}
        """,
            "vae.json");
    assertEquals(ModelKind.VAE, spec.kind());
    assertEquals(Likelihood.GAUSSIAN, spec.likelihood());
    assertEquals(Activation.Kind.NONE, spec.mirror().outputActivation().kind());
    assertEquals(Likelihood.BERNOULLI, ModelFiles.builtIn("vae28").likelihood());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "stride: 2|stride: 0|discriminator.conv[0].stride: must be ≥ 1, was 0",
        "stride: 2|strid: 2|discriminator.conv[0].strid: unknown key; expected one of activation, batch_norm, bias, dilation, dropout, filters, kernel, max_pool, padding, spectral_norm, stride",
        "filters: 128|filters: many|discriminator.conv[1].filters: must be an integer, was \"many\"",
        "kernel: 7|kernel: [7, 7, 7]|discriminator.conv[2].kernel: must be one integer or [height, width], was a list [7,7,7]",
        "latent: 100|latent: -3|latent: must be ≥ 1, was -3",
        "hidden_activation: relu|hidden_activation: swish|generator.hidden_activation: unknown activation 'swish'; expected one of none, relu, leaky_relu, leaky_relu(SLOPE), elu, gelu, tanh, sigmoid",
        "batch_norm: true|batch_norm: yes please|discriminator.conv[1].batch_norm: must be true or false, was \"yes please\"",
      })
  void badValuesNameTheirPath(String from, String to, String message) {
    String text = DEFAULT.replaceFirst(java.util.regex.Pattern.quote(from), to);
    SpecException e = assertThrows(SpecException.class, () -> ModelFiles.parse(text, "m.yaml"));
    assertEquals(message, e.getMessage());
  }

  @Test
  void spectralNormUnderGeneratorIsRefusedAtParseTimeWithItsPath() {
    String text = DEFAULT.replace("  output_activation: tanh", "  spectral_norm: true");
    SpecException e = assertThrows(SpecException.class, () -> ModelFiles.parse(text, "m.yaml"));
    assertEquals("generator.spectral_norm", e.path());
  }

  @Test
  void impossibleGeometryNamesTheBlock() {
    String text = DEFAULT.replace("kernel: 7", "kernel: 9");
    SpecException e = assertThrows(SpecException.class, () -> ModelFiles.parse(text, "m.yaml"));
    assertEquals("discriminator.conv[2].kernel", e.path());
    assertTrue(e.getMessage().contains("exceeds the padded input height 7"), e.getMessage());
  }

  @Test
  void structuralMistakes() {
    assertEquals(
        "missing 'discriminator' (for a GAN) or 'encoder' (for a VAE)",
        assertThrows(
                SpecException.class,
                () -> ModelFiles.parse("image: {channels: 1, height: 8, width: 8}\nlatent: 2", "m"))
            .getMessage());
    assertEquals(
        "decoder: belongs to a VAE (encoder); use 'generator'",
        assertThrows(SpecException.class, () -> ModelFiles.parse(DEFAULT + "decoder: {}\n", "m"))
            .getMessage());
    assertTrue(
        assertThrows(SpecException.class, () -> ModelFiles.parse("image: [1, 2\n", "m.yaml"))
            .getMessage()
            .startsWith("m.yaml: not valid YAML/JSON at line"));
    assertEquals(
        "m.yaml: the model file is empty",
        assertThrows(SpecException.class, () -> ModelFiles.parse("", "m.yaml")).getMessage());
    assertTrue(
        assertThrows(SpecException.class, () -> ModelFiles.read(Path.of("/nonexistent/m.yaml")))
            .getMessage()
            .startsWith("model file /nonexistent/m.yaml does not exist"));
    assertTrue(
        assertThrows(SpecException.class, () -> ModelFiles.builtIn("nope"))
            .getMessage()
            .contains("built-in models are"));
  }
}
