package org.convmirror.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** How a conditional model's classes are named and found. */
@Tier.Pure
class ConditioningTest {
  private static final Conditioning NAMED =
      new Conditioning(3, 4, false, List.of("T-shirt/top", "Trouser", "Sneaker"));

  @Test
  void aClassIsFoundByNameInAnyCaseOrByIndexInRange() {
    assertEquals(OptionalInt.of(2), NAMED.find("sneaker"));
    assertEquals(OptionalInt.of(0), NAMED.find(" T-SHIRT/TOP "));
    assertEquals(OptionalInt.of(1), NAMED.find("1"));
    assertEquals(OptionalInt.empty(), NAMED.find("3"));
    assertEquals(OptionalInt.empty(), NAMED.find("-1"));
    assertEquals(OptionalInt.empty(), NAMED.find("sandal"));
    Conditioning numbered = Conditioning.of(5);
    assertEquals(OptionalInt.of(4), numbered.find("4"));
    assertEquals("4", numbered.name(4));
    assertEquals("Trouser", NAMED.name(1));
  }

  @Test
  void classesAreDescribedForMessages() {
    assertEquals("0 T-shirt/top, 1 Trouser, 2 Sneaker", NAMED.describeClasses());
    assertEquals("0 to 4", Conditioning.of(5).describeClasses());
    assertEquals("numbered from 0", Conditioning.auto().describeClasses());
  }

  @Test
  void resolvingKeepsTheRestAndChecksTheNames() {
    Conditioning c = Conditioning.auto().withEmbedding(7).withBatchNorm(true);
    Conditioning r = c.resolved(2, List.of("a", "b"));
    assertEquals(new Conditioning(2, 7, true, List.of("a", "b")), r);
    SpecException e = assertThrows(SpecException.class, () -> c.resolved(3, List.of("a", "b")));
    assertEquals("names: 2 names for 3 classes; give one name per class", e.getMessage());
    assertThrows(SpecException.class, () -> c.resolved(2, List.of("a", " ")));
  }

  @Test
  void aModelWithConditionalBatchNormNeedsBatchNormToCondition() {
    ConvNet d = new ConvNet(ImageShape.of(1, 8, 8), List.of(ConvBlock.builder(1, 8).build()));
    ModelSpec spec = ModelSpec.gan(d, 4);
    MirrorOptions noBn = new MirrorOptions(Activation.RELU, Activation.TANH, false, true, false, 0);
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                new ModelSpec(
                    ModelKind.GAN,
                    d.input(),
                    4,
                    d,
                    noBn,
                    null,
                    Conditioning.of(2).withBatchNorm(true)));
    assertEquals("conditional.batch_norm", e.path());
    assertEquals(spec, spec.withConditioning(Conditioning.of(2)).withConditioning(null));
  }
}
