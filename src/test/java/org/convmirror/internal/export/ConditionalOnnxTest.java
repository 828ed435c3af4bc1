package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.gan.GanNetworks;
import org.convmirror.internal.model.GanFamily;
import org.convmirror.internal.model.VaeFamily;
import org.convmirror.internal.nn.Labels;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeSampler;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * Every network of conditional models the CLI test does not train — conditional batch norm in dense
 * and conv layers, a spectrally normalised projection discriminator with a dense head, every
 * activation, a CVAE with conditional batch norm — with weights and statistics far from their
 * initialisation, exported to ONNX and run in onnxruntime with mixed labels: convmirror's outputs
 * within 1e-5.
 */
@Tier.Engine
class ConditionalOnnxTest {
  static final String CBN = "conditional: {classes: auto, embedding: 3, batch_norm: true}\n";

  @Test
  void conditionalNetworksWithLabels() throws Exception {
    ModelSpec gan = OnnxCheckerTest.classes(ModelFiles.parse(OnnxExportTest.EDGES + CBN, "e"), 4);
    ModelSpec vae =
        OnnxCheckerTest.classes(
            ModelFiles.parse(
                OnnxExportTest.EDGES
                        .replace("discriminator:", "encoder:")
                        .replace(
                            "generator: {hidden_activation: gelu}",
                            "decoder: {hidden_activation: elu, likelihood: gaussian}")
                    + CBN,
                "ev"),
            4);
    ModelSpec cdcgan = OnnxCheckerTest.classes(ModelFiles.builtIn("cdcgan28"), 10);
    ModelSpec cvae = OnnxCheckerTest.classes(ModelFiles.builtIn("cvae28"), 10);
    long seed = 1;
    for (ModelSpec spec : List.of(gan, vae, cdcgan, cvae)) {
      for (Network n : List.of(Network.derived(spec.kind()), Network.declared(spec.kind()))) {
        check(n, spec, seed++);
      }
    }
  }

  private static void check(Network network, ModelSpec spec, long seed) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(m, false);
      Map<String, Block> blocks = new LinkedHashMap<>();
      VaeModel vae = null;
      GanNetworks gans = null;
      if (spec.kind() == ModelKind.GAN) {
        GanNetworks n = gans = new GanFamily(spec).networks(seed);
        blocks.put(GanFamily.GENERATOR, n.byEntry().get(GanFamily.GENERATOR));
        blocks.put(GanFamily.DISCRIMINATOR, n.byEntry().get(GanFamily.DISCRIMINATOR));
      } else {
        vae = Objectives.vaeModel(spec, m, seed);
        blocks.putAll(vae.blocks());
      }
      for (Block b : blocks.values()) scramble(m, b, seed);
      int classes = spec.conditioning().classes();
      int n = 5;
      long[] y = new long[n];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) labels[i] = (int) (y[i] = (i * 3 + seed) % classes);
      Random r = new Random(seed);
      Shape images = Networks.imageShape(spec.image(), n);
      // Training-mode passes move every running statistic away from 0 and 1.
      Engine.getInstance().setRandomSeed((int) seed);
      for (int k = 0; k < 3; k++) {
        try (NDManager t = m.newSubManager()) {
          NDArray lab = Labels.create(t, labels);
          if (vae != null) {
            VaeModel.Posterior q = vae.encode(t.randomUniform(-1, 1, images), lab, true);
            vae.decode(VaeModel.sample(q, t.randomNormal(q.mean().getShape())), lab, true);
          } else {
            Block g = blocks.get(GanFamily.GENERATOR);
            g.forward(store, new NDList(t.randomNormal(new Shape(n, spec.latent())), lab), true);
            blocks
                .get(GanFamily.DISCRIMINATOR)
                .forward(store, new NDList(t.randomUniform(-1, 1, images), lab), true);
          }
        }
      }
      List<String> entries =
          spec.kind() == ModelKind.GAN
              ? List.of(network.isDerived() ? GanFamily.GENERATOR : GanFamily.DISCRIMINATOR)
              : network.isDerived() ? List.of(VaeFamily.DECODER) : VaeFamily.encoderEntries();
      List<Part> parts = network.parts(spec);
      int[] block = Part.blocks(parts);
      Map<String, Tensor> weights = new LinkedHashMap<>();
      for (int i = 0; i < parts.size(); i++) {
        weights.putAll(BlockWeights.read(blocks.get(entries.get(block[i])), parts.get(i), 0));
      }
      ExportedNetwork net = new ExportedNetwork(network, spec, weights, Map.of());
      byte[] onnx = OnnxExport.model(net).toByteArray();
      float[][] expected;
      float[][] actual;
      try (NDManager t = m.newSubManager()) {
        NDArray lab = Labels.create(t, labels);
        if (network.isDerived()) {
          float[] z = new float[n * spec.latent()];
          for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
          NDArray zs = t.create(z, new Shape(n, spec.latent()));
          float[] x;
          if (vae != null) {
            x = VaeSampler.decode(vae, zs, lab);
          } else {
            x =
                blocks
                    .get(GanFamily.GENERATOR)
                    .forward(store, new NDList(zs, lab), false)
                    .singletonOrThrow()
                    .toFloatArray();
            for (int i = 0; i < x.length; i++) x[i] = Math.min(1f, Math.max(0f, (x[i] + 1) / 2));
          }
          expected = new float[][] {x};
          actual = Ort.run(onnx, "z", z, new long[] {n, spec.latent()}, y);
        } else {
          float[] x = new float[n * spec.image().size()];
          for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
          NDArray in = t.create(x, images).mul(2).sub(1);
          if (vae != null) {
            VaeModel.Posterior q = vae.encode(in, lab, false);
            expected = new float[][] {q.mean().toFloatArray(), q.logVariance().toFloatArray()};
          } else {
            expected =
                new float[][] {
                  blocks
                      .get(GanFamily.DISCRIMINATOR)
                      .forward(store, new NDList(in, lab), false)
                      .singletonOrThrow()
                      .toFloatArray()
                };
          }
          actual = Ort.run(onnx, "image", x, images.getShape(), y);
        }
      }
      double worst = Fixtures.worst(network, expected, actual);
      assertTrue(
          worst <= OnnxExportTest.TOLERANCE,
          network + " of a conditional " + spec.kind() + " " + spec.image() + ": " + worst);
      if (vae != null) vae.close();
      if (gans != null) gans.close();
    }
  }

  /**
   * Weights of order one, γ and β tables away from 1 and 0; the frozen scale and shift of a
   * conditional batch norm's inner normalisation stay 1 and 0, as training leaves them.
   */
  private static void scramble(NDManager m, Block block, long seed) {
    Engine.getInstance().setRandomSeed((int) seed + 7);
    for (Parameter p : block.getParameters().values()) {
      if (!p.requiresGradient()) continue;
      NDArray a = p.getArray();
      long[] s = a.getShape().getShape();
      float mean = 0;
      float std;
      switch (p.getType()) {
        case WEIGHT -> std = (float) Math.sqrt(2.0 / Math.max(1, a.size() / s[0]));
        case GAMMA -> {
          mean = 1;
          std = 0.3f;
        }
        case BIAS, BETA -> std = 0.2f;
        default -> {
          continue;
        }
      }
      try (NDManager t = m.newSubManager()) {
        a.set(t.randomNormal(mean, std, a.getShape(), DataType.FLOAT32).toByteBuffer());
      }
    }
  }
}
