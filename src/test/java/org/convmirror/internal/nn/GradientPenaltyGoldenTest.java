package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.InputStream;
import java.util.List;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * WGAN-GP and R1 against PyTorch 1.13 on the same tiny critics, weights and inputs (written by
 * {@code tools/make_gradient_penalty_golden.py}): value, critic output and the gradient with
 * respect to every parameter, through batch norm and through spectral norm in training mode.
 */
@Tier.Engine
class GradientPenaltyGoldenTest {

  private static Conv2d.Builder conv(int filters, int k, int s, int p) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(k, k))
        .optStride(new Shape(s, s))
        .optPadding(new Shape(p, p));
  }

  private static SnConv2d snConv(int filters) {
    return SnConv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(4, 4))
        .optStride(new Shape(2, 2))
        .optPadding(new Shape(1, 1))
        .build();
  }

  /** The script's critics; {@code order[i]} is the golden index of DJL's i-th trainable array. */
  private record Critic(SequentialBlock block, int[] order) {}

  private static Critic critic(String name) {
    if (name.equals("bn")) {
      return new Critic(
          new SequentialBlock()
              .add(conv(4, 4, 2, 1).build())
              .add(Activation.leakyReluBlock(0.2f))
              .add(conv(8, 4, 2, 1).optBias(false).build())
              .add(BatchNorm.builder().optEpsilon(1e-5f).build())
              .add(Activation.leakyReluBlock(0.2f))
              .add(conv(1, 2, 1, 0).build())
              .add(Blocks.batchFlattenBlock()),
          new int[] {0, 1, 2, 3, 4, 5, 6});
    }
    return new Critic(
        new SequentialBlock()
            .add(snConv(4))
            .add(Activation.leakyReluBlock(0.2f))
            .add(snConv(8))
            .add(Activation.leakyReluBlock(0.2f))
            .add(Blocks.batchFlattenBlock())
            .add(SnLinear.builder().setUnits(1).build()),
        new int[] {1, 0, 3, 2, 5, 4}); // PyTorch lists bias before weight_orig
  }

  private static List<Parameter> trainable(SequentialBlock b) {
    return b.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
  }

  /** Loads the golden weights and spectral-norm vectors into a freshly initialised critic. */
  private static SequentialBlock load(String name, NDList golden, NDManager m) {
    Critic c = critic(name);
    c.block().initialize(m, DataType.FLOAT32, new Shape(4, 1, 8, 8));
    List<Parameter> params = trainable(c.block());
    for (int i = 0; i < params.size(); i++) {
      NDArray g = golden.get(name + "_p" + c.order()[i]);
      assertEquals(g.getShape(), params.get(i).getArray().getShape(), params.get(i).getName());
      params.get(i).getArray().set(g.toFloatArray());
    }
    int u = 0;
    int v = 0;
    for (Parameter p : c.block().getParameters().values()) {
      if (p.getName().equals("u")) p.getArray().set(golden.get(name + "_u" + u++).toFloatArray());
      if (p.getName().equals("v")) p.getArray().set(golden.get(name + "_v" + v++).toFloatArray());
    }
    return c.block();
  }

  private static void assertClose(NDArray expected, NDArray actual, String what) {
    float[] e = expected.toFloatArray();
    float[] a = actual.toFloatArray();
    assertEquals(e.length, a.length, what);
    double scale = 0;
    for (float x : e) scale = Math.max(scale, Math.abs(x));
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], 1e-7 + 2e-5 * scale, what + "[" + i + "]");
    }
  }

  @Test
  void penaltiesAndTheirParameterGradientsMatchPyTorch() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        InputStream is = getClass().getResourceAsStream("/golden/gradient_penalty.npz")) {
      NDList golden = NDList.decode(m, is);
      float lambda = 10;
      float gamma = 10;
      for (String name : List.of("bn", "sn")) {
        for (String kind : List.of("wgangp", "r1")) {
          SequentialBlock d = load(name, golden, m);
          String id = name + "_" + kind;
          try (NDManager step = m.newSubManager();
              GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray real = step.create(golden.get("real").toFloatArray(), new Shape(4, 1, 8, 8));
            NDArray fake = step.create(golden.get("fake").toFloatArray(), new Shape(4, 1, 8, 8));
            var critic = GradientPenalty.critic(d, new ParameterStore(m, false));
            GradientPenalty.Result r =
                kind.equals("wgangp")
                    ? GradientPenalty.wganGp(
                        critic, real, fake, golden.get("eps").toFloatArray(), lambda)
                    : GradientPenalty.r1(critic, real, gamma);
            assertClose(golden.get(id + "_value"), r.penalty().reshape(1), id + " value");
            assertClose(golden.get(id + "_out"), r.output(), id + " critic output");
            gc.backward(r.penalty());
            List<Parameter> params = trainable(d);
            int[] order = critic(name).order();
            for (int i = 0; i < params.size(); i++) {
              assertClose(
                  golden.get(id + "_g" + order[i]),
                  params.get(i).getArray().getGradient(),
                  id + " gradient of " + params.get(i).getName());
            }
          }
        }
      }
    }
  }
}
