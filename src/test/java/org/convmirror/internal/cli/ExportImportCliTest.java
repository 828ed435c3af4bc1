package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.export.Ort;
import org.convmirror.internal.export.Python;
import org.convmirror.internal.export.SafeTensors;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.Randomness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export and import commands on tiny trained runs: ONNX and model.py give exactly what {@code
 * convmirror sample} draws, an exported-then-imported run samples identical images and trains on.
 */
@Tier.Process
class ExportImportCliTest {
  /** A small DCGAN: the CLI round trip needs a trained run, not a big one. */
  static final String GAN =
      """
      image: {channels: 1, height: 16, width: 16}
      latent: 8
      discriminator:
        conv:
          - {filters: 8, kernel: 4, stride: 2, padding: 1}
          - {filters: 16, kernel: 4, stride: 2, padding: 1, batch_norm: true}
          - {filters: 1, kernel: 4, activation: none}
      """;

  static final int COUNT = 12;
  static final long SEED = 5;

  static PlanCommandTest.Result run(String... args) {
    return PlanCommandTest.run(args);
  }

  static PlanCommandTest.Result ok(String... args) {
    PlanCommandTest.Result r = run(args);
    assertEquals(0, r.code(), String.join(" ", args) + ":\n" + r.err() + r.out());
    return r;
  }

  /** Trains a tiny run of {@code model} for one epoch on synthetic data. */
  static void train(Path model, Path runs, String name) {
    ok(
        "train",
        "--model",
        model.toString(),
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
  }

  /** Imports the given weights as run {@code imported}, to continue on synthetic data. */
  static PlanCommandTest.Result importRun(Path model, Path runs, String... weights) {
    List<String> args = new java.util.ArrayList<>(List.of("import", model.toString()));
    args.addAll(List.of(weights));
    args.addAll(
        List.of(
            "--runs",
            runs.toString(),
            "--name",
            "imported",
            "--data",
            "synthetic:64",
            "--batch-size",
            "16"));
    return ok(args.toArray(String[]::new));
  }

  /** The latent vectors {@code sample --seed SEED --count COUNT} draws, as (COUNT, latent). */
  static float[] sampledLatents(int latent) {
    return Randomness.latents(SEED, 0, COUNT, latent);
  }

  static float[] sample(Path run, Path out) throws Exception {
    ok(
        "sample",
        run.toString(),
        "--count",
        "" + COUNT,
        "--seed",
        "" + SEED,
        "--out",
        out.toString());
    return Npy.read(out.resolve("samples.npy")).data();
  }

  @Test
  void ganExportsMatchSampleAndImportRoundTrips(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("gan.yaml");
    Files.writeString(model, GAN);
    Path runs = tmp.resolve("runs");
    train(model, runs, "g");
    Path run = runs.resolve("g");
    float[] sampled = sample(run, tmp.resolve("s-original"));
    float[] z = sampledLatents(8);

    // ONNX in onnxruntime: the same images for the same latents, and the provenance inside.
    Path onnxDir = tmp.resolve("onnx");
    ok("export", run.toString(), "--out", onnxDir.toString());
    byte[] onnx = Files.readAllBytes(onnxDir.resolve("generator.onnx"));
    assertClose(sampled, Ort.run(onnx, "z", z, new long[] {COUNT, 8})[0], "ONNX");
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx)) {
      Map<String, String> meta = s.getMetadata().getCustomMetadata();
      assertEquals("generator", meta.get("network"));
      assertEquals("generator_ema (weight average)", meta.get("weights"));
      assertEquals("step-0000004", meta.get("checkpoint"));
      assertTrue(meta.get("model_yaml").contains("discriminator:"), meta.toString());
      assertTrue(meta.get("training_provenance").contains("djlVersion"), meta.toString());
    }

    // --raw: the trained generator, as sample --raw draws it.
    ok("export", run.toString(), "--raw", "--out", tmp.resolve("raw").toString());
    ok(
        "sample",
        run.toString(),
        "--raw",
        "--count",
        "" + COUNT,
        "--seed",
        "" + SEED,
        "--out",
        tmp.resolve("s-raw").toString());
    float[] raw = Npy.read(tmp.resolve("s-raw/samples.npy")).data();
    byte[] rawOnnx = Files.readAllBytes(tmp.resolve("raw/generator.onnx"));
    assertClose(raw, Ort.run(rawOnnx, "z", z, new long[] {COUNT, 8})[0], "ONNX --raw");
    assertFalse(java.util.Arrays.equals(raw, sampled), "the average and the trained weights");

    // The torch folder: model.py under Debian's torch gives the same images.
    Path torch = tmp.resolve("torch");
    ok("export", run.toString(), "--format", "torch", "--out", torch.toString());
    Npy.write(torch.resolve("input.npy"), new long[] {COUNT, 8}, z);
    Python.runModels(tmp, List.of(torch));
    assertClose(sampled, Npy.read(torch.resolve("out-0.npy")).data(), "model.py");

