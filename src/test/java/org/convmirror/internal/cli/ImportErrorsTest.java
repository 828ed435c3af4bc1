package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.export.Layer;
import org.convmirror.internal.export.Network;
import org.convmirror.internal.export.SafeTensors;
import org.convmirror.internal.export.Tensor;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malformed or mismatched import is one line naming the first offending key (with its expected
 * and actual shape), exit code 2, and nothing written.
 */
@Tier.Engine
class ImportErrorsTest {

  /** A state dict with every key {@code network} of {@code spec} needs, all values 0.5. */
  static Map<String, Tensor> complete(Network network, ModelSpec spec) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Layer.Param> e : network.stateDict(spec).entrySet()) {
      long[] shape = e.getValue().shape();
      int n = (int) Tensor.size(shape);
      if (e.getValue().dtype() == Tensor.DType.I64) {
        out.put(e.getKey(), Tensor.i64(shape, new long[n]));
      } else {
        float[] v = new float[n];
        Arrays.fill(v, 0.5f);
        out.put(e.getKey(), Tensor.f32(shape, v));
      }
    }
    return out;
  }

  private static String fails(Path tmp, Path weights, String expected) throws Exception {
    Path model = tmp.resolve("gan.yaml");
    Files.writeString(model, ExportImportCliTest.GAN);
    Path runs = tmp.resolve("runs");
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "import",
            model.toString(),
            "--generator",
            weights.toString(),
            "--runs",
            runs.toString(),
            "--name",
            "x");
    assertEquals(2, r.code(), r.err() + r.out());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("convmirror: "), r.err());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    assertFalse(Files.exists(runs), "nothing may be written: " + runs + " exists");
    return r.err();
  }

  private static ModelSpec spec() {
    return ModelFiles.parse(ExportImportCliTest.GAN, "gan");
  }

  private static Path write(Path tmp, Map<String, Tensor> tensors) throws Exception {
    Path f = tmp.resolve("weights.safetensors");
    SafeTensors.write(f, tensors, Map.of());
    return f;
  }

  private static PlanCommandTest.Result importAs(Path tmp, Path weights, String name)
      throws Exception {
    Path model = Files.writeString(tmp.resolve("gan.yaml"), ExportImportCliTest.GAN);
    return PlanCommandTest.run(
        "import",
        model.toString(),
        "--generator",
        weights.toString(),
        "--runs",
        tmp.resolve("runs").toString(),
        "--name",
        name);
  }

  /**
   * Issue 21, item 8: an import that fails part-way (a full disk, injected) or is killed (what a
   * kill leaves: the hidden folder with its lock free) leaves nothing that blocks the name.
   */
  @Test
  void aFailedOrKilledImportLeavesNothingThatBlocksTheName(@TempDir Path tmp) throws Exception {
    Path weights = write(tmp, complete(Network.GENERATOR, spec()));
    Path runs = tmp.resolve("runs");
    PlanCommandTest.Result full;
    try (AtomicFiles.FullDisk disk = AtomicFiles.simulateFullDisk(1024)) {
      full = importAs(tmp, weights, "x");
    }
    assertEquals(1, full.err().strip().lines().count(), full.err());
    assertTrue(
        full.err().startsWith("convmirror: no space left on the device to write "), full.err());
    assertTrue(full.code() != 0, full.err());
    try (Stream<Path> left = Files.list(runs)) {
      assertEquals(List.of(), left.toList(), "no run, no hidden folder");
    }

    Path killed = Files.createDirectories(runs.resolve(".tmp-run-x-killed/x/checkpoints"));
    Files.writeString(killed.resolveSibling("run.lock"), "12345\n");
    Files.writeString(killed.resolveSibling("run.json"), "{\"format\": \"convmirror-run/2\"");
    PlanCommandTest.Result again = importAs(tmp, weights, "x");
    assertEquals(0, again.code(), again.err() + again.out());
    try (Stream<Path> left = Files.list(runs)) {
      assertEquals(List.of(runs.resolve("x")), left.toList(), "the killed one's folder is gone");
    }
    assertTrue(Files.isRegularFile(runs.resolve("x/checkpoints/LATEST")));
  }

  @Test
  void fileForAnotherModel(@TempDir Path tmp) throws Exception {
    Path f = write(tmp, complete(Network.GENERATOR, ModelFiles.builtIn("dcgan28")));
    fails(tmp, f, "key 0.weight has shape (100, 128, 7, 7), expected (8, 16, 4, 4)");
  }

  @Test
  void discriminatorGivenAsGenerator(@TempDir Path tmp) throws Exception {
    Path f = write(tmp, complete(Network.DISCRIMINATOR, spec()));
    fails(tmp, f, "key 0.weight has shape (8, 1, 4, 4), expected (8, 16, 4, 4)");
  }

  @Test
  void missingKey(@TempDir Path tmp) throws Exception {
    Map<String, Tensor> t = complete(Network.GENERATOR, spec());
    t.remove("1.running_var");
    fails(tmp, write(tmp, t), "missing key 1.running_var (expected shape (16,))");
  }

  @Test
  void unexpectedKey(@TempDir Path tmp) throws Exception {
    Map<String, Tensor> t = complete(Network.GENERATOR, spec());
    t.put("9.weight", Tensor.f32(new long[] {2}, new float[2]));
    fails(tmp, write(tmp, t), "unexpected key 9.weight (shape (2,))");
  }

  @Test
  void wrongShapeOfOneKey(@TempDir Path tmp) throws Exception {
    Map<String, Tensor> t = complete(Network.GENERATOR, spec());
    t.put("3.weight", Tensor.f32(new long[] {16, 8, 3, 3}, new float[16 * 8 * 9]));
    fails(tmp, write(tmp, t), "key 3.weight has shape (16, 8, 3, 3), expected (16, 8, 4, 4)");
  }

  @Test
  void wrongTypeAndNonFiniteValues(@TempDir Path tmp) throws Exception {
    Map<String, Tensor> t = complete(Network.GENERATOR, spec());
    t.put("1.num_batches_tracked", Tensor.f32(new long[0], new float[1]));
    fails(tmp, write(tmp, t), "key 1.num_batches_tracked has dtype F32, expected I64");
    t = complete(Network.GENERATOR, spec());
    t.get("0.weight").floats()[3] = Float.NaN;
    fails(tmp, write(tmp, t), "key 0.weight has 1 NaN or infinite values");
  }

  @Test
  void notASafetensorsFile(@TempDir Path tmp) throws Exception {
    Path junk = tmp.resolve("junk.safetensors");
    Files.writeString(junk, "this is not a state dict at all");
    fails(tmp, junk, "not a safetensors file");
    Path truncated = write(tmp, complete(Network.GENERATOR, spec()));
    byte[] all = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(all, all.length - 10));
    fails(tmp, truncated, "data_offsets");
    fails(tmp, tmp.resolve("absent.safetensors"), "no such file");
  }
}
