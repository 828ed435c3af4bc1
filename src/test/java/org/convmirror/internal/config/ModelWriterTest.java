package org.convmirror.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.RandomNets;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** A model built in Java is recorded as text that reads back to the same model. */
@Tier.Pure
class ModelWriterTest {

  @Test
  void randomModelsAndTheBuiltInsReadBackExactly() {
    Random r = new Random(11);
    for (int i = 0; i < 500; i++) {
      ConvNet d = RandomNets.discriminator(r);
      ModelSpec spec =
          i % 2 == 0
              ? ModelSpec.gan(d, 1 + r.nextInt(128))
              : ModelSpec.vae(d, 1 + r.nextInt(32), Likelihood.values()[i % 3]);
      assertEquals(spec, ModelFiles.parse(ModelWriter.yaml(spec), "written.yaml"), "" + i);
    }
    for (String name : ModelFiles.BUILT_IN) {
      ModelSpec spec = ModelFiles.builtIn(name);
      assertEquals(spec, ModelFiles.parse(ModelWriter.yaml(spec), name), name);
    }
  }
}