    // Export both halves as state dicts, import them, and sample the imported run.
    ok("export", run.toString(), "--format", "safetensors", "--out", tmp.resolve("g").toString());
    ok(
        "export",
        run.toString(),
        "--format",
        "safetensors",
        "--network",
        "discriminator",
        "--out",
        tmp.resolve("d").toString());
    SafeTensors.Contents g = SafeTensors.read(tmp.resolve("g/generator.safetensors"));
    assertEquals("pt", g.metadata().get("format"));
    // Issue 21 (privacy): the run by its name, never its absolute path or the command line.
    assertEquals("g", g.metadata().get("run"));
    for (String v : g.metadata().values()) {
      assertFalse(v.contains(tmp.toAbsolutePath().toString()), "an absolute path: " + v);
      assertFalse(v.contains("commandLine"), "the command line: " + v);
    }
    PlanCommandTest.Result r =
        importRun(
            model,
            runs,
            "--generator",
            tmp.resolve("g/generator.safetensors").toString(),
            "--discriminator",
            tmp.resolve("d/discriminator.safetensors").toString());
    assertTrue(r.out().contains("checkpoint step-0000000 (seed 42)"), r.out());
    Path imported = runs.resolve("imported");
    assertArrayEquals(sampled, sample(imported, tmp.resolve("s-imported")), "imported samples");

    // Mistakes in what to export are one line and exit code 2.
    PlanCommandTest.Result bad = run("export", run.toString(), "--network", "encoder");
    assertEquals(2, bad.code(), bad.err());
    assertEquals(
        "convmirror: --network must be generator or discriminator for a GAN, was 'encoder'",
        bad.err().strip());
    bad = run("export", run.toString(), "--format", "web", "--network", "discriminator");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().startsWith("convmirror: --format web draws images"), bad.err());

    // --serve: the page on localhost, with the content types WebAssembly needs.
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path web = tmp.resolve("web");
    Thread server =
        new Thread(
            () ->
                Main.run(
                    "export",
                    run.toString(),
                    "--format",
                    "web",
                    "--serve",
                    "--port",
                    "" + port,
                    "--out",
                    web.toString()),
            "convmirror-serve");
    server.setDaemon(true); // serves until the test JVM ends
    server.start();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page = null;
    for (int i = 0; i < 300 && page == null; i++) {
      try {
        page =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    assertTrue(page != null && page.statusCode() == 200, "no page on port " + port);
    assertTrue(page.body().contains("ort/ort.wasm.min.js"), page.body());
    HttpResponse<Void> wasm =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/ort/ort-wasm-simd-threaded.wasm"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertEquals("application/wasm", wasm.headers().firstValue("Content-Type").orElse(""));

    // Training continues from the imported checkpoint.
    ok("train", "--resume", imported.toString(), "--epochs", "1", "--quiet");
    assertEquals(4, MetricsLog.read(imported.resolve("losses.csv")).column("iteration").length);
    assertTrue(Files.isDirectory(imported.resolve("checkpoints/step-0000004")));
  }

  @Test
  void vaeRoundTripKeepsTheLearnedVariance(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("vae.yaml");
    Files.writeString(model, VaeCliTest.MODEL.replace("bernoulli", "gaussian_learned"));
    Path runs = tmp.resolve("runs");
    train(model, runs, "v");
    Path run = runs.resolve("v");
    float[] sampled = sample(run, tmp.resolve("s-original"));
    Path onnxDir = tmp.resolve("onnx");
    ok("export", run.toString(), "--out", onnxDir.toString());
    float[] z = sampledLatents(4);
    byte[] onnx = Files.readAllBytes(onnxDir.resolve("decoder.onnx"));
    assertClose(sampled, Ort.run(onnx, "z", z, new long[] {COUNT, 4})[0], "decoder ONNX");

    ok("export", run.toString(), "--format", "safetensors", "--out", tmp.resolve("dec").toString());
    ok(
        "export",
        run.toString(),
        "--format",
        "safetensors",
        "--network",
        "encoder",
        "--out",
        tmp.resolve("enc").toString());
    SafeTensors.Contents dec = SafeTensors.read(tmp.resolve("dec/decoder.safetensors"));
    assertTrue(
        dec.tensors().containsKey("observation_log_variance"), dec.tensors().keySet().toString());
    importRun(
        model,
        runs,
        "--decoder",
        tmp.resolve("dec/decoder.safetensors").toString(),
        "--encoder",
        tmp.resolve("enc/encoder.safetensors").toString());
    Path imported = runs.resolve("imported");
    assertArrayEquals(sampled, sample(imported, tmp.resolve("s-imported")), "imported samples");
    // The imported encoder and learned variance are the exported ones, bit for bit.
    ok(
        "export",
        imported.toString(),
        "--format",
        "safetensors",
        "--network",
        "encoder",
        "--out",
        tmp.resolve("enc2").toString());
    ok(
        "export",
        imported.toString(),
        "--format",
        "safetensors",
        "--out",
        tmp.resolve("dec2").toString());
    assertSameTensors(
        tmp.resolve("enc/encoder.safetensors"), tmp.resolve("enc2/encoder.safetensors"));
    assertSameTensors(
        tmp.resolve("dec/decoder.safetensors"), tmp.resolve("dec2/decoder.safetensors"));
    ok("train", "--resume", imported.toString(), "--epochs", "1", "--quiet");
    assertTrue(Files.isDirectory(imported.resolve("checkpoints/step-0000004")));
  }

  static void assertSameTensors(Path a, Path b) throws Exception {
    var x = SafeTensors.read(a).tensors();
    var y = SafeTensors.read(b).tensors();
    assertEquals(x.keySet(), y.keySet());
    for (String k : x.keySet()) {
      if (x.get(k).floats() != null) assertArrayEquals(x.get(k).floats(), y.get(k).floats(), k);
    }
  }

  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= 1e-5, what + " differs from convmirror sample by " + worst);
    assertFalse(worst != worst, what + ": NaN");
  }
}
