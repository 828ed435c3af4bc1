package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Engine
class CheckpointsTest {
  @TempDir Path dir;
  NDManager manager;

  record State(int step, long iteration, long seed) {}

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** Linear + BatchNorm: weights, bias, gamma, beta and the running mean/variance. */
  private Block tinyNet() {
    Block b =
        new SequentialBlock()
            .add(Linear.builder().setUnits(4).build())
            .add(BatchNorm.builder().build());
    b.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
    return b;
  }

  /** One training-mode forward pass moves BatchNorm's running statistics off their defaults. */
  private void train(Block b, float shift) {
    NDArray x = manager.randomNormal(new Shape(8, 3)).add(shift);
    b.forward(new ParameterStore(manager, false), new NDList(x), true);
  }

  private static Map<String, float[]> params(Block b) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : b.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  private static void assertSameParams(Map<String, float[]> expected, Block actual) {
    Map<String, float[]> got = params(actual);
    assertEquals(expected.keySet(), got.keySet());
    for (String k : expected.keySet()) {
      assertArrayEquals(expected.get(k), got.get(k), k);
    }
  }

  private static Path save(
      Checkpoints cp, int step, Map<String, Block> blocks, Map<String, NDArray> arrays, State s)
      throws IOException {
    return cp.save(step, StateFiles.writers(blocks, arrays), s);
  }

  private static List<String> names(Map<String, Block> blocks) {
    return blocks.keySet().stream().map(StateFiles::blockFile).toList();
  }

  /** Loads the checkpoint into {@code blocks}, as an objective's restore does. */
  private Checkpoints.Loaded<State> load(Checkpoints cp, Map<String, Block> blocks)
      throws IOException {
    Checkpoints.Loaded<State> loaded = cp.load(names(blocks), State.class);
    StateFiles.loadBlocks(loaded.files(), blocks, manager);
    return loaded;
  }

  @Test
  void roundTripIncludesBatchNormStatsArraysAndState() throws IOException {
    Block g = tinyNet();
    train(g, 3f);
    Map<String, float[]> before = params(g);
    assertTrue(
        before.keySet().stream().anyMatch(k -> k.contains("runningMean")),
        before.keySet().toString());
    NDArray noise = manager.randomNormal(new Shape(2, 5));
    noise.setName("weight"); // a clashing engine name must not leak into the file
    NDArray moment = manager.create(new float[] {1, 2, 3});
    Checkpoints cp = new Checkpoints(dir);
    save(
        cp,
        1,
        Map.of("generator", g),
        Map.of("fixed_noise", noise, "adam.m.0", moment),
        new State(1, 937, 42));
    assertEquals("weight", noise.getName());

    Block fresh = tinyNet();
    Checkpoints.Loaded<State> loaded = load(cp, Map.of("generator", fresh));
    assertSameParams(before, fresh);
    assertEquals(new State(1, 937, 42), loaded.state());
    assertEquals(1, loaded.step());
    assertEquals(List.of(), loaded.warnings());
    Map<String, NDArray> arrays = StateFiles.loadArrays(loaded.files(), manager);
    assertArrayEquals(noise.toFloatArray(), arrays.get("fixed_noise").toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3}, arrays.get("adam.m.0").toFloatArray());
    assertEquals("step-0000001\n", Files.readString(dir.resolve("LATEST")));
  }

  @Test
  void truncatedNewestFallsBackToPrevious() throws IOException {
    Block g = tinyNet();
    Block d = tinyNet();
    Checkpoints cp = new Checkpoints(dir);
    train(g, 1f);
    Map<String, float[]> epoch1 = params(g);
    save(cp, 1, Map.of("generator", g, "discriminator", d), Map.of(), new State(1, 10, 7));
    train(g, -5f);
    Path newest =
        save(cp, 2, Map.of("generator", g, "discriminator", d), Map.of(), new State(2, 20, 7));
    try (FileChannel ch =
        FileChannel.open(newest.resolve("generator.params"), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }

    Block fresh = tinyNet();
    Checkpoints.Loaded<State> loaded =
        load(cp, Map.of("generator", fresh, "discriminator", tinyNet()));
    assertEquals(dir.resolve("step-0000001"), loaded.directory());
    assertEquals(new State(1, 10, 7), loaded.state());
    assertSameParams(epoch1, fresh);
    assertEquals(1, loaded.warnings().size());
    String w = loaded.warnings().get(0);
    assertTrue(w.contains("step-0000002 is corrupt: generator.params has"), w);
  }

  @Test
  void missingManifestIsIncompleteAndNothingLoadableIsAClearError() throws IOException {
    Block g = tinyNet();
    Checkpoints cp = new Checkpoints(dir);
    Path only = save(cp, 1, Map.of("generator", g), Map.of(), new State(1, 1, 1));
    Files.delete(only.resolve(Manifest.FILE));
    IOException e = assertThrows(IOException.class, () -> load(cp, Map.of("generator", tinyNet())));
    assertTrue(e.getMessage().startsWith("no complete checkpoint in " + dir), e.getMessage());
    assertTrue(e.getMessage().contains("is incomplete: no MANIFEST.json"), e.getMessage());
    assertThrows(
        IOException.class, () -> new Checkpoints(dir.resolve("none")).load(List.of(), State.class));
  }

  @Test
  void keepsLastKAndCleansKilledSaves() throws IOException {
    Block g = tinyNet();
    Checkpoints cp = new Checkpoints(dir, 2);
    Files.createDirectories(dir.resolve(".tmp-killed/x"));
    for (int e = 1; e <= 4; e++) {
      save(cp, e, Map.of("generator", g), Map.of(), new State(e, e, 0));
    }
    save(cp, 4, Map.of("generator", g), Map.of(), new State(4, 99, 0)); // same step again
    try (var s = Files.list(dir)) {
      assertEquals(
          List.of("LATEST", "step-0000003", "step-0000004"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(99, load(cp, Map.of("generator", tinyNet())).state().iteration());
  }

  @Test
  void uncommittedNewerCheckpointIsIgnored() throws IOException {
    Block g = tinyNet();
    Checkpoints cp = new Checkpoints(dir);
    save(cp, 1, Map.of("generator", g), Map.of(), new State(1, 1, 0));
    save(cp, 2, Map.of("generator", g), Map.of(), new State(2, 2, 0));
    // A crash after the rename but before LATEST moved: LATEST still names step 1.
    AtomicFiles.writeString(dir.resolve("LATEST"), "step-0000001\n");
    assertEquals(1, load(cp, Map.of("generator", tinyNet())).step());
    Files.delete(dir.resolve("LATEST"));
    Checkpoints.Loaded<State> l = load(cp, Map.of("generator", tinyNet()));
    assertEquals(2, l.step());
    assertTrue(l.warnings().get(0).contains("no LATEST"), l.warnings().toString());
  }
}
