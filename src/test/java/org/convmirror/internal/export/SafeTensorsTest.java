package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors writer and reader, byte for byte against the format's definition. */
@Tier.Pure
class SafeTensorsTest {

  @Test
  void layoutIsTheFormatsAndReadsBack(@TempDir Path tmp) throws Exception {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("0.weight", Tensor.f32(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, -7}));
    t.put("1.num_batches_tracked", Tensor.i64(new long[0], new long[] {32}));
    Path f = tmp.resolve("w.safetensors");
    SafeTensors.write(f, t, Map.of("format", "pt"));
    byte[] all = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String header = new String(all, 8, (int) n, StandardCharsets.UTF_8).strip();
    assertEquals(
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]}}",
        header);
    assertEquals(8 + n + 32, all.length);
    ByteBuffer data = ByteBuffer.wrap(all, (int) (8 + n), 32).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1f, data.getFloat());
    assertEquals(-2f, data.getFloat());
    data.position(data.position() + 16);
    assertEquals(32L, data.getLong());

    SafeTensors.Contents back = SafeTensors.read(f);
    assertEquals(Map.of("format", "pt"), back.metadata());
    assertArrayEquals(t.get("0.weight").floats(), back.tensors().get("0.weight").floats());
    assertArrayEquals(new long[0], back.tensors().get("1.num_batches_tracked").shape());
    assertArrayEquals(new long[] {32}, back.tensors().get("1.num_batches_tracked").longs());
    assertEquals(64, back.sha256().length());
  }

  @Test
  void damageIsNamed(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.safetensors");
    String header = "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
    write(f, header, 4);
    assertTrue(
        assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.read(f))
            .getMessage()
            .startsWith("w: dtype F16 is not supported"));
    write(f, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 8);
    assertTrue(
        assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.read(f))
            .getMessage()
            .startsWith("w: data_offsets [0,12] do not hold (2,) F32"));
    write(f, "[1, 2]", 0);
    assertEquals(
        "not a safetensors file: its header is not a JSON object",
        assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.read(f)).getMessage());
  }

  private static void write(Path f, String header, int dataBytes) throws Exception {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Files.write(f, b.array());
  }
}
