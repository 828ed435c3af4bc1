package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.RandomNets;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** The exported ONNX model run in onnxruntime gives convmirror's outputs for the same inputs. */
@Tier.Engine
class OnnxExportTest {
  static final double TOLERANCE = 1e-5;

  @Test
  void builtInModels() throws Exception {
    try (Fixtures f = new Fixtures()) {
      check(f, Network.GENERATOR, ModelFiles.builtIn("dcgan28"), 1);
      check(f, Network.DISCRIMINATOR, ModelFiles.builtIn("dcgan28"), 2);
      check(f, Network.GENERATOR, ModelFiles.builtIn("dcgan64"), 3);
      check(f, Network.DISCRIMINATOR, ModelFiles.builtIn("dcgan64"), 4);
      check(f, Network.DECODER, ModelFiles.builtIn("vae28"), 5);
      check(f, Network.ENCODER, ModelFiles.builtIn("vae28"), 6);
    }
  }

  /**
   * Hand-made cases random specs do not reach: every activation, and an undone pool whose ratio (14
   * → 16) onnxruntime's Resize would get wrong, exported as Gather.
   */
  static final String EDGES =
      """
      image: {channels: 2, height: 16, width: 16}
      latent: 5
      discriminator:
        conv:
          - {filters: 3, kernel: 1, activation: elu, max_pool: {kernel: 3, stride: 1}}
          - {filters: 4, kernel: [3, 2], stride: 2, dilation: [1, 2], batch_norm: true, activation: gelu}
          - {filters: 5, kernel: 2, activation: tanh, spectral_norm: true}
        dense:
          - {units: 7, activation: sigmoid, batch_norm: true, spectral_norm: true}
          - {units: 2, activation: leaky_relu(0.1)}
      generator: {hidden_activation: gelu}
      """;

  @Test
  void everyActivationAndGather() throws Exception {
    ModelSpec gan = ModelFiles.parse(EDGES, "edges");
    ModelSpec vae =
        ModelFiles.parse(
            EDGES
                .replace("discriminator:", "encoder:")
                .replace(
                    "generator: {hidden_activation: gelu}",
                    "decoder: {hidden_activation: elu, likelihood: gaussian}"),
            "edges-vae");
    Coverage seen = new Coverage();
    seen.add(gan);
    assertTrue(seen.has("upsample as Gather"), "14 → 16 must go through Gather");
    try (Fixtures f = new Fixtures()) {
      for (Network n : Network.values()) check(f, n, n.kind() == ModelKind.GAN ? gan : vae, 7);
    }
  }

  /**
   * Random declared halves (odd, non-square, strided, dilated, pooled, dense heads, spectral norm,
   * dropout) and both halves of a GAN and a VAE made from each.
   */
  @Test
  void randomSpecs() throws Exception {
    Random r = new Random(20240612);
    Coverage seen = new Coverage();
    try (Fixtures f = new Fixtures()) {
      for (int i = 0; i < RANDOM_MODELS; i++) {
        ConvNet d = RandomNets.discriminator(r);
        int latent = 1 + r.nextInt(24);
        ModelSpec gan = ModelSpec.gan(d, latent);
        Likelihood lik = Likelihood.values()[i % 3];
        ModelSpec vae =
            new ModelSpec(ModelKind.VAE, d.input(), latent, d, MirrorOptions.vae(lik), lik);
        seen.add(gan);
        seen.add(vae);
        check(f, Network.GENERATOR, gan, 100 + i);
        check(f, Network.DISCRIMINATOR, gan, 200 + i);
        check(f, Network.DECODER, vae, 300 + i);
        check(f, Network.ENCODER, vae, 400 + i);
      }
    }
    seen.assertComplete();
  }

  static final int RANDOM_MODELS = 8;

  static double check(Fixtures f, Network network, ModelSpec spec, long seed) throws Exception {
    Fixtures.Built b = f.build(network, spec, seed);
    Fixtures.Input in = Fixtures.Input.random(network, spec, 3, seed);
    float[][] expected = b.reference().apply(in.values(), in.n());
    byte[] onnx = OnnxExport.model(b.net()).toByteArray();
    float[][] actual = Ort.run(onnx, network.isDerived() ? "z" : "image", in.values(), in.shape());
    double worst = Fixtures.worst(network, expected, actual);
    assertTrue(
        worst <= TOLERANCE,
        network + " of a " + spec.kind() + " for " + spec.image() + ": max difference " + worst);
    return worst;
  }
}
