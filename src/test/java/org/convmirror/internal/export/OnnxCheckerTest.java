package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exported ONNX models pass the ONNX project's own checker with full, strict shape inference
 * (Debian's python3-onnx), which infers the documented output shapes from the graph alone.
 */
@Tier.Process
class OnnxCheckerTest {

  /** {@code spec} with {@code classes: auto} resolved to {@code n} numbered classes. */
  static ModelSpec classes(ModelSpec spec, int n) {
    return spec.withConditioning(spec.conditioning().resolved(n, List.of()));
  }

  @Test
  void checkerAcceptsEveryKindOfExport(@TempDir Path tmp) throws Exception {
    ModelSpec edges = ModelFiles.parse(OnnxExportTest.EDGES, "edges");
    ModelSpec dcgan = ModelFiles.builtIn("dcgan28");
    ModelSpec vae = ModelFiles.builtIn("vae28");
    ModelSpec cdcgan = classes(ModelFiles.builtIn("cdcgan28"), 10);
    ModelSpec cvae = classes(ModelFiles.builtIn("cvae28"), 10);
    ModelSpec cbn =
        classes(
            ModelFiles.parse(
                OnnxExportTest.EDGES
                    + "conditional: {classes: auto, embedding: 3, batch_norm: true}\n",
                "edges-cbn"),
            4);
    List<String> args = new ArrayList<>();
    Path script = tmp.resolve("check_onnx.py");
    try (InputStream in = OnnxCheckerTest.class.getResourceAsStream("check_onnx.py")) {
      Files.write(script, in.readAllBytes());
    }
    args.add(script.toString());
    List<String> expected = new ArrayList<>();
    int i = 0;
    for (Network n : Network.values()) {
      List<ModelSpec> specs =
          n.kind() == dcgan.kind() ? List.of(dcgan, edges, cdcgan, cbn) : List.of(vae, cvae);
      for (ModelSpec spec : specs) {
        Path f = tmp.resolve(i++ + "-" + n.cliName() + ".onnx");
        Files.write(f, OnnxExport.model(OnnxGraphTest.zeros(n, spec)).toByteArray());
        args.add(f.toString());
        var s = spec.image();
        expected.add(
            switch (n) {
              case GENERATOR, DECODER ->
                  f + " image N," + s.channels() + "," + s.height() + "," + s.width();
              case DISCRIMINATOR -> f + " logit N," + spec.declared().outputSize();
              case ENCODER -> f + " log_variance N," + spec.latent();
            });
        if (spec.isConditional()) expected.add(f + " input label int64 N");
      }
    }
    String out = Python.run(tmp, args);
    for (String line : expected) assertTrue(out.contains(line), line + " not in:\n" + out);
  }
}
