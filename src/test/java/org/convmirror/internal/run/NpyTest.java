package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class NpyTest {
  @TempDir Path dir;

  @Test
  void headerBytesMatchTheSpec() {
    byte[] h = Npy.header(new long[] {2, 3});
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    // 10 preamble bytes + dict (59) + newline = 70 → padded to 128
    assertEquals(128, h.length);
    assertArrayEquals(
        new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}, Arrays.copyOf(h, 10));
    String text = new String(h, 10, 118, StandardCharsets.US_ASCII);
    assertEquals(dict + " ".repeat(118 - dict.length() - 1) + "\n", text);
  }

  @Test
  void oneDimensionalShapeHasTrailingComma() {
    String text = new String(Npy.header(new long[] {5}), StandardCharsets.US_ASCII);
    assertTrue(text.contains("'shape': (5,), }"), text);
    assertEquals(0, Npy.header(new long[] {10000, 1, 28, 28}).length % 64);
  }

  @Test
  void writeReadRoundTrip() throws IOException {
    float[] data = {0f, -1.5f, 3.25f, Float.MAX_VALUE, Float.MIN_VALUE, -0f};
    Path f = dir.resolve("a.npy");
    Npy.write(f, new long[] {2, 3}, data);
    byte[] bytes = Files.readAllBytes(f);
    assertEquals(128 + 24, bytes.length);
    assertEquals(-1.5f, ByteBuffer.wrap(bytes, 132, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    Npy.Array a = Npy.read(f);
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(data, a.data());
  }

  @Test
  void streamsLargeArraysInBatches() throws IOException {
    long[] shape = {10_000, 1, 28, 28};
    int batch = 500 * 28 * 28;
    Path f = dir.resolve("big.npy");
    Npy.write(
        f,
        shape,
        sink -> {
          float[] buf = new float[batch];
          for (int b = 0; b < 20; b++) {
            Arrays.fill(buf, b);
            sink.write(buf);
          }
        });
    assertEquals(128 + 10_000L * 784 * 4, Files.size(f));
    Npy.Array a = Npy.read(f);
    assertEquals(19f, a.data()[a.data().length - 1]);
    assertEquals(0f, a.data()[batch - 1]);
    assertEquals(1f, a.data()[batch]);
  }

  @Test
  void wrongValueCountLeavesNoFile() {
    Path f = dir.resolve("short.npy");
    IOException e =
        assertThrows(IOException.class, () -> Npy.write(f, new long[] {2, 2}, new float[3]));
    assertEquals("npy shape [2, 2] needs 4 values, got 3", e.getMessage());
    assertFalse(Files.exists(f));
    assertThrows(IOException.class, () -> Npy.write(f, new long[] {2}, new float[3]));
    assertFalse(Files.exists(f));
  }

  @Test
  void truncatedFileIsReported() throws IOException {
    Path f = dir.resolve("t.npy");
    Npy.write(f, new long[] {4}, new float[4]);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 2));
    IOException e = assertThrows(IOException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  /** Issue 21: headers of 2³¹ and 2³²−1 bytes were an OutOfMemoryError and a negative size. */
  @Test
  void hugeHeaderLengthsAreRefusedWithoutAllocating() throws IOException {
    for (long claimed : new long[] {1L << 31, (1L << 32) - 1}) {
      Path f = dir.resolve("h" + claimed + ".npy");
      ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2);
      b.put((byte) 0).putInt((int) claimed).putInt(0);
      Files.write(f, b.array());
      IOException e = assertThrows(IOException.class, () -> Npy.read(f));
      assertEquals(
          f
              + " is not a .npy file convmirror wrote: its header claims "
              + claimed
              + " bytes (at most 65536); write it again with 'convmirror sample'",
          e.getMessage());
    }
  }
}
