package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.mirror.RandomNets;
import org.convmirror.spec.Activation;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * The projection term and the label embedding against plain-Java values of tiny cases, and the
 * conditional networks' real output shapes for random conditional models.
 */
@Tier.Engine
class ConditionalNetworksTest {
  /** 1×2×2 images; φ = a 1×1 conv to 2 channels (no activation); head = a 2×2 conv to 1. */
  private static final ConvNet TINY_D =
      new ConvNet(
          ImageShape.of(1, 2, 2),
          List.of(
              ConvBlock.builder(2, 1).activation(Activation.NONE).build(),
              ConvBlock.builder(1, 2).activation(Activation.NONE).build()));

  /** Sets every parameter to small distinct values, in the order the block lists them. */
  private static void fill(Block b) {
    int k = 0;
    for (Parameter p : b.getParameters().values()) {
      NDArray a = p.getArray();
      float[] v = new float[Math.toIntExact(a.size())];
      for (int i = 0; i < v.length; i++) v[i] = 0.1f * (((k++ * 7) % 11) - 5);
      a.set(v);
    }
  }

  private static float[] values(Block b, String suffix) {
    for (var e : b.getParameters()) {
      if (e.getKey().endsWith(suffix)) return e.getValue().getArray().toFloatArray();
    }
    throw new AssertionError("no parameter " + suffix + " in " + b.getParameters().keys());
  }

