package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.RandomNets;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated {@code model.py}, run by Debian's {@code python3} with {@code python3-torch}, loads
 * the exported safetensors with {@code strict=True} and reproduces convmirror's outputs; {@code
 * sample.py} writes a grid PNG.
 */
@Tier.Process
class TorchExportTest {

  private record Case(Network network, ModelSpec spec, Fixtures.Built built, Fixtures.Input in) {}

  @Test
  void modelPyReproducesConvmirror(@TempDir Path tmp) throws Exception {
    ModelSpec gan = ModelFiles.parse(OnnxExportTest.EDGES, "edges");
    ModelSpec vae =
        ModelFiles.parse(
            OnnxExportTest.EDGES
                .replace("discriminator:", "encoder:")
                .replace(
                    "generator: {hidden_activation: gelu}",
                    "decoder: {hidden_activation: elu, likelihood: gaussian_learned}"),
            "edges-vae");
    List<Network> networks = new ArrayList<>();
    List<ModelSpec> specs = new ArrayList<>();
    for (String m : List.of("dcgan28", "vae28")) {
      ModelSpec s = ModelFiles.builtIn(m);
      add(networks, specs, Network.derived(s.kind()), s);
      add(networks, specs, Network.declared(s.kind()), s);
    }
    for (Network n : Network.values()) add(networks, specs, n, n.kind() == gan.kind() ? gan : vae);
    Random r = new Random(7);
    for (int i = 0; i < 2; i++) {
      ConvNet d = RandomNets.discriminator(r);
      ModelSpec g = ModelSpec.gan(d, 1 + r.nextInt(16));
      add(networks, specs, Network.GENERATOR, g);
      add(networks, specs, Network.DISCRIMINATOR, g);
      add(networks, specs, Network.DECODER, ModelSpec.vae(d, 1 + r.nextInt(16)));
    }
    List<Case> cases = new ArrayList<>();
    List<Path> folders = new ArrayList<>();
    try (Fixtures f = new Fixtures()) {
      for (int i = 0; i < networks.size(); i++) {
        Case c = prepare(f, networks.get(i), specs.get(i), i, tmp.resolve("case-" + i));
        cases.add(c);
        folders.add(tmp.resolve("case-" + i));
      }
      Python.runModels(tmp, folders);
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        float[][] expected = c.built().reference().apply(c.in().values(), c.in().n());
        float[][] actual = new float[expected.length][];
        for (int k = 0; k < expected.length; k++) {
          actual[k] = Npy.read(tmp.resolve("case-" + i).resolve("out-" + k + ".npy")).data();
        }
        double worst = Fixtures.worst(c.network(), expected, actual);
        assertTrue(
            worst <= OnnxExportTest.TOLERANCE,
            "case " + i + " " + c.network() + " " + c.spec().image() + ": " + worst);
      }
    }
  }

  private static void add(List<Network> n, List<ModelSpec> s, Network network, ModelSpec spec) {
    n.add(network);
    s.add(spec);
  }

  private static Case prepare(Fixtures f, Network network, ModelSpec spec, long seed, Path dir)
      throws Exception {
    Fixtures.Built b = f.build(network, spec, seed);
    TorchExport.write(b.net(), dir, false);
    Fixtures.Input in = Fixtures.Input.random(network, spec, 3, seed);
    Npy.write(dir.resolve("input.npy"), in.shape(), in.values());
    return new Case(network, spec, b, in);
  }

  @Test
  void samplePyWritesAGrid(@TempDir Path tmp) throws Exception {
    try (Fixtures f = new Fixtures()) {
      Fixtures.Built b = f.build(Network.GENERATOR, ModelFiles.builtIn("dcgan28"), 3);
      List<Path> files = TorchExport.write(b.net(), tmp, true);
      assertEquals(3, files.size(), files.toString());
    }
    String out = Python.run(tmp, List.of("sample.py", "--count", "10", "--out", "grid.png"));
    assertTrue(out.contains("wrote grid.png: 10 images"), out);
    BufferedImage grid = ImageIO.read(tmp.resolve("grid.png").toFile());
    assertNotNull(grid, "grid.png is not a PNG");
    // 10 images of 28×28 upscaled ×3, four columns and three rows, 2-pixel gaps.
    assertEquals(4 * (84 + 2) + 2, grid.getWidth());
    assertEquals(3 * (84 + 2) + 2, grid.getHeight());
  }
}
