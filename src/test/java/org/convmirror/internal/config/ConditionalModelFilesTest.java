package org.convmirror.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.RandomNets;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.SpecException;
import org.junit.jupiter.api.Test;

/** The {@code conditional:} section: what it reads, what it refuses, and that it round-trips. */
@Tier.Pure
class ConditionalModelFilesTest {
  private static final String GAN =
      "image: {channels: 1, height: 28, width: 28}\nlatent: 8\n"
          + "discriminator: {conv: [{filters: 8, kernel: 4, stride: 2}, {filters: 1, kernel: 13}]}\n";

  private static String message(String text) {
    return assertThrows(SpecException.class, () -> ModelFiles.parse(text, "m.yaml")).getMessage();
  }

  @Test
  void theSectionReadsWithItsDefaults() {
    ModelSpec plain = ModelFiles.parse(GAN, "m.yaml");
    assertNull(plain.conditioning());
    assertFalse(plain.isConditional());
    assertEquals(8, plain.derivedInput());

    ModelSpec auto = ModelFiles.parse(GAN + "conditional: {classes: auto}\n", "m.yaml");
    assertEquals(Conditioning.auto(), auto.conditioning());
    assertEquals(8 + Conditioning.EMBEDDING, auto.derivedInput());

    ModelSpec full =
        ModelFiles.parse(
            GAN + "conditional: {classes: 3, embedding: 5, batch_norm: true, names: [a, b, c]}\n",
            "m.yaml");
    assertEquals(new Conditioning(3, 5, true, List.of("a", "b", "c")), full.conditioning());
    assertEquals(13, full.derivedInput());
    assertEquals(plain.declared(), full.declared(), "the declared stack is the same");
  }

  @Test
  void everyBadValueIsOneLineNamingItsPath() {
    assertEquals(
        "conditional: missing 'classes' (a number ≥ 2, or auto to count the data's classes)",
        message(GAN + "conditional: {embedding: 4}\n"));
    assertEquals(
        "conditional.classes: must be a number ≥ 2 or auto, was \"ten\"",
        message(GAN + "conditional: {classes: ten}\n"));
    assertEquals(
        "conditional.classes: must be ≥ 2, was 1", message(GAN + "conditional: {classes: 1}\n"));
    assertEquals(
        "conditional.embedding: must be ≥ 1, was 0",
        message(GAN + "conditional: {classes: 2, embedding: 0}\n"));
    assertEquals(
        "conditional.names: 2 names for 3 classes; give one name per class",
        message(GAN + "conditional: {classes: 3, names: [a, b]}\n"));
    assertEquals(
        "conditional.names[1]: 'A' names two classes; class names must differ",
        message(GAN + "conditional: {classes: 2, names: [a, A]}\n"));
    assertTrue(
        message(GAN + "conditional: {classes: 2, colour: red}\n")
            .startsWith("conditional.colour: unknown key; expected one of"));
    assertEquals(
        "conditional.batch_norm: conditional batch norm needs batch norm in the generator; set"
            + " generator.batch_norm: true or conditional.batch_norm: false",
        message(
            GAN + "generator: {batch_norm: false}\nconditional: {classes: 2, batch_norm: true}\n"));
  }

  @Test
  void conditionalModelsReadBackExactly() {
    Random r = new Random(5);
    for (int i = 0; i < 300; i++) {
      ConvNet d = RandomNets.discriminator(r);
      ModelSpec spec =
          i % 2 == 0
              ? ModelSpec.gan(d, 1 + r.nextInt(64))
              : ModelSpec.vae(d, 1 + r.nextInt(16), Likelihood.values()[i % 3]);
      int classes = r.nextInt(4) == 0 ? Conditioning.AUTO : 2 + r.nextInt(20);
      List<String> names = List.of();
      if (classes > 0 && r.nextBoolean()) {
        String[] n = new String[classes];
        // Names that YAML would misread unquoted: a colon, a quote, a slash, a bracket, digits.
        for (int c = 0; c < classes; c++) n[c] = c + (c % 3 == 0 ? ": \"x\"/[y]" : "") + " n";
        names = List.of(n);
      }
      Conditioning c = new Conditioning(classes, 1 + r.nextInt(40), r.nextBoolean(), names);
      ModelSpec conditional = spec.withConditioning(c);
      assertEquals(
          conditional, ModelFiles.parse(ModelWriter.yaml(conditional), "written.yaml"), "" + i);
    }
  }

  @Test
  void theConditionalBuiltInsAreTheDefaultsWithALabel() {
    ModelSpec c = ModelFiles.builtIn("cdcgan28");
    assertEquals(ModelFiles.builtIn("dcgan28"), c.withConditioning(null));
    assertEquals(Conditioning.auto(), c.conditioning());
    ModelSpec v = ModelFiles.builtIn("cvae28");
    assertEquals(ModelFiles.builtIn("vae28"), v.withConditioning(null));
    assertEquals(Conditioning.auto(), v.conditioning());
  }
}