  @Test
  void theProjectionAddsTheEmbeddingDottedWithTheSumPooledFeatures() {
    try (NDManager m = NDManager.newBaseManager()) {
      ProjectionDiscriminator d = ProjectionDiscriminator.of(TINY_D, 3, 2);
      d.initialize(m, DataType.FLOAT32, new Shape(2, 1, 2, 2), new Shape(2));
      fill(d);
      List<String> names = d.getParameters().keys();
      // The declared layers' weights, in order: conv1 w (2), b (2), head w (2·2·2), b (1).
      float[] w1 = values(d, names.get(1));
      float[] b1 = values(d, names.get(2));
      float[] wh = values(d, names.get(3));
      float[] bh = values(d, names.get(4));
      float[] v = values(d, ProjectionDiscriminator.EMBEDDING); // (3, 2)
      float[] x = {0.5f, -1f, 2f, 0.25f, -0.5f, 1.5f, 0f, -2f};
      int[] y = {2, 0};
      NDArray labels = Labels.create(m, y);
      ParameterStore store = new ParameterStore(m, false);
      NDArray out;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        out = d.forward(store, new NDList(m.create(x, new Shape(2, 1, 2, 2)), labels), true).head();
        gc.backward(out.sum());
      }
      assertArrayEquals(
          new long[] {2, 1}, out.getShape().getShape()); // flattened, as Networks does
      float[] got = out.toFloatArray();
      float[] vGrad = new float[6];
      for (int n = 0; n < 2; n++) {
        double logit = bh[0];
        double[] pooled = new double[2];
        for (int c = 0; c < 2; c++) {
          for (int p = 0; p < 4; p++) {
            double phi = w1[c] * x[n * 4 + p] + b1[c];
            logit += wh[c * 4 + p] * phi;
            pooled[c] += phi;
          }
        }
        double projection = v[y[n] * 2] * pooled[0] + v[y[n] * 2 + 1] * pooled[1];
        assertEquals(logit + projection, got[n], 1e-5, "image " + n);
        for (int c = 0; c < 2; c++) vGrad[y[n] * 2 + c] += (float) pooled[c];
      }
      // d(sum of logits)/dV: each image's pooled features land in its class's row, class 1 none.
      Parameter table = d.getParameters().get(ProjectionDiscriminator.EMBEDDING);
      assertArrayEquals(vGrad, table.getArray().getGradient().toFloatArray(), 1e-5f);
    }
  }

  @Test
  void theGeneratorStartsFromTheLatentJoinedWithTheLabelsRow() {
    ModelSpec spec = ModelSpec.gan(TINY_D, 3).withConditioning(Conditioning.of(4).withEmbedding(2));
    DeconvNet net = Mirror.of(spec);
    try (NDManager m = NDManager.newBaseManager()) {
      ConditionalGenerator g = ConditionalGenerator.of(net, 3, spec.conditioning());
      g.initialize(m, DataType.FLOAT32, new Shape(2, 3), new Shape(2));
      fill(g);
      SequentialBlock plain = Networks.of(net);
      plain.initialize(m, DataType.FLOAT32, new Shape(2, 5, 1, 1));
      // The same layer weights in the plain network: the embedding is g's first parameter.
      List<Parameter> gp = List.copyOf(g.getParameters().values());
      List<Parameter> pp = List.copyOf(plain.getParameters().values());
      assertEquals(gp.size() - 1, pp.size());
      for (int i = 0; i < pp.size(); i++)
        pp.get(i).getArray().set(gp.get(i + 1).getArray().toFloatArray());
      float[] table = values(g, ConditionalGenerator.EMBEDDING); // (4, 2)
      float[] z = {0.3f, -0.7f, 1.1f, -1.5f, 0.2f, 0.9f};
      int[] y = {3, 1};
      float[] joined = new float[10];
      for (int n = 0; n < 2; n++) {
        System.arraycopy(z, n * 3, joined, n * 5, 3);
        System.arraycopy(table, y[n] * 2, joined, n * 5 + 3, 2);
      }
      ParameterStore store = new ParameterStore(m, false);
      float[] got =
          g.forward(store, new NDList(m.create(z, new Shape(2, 3)), Labels.create(m, y)), false)
              .head()
              .toFloatArray();
      float[] want =
          plain
              .forward(store, new NDList(m.create(joined, new Shape(2, 5, 1, 1))), false)
              .head()
              .toFloatArray();
      assertArrayEquals(want, got, 1e-6f);
    }
  }

  @Test
  void conditionalNetworksOfRandomModelsMakeTheImageAndTheDeclaredOutputs() {
    Random r = new Random(11);
    ParameterStore store = new ParameterStore();
    int built = 0;
    for (int i = 0; built < 12 && i < 200; i++) {
      ConvNet d = RandomNets.discriminator(r);
      if (d.input().size() > 3 * 32 * 32) continue; // keep the engine tier fast
      built++;
      Conditioning c = Conditioning.of(2 + r.nextInt(5)).withEmbedding(1 + r.nextInt(8));
      boolean gan = i % 2 == 0;
      ModelSpec spec =
          (gan ? ModelSpec.gan(d, 1 + r.nextInt(16)) : ModelSpec.vae(d, 4, Likelihood.BERNOULLI))
              .withConditioning(c.withBatchNorm(r.nextBoolean() && hasBatchNorm(d, gan)));
      DeconvNet g = Mirror.of(spec);
      LatentInput input = LatentInput.of(spec, g);
      try (NDManager m = NDManager.newBaseManager()) {
        Block gn = ModelNetworks.derived(spec, g);
        gn.initialize(m, DataType.FLOAT32, input.shapes(2));
        float[] z = new float[2 * spec.latent()];
        NDList in = input.create(m, z, new int[] {0, c.classes() - 1}, 2);
        long[] out = gn.forward(store, in, true).head().getShape().getShape();
        ImageShape s = spec.image();
        assertArrayEquals(new long[] {2, s.channels(), s.height(), s.width()}, out, spec::toString);
        if (!gan) continue;
        Block dn = ModelNetworks.discriminator(spec);
        dn.initialize(m, DataType.FLOAT32, ModelNetworks.discriminatorShapes(spec, 2));
        NDArray x = m.randomNormal(Networks.imageShape(s, 2));
        NDArray logit =
            dn.forward(store, new NDList(x, Labels.create(m, new int[] {1, 0})), true).head();
        SequentialBlock plainD = Networks.of(d);
        plainD.initialize(m, DataType.FLOAT32, Networks.imageShape(s, 2));
        // The projection is added to every output of the head: D's outputs keep their shape.
        assertEquals(plainD.getOutputShapes(new Shape[] {x.getShape()})[0], logit.getShape());
      }
    }
    assertEquals(12, built);
  }

  /** Conditional batch norm is allowed only where the derived half has batch norm. */
  private static boolean hasBatchNorm(ConvNet d, boolean gan) {
    ModelSpec s = gan ? ModelSpec.gan(d, 4) : ModelSpec.vae(d, 4, Likelihood.BERNOULLI);
    return s.mirror().batchNorm();
  }
}
