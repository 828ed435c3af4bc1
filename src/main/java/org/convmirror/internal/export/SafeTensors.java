package org.convmirror.internal.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.run.AtomicFiles;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range plus a {@code __metadata__} object of strings,
 * then the raw little-endian data.
 *
 * <p>Written here rather than with DJL's {@code NDList.encode(…, SAFETENSORS)}: that encoder writes
 * no {@code __metadata__} (where the provenance goes) and needs the engine, and its decoder drops
 * the metadata and does not say which entry of a damaged file is wrong; an import must name the
 * first bad key before anything runs.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The tensors of a file in header order, its metadata, and the SHA-256 of its bytes (hex). */
  public record Contents(
      Map<String, Tensor> tensors, Map<String, String> metadata, String sha256) {}

  /** A file that is not valid safetensors; the message names what is wrong. */
  public static final class FormatException extends IOException {
    private static final long serialVersionUID = 1L;

    FormatException(String message) {
      super(message);
    }
  }

  private SafeTensors() {}

  /** Writes tensors (in the map's order) and string metadata. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      long bytes = t.size() * t.dtype().bytes();
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", t.dtype().name());
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) shape.add(d);
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    // The header is padded with spaces to a multiple of 8 so that the data stays aligned.
    int padded = (json.length + 7) / 8 * 8;
    AtomicFiles.write(
        file,
        8 + padded + offset,
        out -> {
          ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
          out.write(len.array());
          out.write(json);
          for (int i = json.length; i < padded; i++) out.write(' ');
          for (Tensor t : tensors.values()) out.write(bytes(t));
        });
  }

  /**
   * Reads a whole file, checking its structure: header length, JSON, every entry's dtype, shape and
   * byte range.
   *
   * @throws FormatException naming the first problem
   */
  public static Contents read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if (all.length < 8) {
      throw new FormatException(
          "not a safetensors file: "
              + all.length
              + " bytes, shorter than its 8-byte header length");
    }
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > all.length - 8) {
      throw new FormatException(
          "not a safetensors file: header length "
              + n
              + " does not fit its "
              + all.length
              + " bytes");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new FormatException("not a safetensors file: its header is not JSON");
    }
    if (header == null || !header.isObject()) {
      throw new FormatException("not a safetensors file: its header is not a JSON object");
    }
    long base = 8 + n;
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      tensors.put(e.getKey(), tensor(e.getKey(), e.getValue(), all, base));
    }
    return new Contents(tensors, metadata, sha256(all));
  }

  private static Tensor tensor(String key, JsonNode entry, byte[] all, long base)
      throws FormatException {
    String dtype = entry.path("dtype").asText("");
    JsonNode shapeNode = entry.path("shape");
    JsonNode offsets = entry.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new FormatException(key + ": malformed entry (needs dtype, shape, data_offsets)");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0 || !shapeNode.get(i).isIntegralNumber()) {
        throw new FormatException(key + ": malformed shape " + shapeNode);
      }
    }
    Tensor.DType type;
    try {
      type = Tensor.DType.valueOf(dtype);
    } catch (IllegalArgumentException e) {
      throw new FormatException(
          key
              + ": dtype "
              + dtype
              + " is not supported (F32 weights, I64 counters); "
              + "save the state_dict as float32, e.g. model.float()");
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    long bytes = Tensor.size(shape) * type.bytes();
    if (begin < 0 || end - begin != bytes || base + end > all.length) {
      throw new FormatException(
          key
              + ": data_offsets "
              + offsets
              + " do not hold "
              + Tensor.describe(shape)
              + " "
              + dtype
              + " within the file's "
              + (all.length - base)
              + " data bytes");
    }
    ByteBuffer buf =
        ByteBuffer.wrap(all, (int) (base + begin), (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    int count = (int) Tensor.size(shape);
    if (type == Tensor.DType.F32) {
      float[] v = new float[count];
      buf.asFloatBuffer().get(v);
      return Tensor.f32(shape, v);
    }
    long[] v = new long[count];
    buf.asLongBuffer().get(v);
    return Tensor.i64(shape, v);
  }

  private static String sha256(byte[] all) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static byte[] bytes(Tensor t) {
    ByteBuffer b =
        ByteBuffer.allocate((int) (t.size() * t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
    if (t.dtype() == Tensor.DType.F32) b.asFloatBuffer().put(t.floats());
    else b.asLongBuffer().put(t.longs());
    return b.array();
  }
}
