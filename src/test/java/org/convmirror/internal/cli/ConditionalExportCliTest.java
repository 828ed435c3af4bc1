package org.convmirror.internal.cli;

import static org.convmirror.internal.cli.ExportImportCliTest.COUNT;
import static org.convmirror.internal.cli.ExportImportCliTest.SEED;
import static org.convmirror.internal.cli.ExportImportCliTest.assertClose;
import static org.convmirror.internal.cli.ExportImportCliTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.convmirror.internal.export.ConditionalWebCheck;
import org.convmirror.internal.export.Ort;
import org.convmirror.internal.export.Python;
import org.convmirror.internal.export.SafeTensors;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.nn.Labels;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.Randomness;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conditional models leave the JVM: for {@code cdcgan28}, {@code cvae28} and a conditional GAN with
 * conditional batch norm, each trained for one epoch on labelled synthetic data, the ONNX graph
 * (onnxruntime) and {@code model.py} (Debian's torch) draw {@code convmirror sample --class K}'s
 * pixels for the same latent vectors within 1e-5, the discriminator or encoder with its label gives
 * convmirror's outputs, and export → import → {@code sample --class} is bit-identical.
 */
@Tier.Process
class ConditionalExportCliTest {
  /** A small GAN whose generator's batch norms are conditional ({@code batch_norm: true}). */
  static final String CBN =
      ConditionalCliTest.GAN + "conditional: {classes: auto, embedding: 6, batch_norm: true}\n";

  @Test
  void cdcgan28() throws Exception {
    roundTrip("cdcgan28", null);
  }

  @Test
  void cvae28() throws Exception {
    roundTrip("cvae28", null);
  }

  @Test
  void conditionalBatchNorm() throws Exception {
    roundTrip("cbn", CBN);
  }

  @TempDir Path tmp;

  /** Trains, samples --class, exports every way, imports, and compares. */
  private void roundTrip(String name, String text) throws Exception {
    String model = name;
    if (text != null) {
      Path file = tmp.resolve(name + ".yaml");
      Files.writeString(file, text);
      model = file.toString();
    }
    Path runs = tmp.resolve("runs");
    ok(
        "train",
        "--model",
        model,
        "--data",
        "synthetic:64",
        "--epochs",
        "1",
        "--batch-size",
        "16",
        "--runs",
        runs.toString(),
        "--name",
        name,
        "--quiet");
    Path run = runs.resolve(name);
    float[] sampled = sample(run, tmp.resolve("s-" + name), "ring");
    ModelSpec spec;
    try (LoadedModel m = SavedModel.open(run).forSampling(false, System.err)) {
      spec = m.spec();
    }
    int latent = spec.latent();
    float[] z = Randomness.latents(SEED, 0, COUNT, latent);
    long[] labels = new long[COUNT];
    Arrays.fill(labels, 2); // ring, the third class of the synthetic data
    String derived = spec.kind() == ModelKind.GAN ? "generator" : "decoder";
    String declared = spec.kind() == ModelKind.GAN ? "discriminator" : "encoder";

    // ONNX: z and label in, sample --class's pixels out; the class count and names inside.
    Path onnxDir = tmp.resolve(name + "-onnx");
    ok("export", run.toString(), "--out", onnxDir.toString());
    byte[] onnx = Files.readAllBytes(onnxDir.resolve(derived + ".onnx"));
    float[] viaOnnx = Ort.run(onnx, "z", z, new long[] {COUNT, latent}, labels)[0];
    assertClose(sampled, viaOnnx, name + " ONNX");

    // model.py: forward(z, label) under Debian's torch.
    Path torch = tmp.resolve(name + "-torch");
    ok("export", run.toString(), "--format", "torch", "--out", torch.toString());
    Npy.write(torch.resolve("input.npy"), new long[] {COUNT, latent}, z);
    Npy.write(torch.resolve("label.npy"), new long[] {COUNT}, floats(labels));
    // The declared half with its label, in ONNX and model.py, against convmirror's own forward.
    Path declaredTorch = tmp.resolve(name + "-declared");
    ok(
        "export",
        run.toString(),
        "--format",
        "safetensors",
        "--network",
        declared,
        "--out",
        declaredTorch.toString());
    ok(
        "export",
        run.toString(),
        "--network",
        declared,
        "--out",
        declaredTorch.resolve("onnx").toString());
    float[] images = images(spec, 5);
    long[] mixed = {0, 1, 2, 1, 0};
    Npy.write(
        declaredTorch.resolve("input.npy"),
        new long[] {5, spec.image().channels(), spec.image().height(), spec.image().width()},
        images);
    Npy.write(declaredTorch.resolve("label.npy"), new long[] {5}, floats(mixed));
    Python.runModels(tmp, List.of(torch, declaredTorch));
    assertClose(sampled, Npy.read(torch.resolve("out-0.npy")).data(), name + " model.py");
    String drawn = Python.run(torch, List.of("sample.py", "--class", "RING", "--count", "3"));
    assertTrue(drawn.contains("3 images (1, "), drawn);
    assertTrue(drawn.contains(" of class ring from seed 0"), drawn);
    Process bad =
        new ProcessBuilder("/usr/bin/python3", "sample.py", "--class", "owl")
            .directory(torch.toFile())
            .start();
    String err = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, bad.waitFor(), err);
    assertEquals(
        "sample.py: class 'owl': no such class; the classes are 0 disc, 1 rectangle, 2 ring",
        err.strip());
    float[][] reference = declaredReference(run, spec, images, mixed);
    float[][] viaDeclaredOnnx =
        Ort.run(
            Files.readAllBytes(declaredTorch.resolve("onnx").resolve(declared + ".onnx")),
            "image",
            images,
            new long[] {5, spec.image().channels(), spec.image().height(), spec.image().width()},
            mixed);
    for (int k = 0; k < reference.length; k++) {
      assertRelative(reference[k], viaDeclaredOnnx[k], name + " " + declared + " ONNX " + k);
      float[] py = Npy.read(declaredTorch.resolve("out-" + k + ".npy")).data();
      assertRelative(reference[k], py, name + " " + declared + " model.py " + k);
    }

    // safetensors: the tables under PyTorch names, the classes in the metadata.
    Path weights = tmp.resolve(name + "-weights");
    ok("export", run.toString(), "--format", "safetensors", "--out", weights.toString());
    SafeTensors.Contents g = SafeTensors.read(weights.resolve(derived + ".safetensors"));
    assertEquals("3", g.metadata().get("classes"));
    assertEquals("[\"disc\",\"rectangle\",\"ring\"]", g.metadata().get("class_names"));
    assertTrue(g.tensors().containsKey("embedding.weight"), g.tensors().keySet().toString());
    if (text != null) {
      // Conditional batch norm: per-class scale and shift tables beside shared statistics.
      String norm =
          g.tensors().keySet().stream()
              .filter(k -> k.matches("layers\\.\\d+\\.norm\\.running_mean"))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no conditional batch norm in " + g.tensors().keySet()));
      String layer = norm.substring(0, norm.length() - "norm.running_mean".length());
      long features = g.tensors().get(norm).shape()[0];
      assertArrayEquals(new long[] {3, features}, g.tensors().get(layer + "weight").shape());
      assertArrayEquals(new long[] {3, features}, g.tensors().get(layer + "bias").shape());
    }

    // Import (classes: auto is resolved from the file) → sample --class: bit-identical.
    Path imported = runs.resolve(name + "-imported");
    ok(
        "import",
        model,
        "--" + derived,
        weights.resolve(derived + ".safetensors").toString(),
        "--" + declared,
        declaredTorch.resolve(declared + ".safetensors").toString(),
        "--runs",
        runs.toString(),
        "--name",
        name + "-imported",
        "--data",
        "synthetic:64",
        "--batch-size",
        "16");
    assertArrayEquals(sampled, sample(imported, tmp.resolve("i-" + name), "2"), name + " import");
    ConditionalWebCheck.check(
        run, tmp.resolve(name + "-web"), sampled, z, latent, 2, spec.image().size());
  }

  static float[] sample(Path run, Path out, String cls) throws Exception {
    ok(
        "sample",
        run.toString(),
        "--class",
        cls,
        "--count",
        "" + COUNT,
        "--seed",
        "" + SEED,
        "--out",
        out.toString());
    return Npy.read(out.resolve("samples.npy")).data();
  }

  private static float[] floats(long[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = v[i];
    return f;
  }

  private static float[] images(ModelSpec spec, int n) {
    Random r = new Random(11);
    float[] x = new float[n * spec.image().size()];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
    return x;
  }

  /**
   * convmirror's own discriminator logits, or the encoder's mean and log-variance, for images in
   * [0, 1] (mapped to the [-1, 1] training sees) and their labels.
   */
  private static float[][] declaredReference(Path run, ModelSpec spec, float[] x, long[] y)
      throws Exception {
    int n = y.length;
    int[] labels = Arrays.stream(y).mapToInt(v -> (int) v).toArray();
    ai.djl.ndarray.types.Shape shape =
        new ai.djl.ndarray.types.Shape(
            n, spec.image().channels(), spec.image().height(), spec.image().width());
    if (spec.kind() == ModelKind.VAE) {
      try (LoadedModel m = SavedModel.open(run).forSampling(false, System.err);
          NDManager tmp = m.manager().newSubManager()) {
        VaeModel.Posterior q =
            m.vae().encode(tmp.create(x, shape).mul(2).sub(1), Labels.create(tmp, labels), false);
        return new float[][] {q.mean().toFloatArray(), q.logVariance().toFloatArray()};
      }
    }
    try (SavedModel.Network d = SavedModel.open(run).network(false, false, System.err);
        NDManager tmp = d.manager().newSubManager()) {
      Block b = d.blocks().values().iterator().next();
      NDArray in = tmp.create(x, shape).mul(2).sub(1);
      NDArray out =
          b.forward(
                  new ParameterStore(d.manager(), false),
                  new NDList(in, Labels.create(tmp, labels)),
                  false)
              .singletonOrThrow();
      return new float[][] {out.toFloatArray()};
    }
  }

  /** Within 1e-5, relative above 1: logits and posterior parameters are unbounded. */
  static void assertRelative(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double scale = Math.max(1, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / scale);
    }
    assertTrue(worst <= 1e-5, what + " differs by " + worst);
  }
}
