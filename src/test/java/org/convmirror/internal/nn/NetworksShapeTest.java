package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.mirror.RandomNets;
import org.convmirror.shape.Plan;
import org.convmirror.shape.Planner;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelKind;
import org.junit.jupiter.api.Test;

/** For a sample of random specs, the DJL networks' actual output shapes equal the plan's. */
@Tier.Engine
class NetworksShapeTest {

  @Test
  void actualShapesEqualThePlan() {
    Random r = new Random(2024);
    ParameterStore store = new ParameterStore();
    for (int i = 0; i < 40; i++) {
      ConvNet d = RandomNets.discriminator(r);
      if (d.input().size() > 3 * 64 * 64) continue; // keep the engine tier fast
      DeconvNet g =
          i % 2 == 0
              ? Mirror.generatorOf(d, 1 + r.nextInt(20), MirrorOptions.gan())
              : Mirror.decoderOf(d, 1 + r.nextInt(20), MirrorOptions.defaults(ModelKind.VAE));
      Plan dp = Planner.plan("d", d);
      Plan gp = Planner.plan("g", g);
      try (NDManager m = NDManager.newBaseManager()) {
        SequentialBlock dn = Networks.of(d);
        Shape in = Networks.imageShape(d.input(), 2);
        dn.initialize(m, DataType.FLOAT32, in);
        long[] dOut =
            dn.forward(store, new NDList(m.randomNormal(in)), true)
                .singletonOrThrow()
                .getShape()
                .getShape();
        long flat = 1;
        for (int v : dp.output()) flat *= v;
        assertArrayEquals(new long[] {2, flat}, dOut, d::toString);
        SequentialBlock gn = Networks.of(g);
        Shape z = Networks.latentShape(g, 2);
        gn.initialize(m, DataType.FLOAT32, z);
        long[] gOut =
            gn.forward(store, new NDList(m.randomNormal(z)), true)
                .singletonOrThrow()
                .getShape()
                .getShape();
        int[] p = gp.output();
        assertArrayEquals(new long[] {2, p[0], p[1], p[2]}, gOut, g::toString);
        assertArrayEquals(d.input().toArray(), p);
      }
    }
  }
}
