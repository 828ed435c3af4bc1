package org.convmirror.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.convmirror.internal.testing.Tier;
import org.convmirror.shape.ModelPlans;
import org.convmirror.shape.Plan;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;

/**
 * The mirror's promise holds for conditional models: over random discriminators and encoders, the
 * label only widens the first layer's input, and the derived half still ends exactly on the image.
 */
@Tier.Pure
class ConditionalMirrorPropertiesTest {

  @Property(tries = 3_000)
  void aConditionalGeneratorIsTheSameMirrorWithAWiderInput(@ForAll long seed) {
    Random r = new Random(seed);
    ConvNet d = RandomNets.discriminator(r);
    int latent = 1 + r.nextInt(128);
    Conditioning c = new Conditioning(2 + r.nextInt(50), 1 + r.nextInt(64), false, null);
    check(ModelSpec.gan(d, latent), c.withBatchNorm(r.nextBoolean()));
  }

  @Property(tries = 1_000)
  void aConditionalDecoderIsTheSameMirrorWithAWiderInput(@ForAll long seed) {
    Random r = new Random(seed);
    ConvNet e = RandomNets.discriminator(r);
    Conditioning c = new Conditioning(2 + r.nextInt(50), 1 + r.nextInt(64), r.nextBoolean(), null);
    check(ModelSpec.vae(e, 1 + r.nextInt(32), Likelihood.values()[r.nextInt(3)]), c);
  }

  private static void check(ModelSpec plain, Conditioning c) {
    ModelSpec spec = plain.withConditioning(c);
    DeconvNet base = Mirror.of(plain);
    DeconvNet g = Mirror.of(spec);
    assertEquals(plain.latent() + c.embedding(), g.latent());
    assertEquals(base.reshape(), g.reshape());
    assertEquals(base.output(), g.output());
    assertEquals(plain.image(), g.output(), "the generator still makes the image");
    // Only the first layer's input width changes.
    if (g.dense().isEmpty()) {
      DeconvBlock first = g.deconv().get(0);
      assertEquals(g.latent(), first.inChannels());
      assertEquals(
          base.deconv().subList(1, base.deconv().size()), g.deconv().subList(1, g.deconv().size()));
      assertEquals(base.deconv().get(0).outChannels(), first.outChannels());
    } else {
      assertEquals(base.dense(), g.dense());
      assertEquals(base.deconv(), g.deconv());
    }
    Plan plan = ModelPlans.derived(spec);
    assertArrayEquals(plain.image().toArray(), plan.output());
    assertArrayEquals(new int[] {plain.latent()}, plan.input());
    assertEquals(c.classes(), plan.label().classes());
    // The plan's total is the unconditional one plus what the label costs, row for row.
    long extra = (long) c.classes() * c.embedding(); // the embedding table
    long firstWidth = c.embedding();
    DenseBlock d0 = g.dense().isEmpty() ? null : g.dense().get(0);
    extra += d0 != null ? firstWidth * d0.units() : firstWidth * weightsPerInput(g.deconv().get(0));
    if (c.batchNorm()) extra += (c.classes() - 1L) * gammaBeta(g);
    assertEquals(ModelPlans.derived(plain).parameters() + extra, plan.parameters());
  }

  private static long weightsPerInput(DeconvBlock b) {
    return (long) b.outChannels() * b.kernel().height() * b.kernel().width();
  }

  /** γ and β of every batch norm once: conditional batch norm has them once per class. */
  private static long gammaBeta(DeconvNet g) {
    long n = 0;
    for (DenseBlock d : g.dense()) if (d.batchNorm()) n += 2L * d.units();
    for (DeconvBlock b : g.deconv()) if (b.batchNorm()) n += 2L * b.outChannels();
    return n;
  }
}
