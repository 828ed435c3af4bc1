package org.convmirror.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.convmirror.internal.testing.Tier;
import org.convmirror.shape.Plan;
import org.convmirror.shape.Planner;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.MirrorOptions;

/** The mirror's promise, over random discriminators and encoders. */
@Tier.Pure
class MirrorPropertiesTest {

  @Property(tries = 10_000)
  void generatorRestoresTheImageShapeBlockByBlock(@ForAll long seed) {
    ConvNet d = RandomNets.discriminator(new Random(seed));
    DeconvNet g = Mirror.generatorOf(d, 1 + (int) Math.floorMod(seed, 128), MirrorOptions.gan());
    assertRestores(d, g);
  }

  @Property(tries = 2_000)
  void decoderRestoresTheImageShapeBlockByBlock(@ForAll long seed) {
    ConvNet e = RandomNets.discriminator(new Random(seed));
    DeconvNet dec =
        Mirror.decoderOf(e, 16, MirrorOptions.defaults(org.convmirror.spec.ModelKind.VAE));
    assertRestores(e, dec);
  }

  private static void assertRestores(ConvNet d, DeconvNet g) {
    Plan plan = Planner.plan("generator", g);
    assertArrayEquals(d.input().toArray(), plan.output(), () -> d + " → " + g);
    // Each transposed block gives back exactly what its conv block consumed.
    List<ConvNet.Stage> stages = d.stages();
    ImageShape in = g.deconvInput();
    for (int i = 0; i < g.deconv().size(); i++) {
      DeconvBlock b = g.deconv().get(i);
      ConvNet.Stage mirrored = stages.get(stages.size() - 1 - i);
      ImageShape out = b.outputFor(in);
      assertEquals(mirrored.in().height(), out.height());
      assertEquals(mirrored.in().width(), out.width());
      in = out;
    }
  }
}
