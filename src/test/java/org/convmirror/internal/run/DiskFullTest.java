package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.convmirror.internal.nn.StateFiles;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, cases 11 and 12: a full disk names the file and what to free, keeps what was committed,
 * and leaves no temporary files that would keep the disk full.
 */
@Tier.Engine
class DiskFullTest {
  @TempDir Path dir;

  record State(int step) {}

  /** A block whose parameter file is some fixed bytes, then (when asked) a full disk. */
  private static Block block(boolean full) {
    return new SequentialBlock() {
      @Override
      public void saveParameters(DataOutputStream os) throws IOException {
        os.write(new byte[4096]);
        if (full) throw new IOException("No space left on device");
      }
    };
  }

  @Test
  void theKernelsNoSpaceErrorNamesTheFile() throws IOException {
    // /dev/full answers every write with ENOSPC, as a full disk does; the writer's callback is the
    // seam through which the kernel's own error reaches the one writer.
    Path csv = dir.resolve("losses.csv");
    Files.writeString(csv, "iteration\n1\n");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    csv,
                    out -> {
                      try (var full = Files.newOutputStream(Path.of("/dev/full"))) {
                        full.write(new byte[4096]);
                      }
                    }));
    assertTrue(
        e.getMessage().startsWith("no space left on the device to write " + csv.toAbsolutePath()),
        e.getMessage());
    assertTrue(e.getMessage().contains("free space on that disk"), e.getMessage());
    assertEquals("iteration\n1\n", Files.readString(csv), "the previous file is intact");
  }

  @Test
  void aLinkToADeviceNamedLikeALogIsReplacedNotWrittenThrough() throws IOException {
    // Issue 21: before, MetricsLog.create opened the name and wrote through the link.
    Path csv = Files.createSymbolicLink(dir.resolve("losses.csv"), Path.of("/dev/full"));
    MetricsLog.create(csv, List.of("iteration")).close();
    assertFalse(Files.isSymbolicLink(csv));
    assertEquals("iteration\n", Files.readString(csv));
  }

  @Test
  void aCheckpointThatRanOutOfSpaceLeavesNoTempAndTheLastOneIntact() throws IOException {
    Path ckpt = dir.resolve("run/checkpoints");
    Checkpoints checkpoints = new Checkpoints(ckpt);
    checkpoints.save(1, StateFiles.writers(Map.of("g", block(false)), Map.of()), new State(1));

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                checkpoints.save(
                    2, StateFiles.writers(Map.of("g", block(true)), Map.of()), new State(2)));
    String m = e.getMessage();
    assertTrue(
        m.startsWith("no space left on the device to write " + ckpt.resolve("step-0000002") + " ("),
        m);
    assertTrue(
        m.endsWith(
            " free there); free space on that disk (old runs, sampled/ folders, checkpoints you no"
                + " longer need) and run again; a checkpoint takes about 4.3 KiB; the last"
                + " complete one, step-0000001, is intact: continue with 'convmirror train --resume "
                + dir.resolve("run").toAbsolutePath()
                + "'"),
        m);
    try (Stream<Path> s = Files.list(ckpt)) {
      assertEquals(
          List.of("LATEST", "step-0000001"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "the failed save's .tmp-* directory is gone");
    }
    Manifest.verify(ckpt.resolve("step-0000001"));
    assertEquals(ckpt.resolve("step-0000001"), checkpoints.latest().orElseThrow());
  }

  @Test
  void anAtomicWriteThatRanOutOfSpaceSaysSoAndKeepsTheOldFile() throws IOException {
    Path f = Files.writeString(dir.resolve("run.json"), "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      throw new IOException("No space left on device");
                    }));
    assertTrue(
        e.getMessage().startsWith("no space left on the device to write " + f.toAbsolutePath()),
        e.getMessage());
    assertEquals("old", Files.readString(f));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList());
    }
  }
}
