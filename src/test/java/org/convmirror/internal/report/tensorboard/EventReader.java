package org.convmirror.internal.report.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event-file reader written from the format's description, sharing no code with the writer:
 * TFRecord framing checked with a bit-by-bit CRC32C (the writer uses {@link java.util.zip.CRC32C}),
 * and protobuf's wire format decoded by hand (the writer uses protobuf's {@code
 * CodedOutputStream}).
 */
public final class EventReader {
  /** One decoded event: its step, wall time, scalars by tag, images by tag, and what else. */
  public record Event(
      long step,
      double wallTime,
      String fileVersion,
      Map<String, Float> scalars,
      Map<String, Image> images,
      Integer sessionStatus) {}

  public record Image(int height, int width, int colorspace, byte[] png) {}

  private EventReader() {}

  /** Every record of {@code file}, each CRC checked; fails on any bad byte. */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> out = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] header = new byte[8];
      b.get(header);
      int headerCrc = b.getInt();
      check(masked(header) == headerCrc, file + ": bad length CRC at record " + out.size());
      long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
      byte[] data = new byte[Math.toIntExact(length)];
      b.get(data);
      check(masked(data) == b.getInt(), file + ": bad data CRC at record " + out.size());
      out.add(event(data));
    }
    return out;
  }

  /** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), one bit at a time. */
  static int crc32c(byte[] data) {
    int crc = 0xFFFFFFFF;
    for (byte x : data) {
      crc ^= x & 0xFF;
      for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
    }
    return ~crc;
  }

  /** TensorFlow's masking: rotate right by 15 bits, add 0xa282ead8. */
  static int masked(byte[] data) {
    int c = crc32c(data);
    return Integer.rotateRight(c, 15) + 0xa282ead8;
  }

  private static void check(boolean ok, String what) throws IOException {
    if (!ok) throw new IOException(what);
  }

  private static Event event(byte[] data) {
    Map<Integer, List<Object>> e = fields(data);
    long step = e.containsKey(2) ? (Long) e.get(2).get(0) : 0;
    double wall = e.containsKey(1) ? Double.longBitsToDouble((Long) e.get(1).get(0)) : 0;
    String version = e.containsKey(3) ? new String((byte[]) e.get(3).get(0)) : null;
    Map<String, Float> scalars = new LinkedHashMap<>();
    Map<String, Image> images = new LinkedHashMap<>();
    if (e.containsKey(5)) {
      for (Object v : fields((byte[]) e.get(5).get(0)).getOrDefault(1, List.of())) {
        Map<Integer, List<Object>> value = fields((byte[]) v);
        String tag = new String((byte[]) value.get(1).get(0));
        if (value.containsKey(2))
          scalars.put(tag, Float.intBitsToFloat((Integer) value.get(2).get(0)));
        if (value.containsKey(4)) {
          Map<Integer, List<Object>> img = fields((byte[]) value.get(4).get(0));
          images.put(
              tag,
              new Image(
                  (int) (long) (Long) img.get(1).get(0),
                  (int) (long) (Long) img.get(2).get(0),
                  (int) (long) (Long) img.get(3).get(0),
                  (byte[]) img.get(4).get(0)));
        }
      }
    }
    Integer status = null;
    if (e.containsKey(7))
      status = (int) (long) (Long) fields((byte[]) e.get(7).get(0)).get(1).get(0);
    return new Event(step, wall, version, scalars, images, status);
  }

  /**
   * A message's fields by number: varints and fixed64 as Long, fixed32 as Integer, length-delimited
   * as byte[].
   */
  static Map<Integer, List<Object>> fields(byte[] m) {
    Map<Integer, List<Object>> out = new LinkedHashMap<>();
    int[] pos = {0};
    while (pos[0] < m.length) {
      long key = varint(m, pos);
      int field = (int) (key >>> 3);
      Object v;
      switch ((int) (key & 7)) {
        case 0 -> v = varint(m, pos);
        case 1 -> {
          v = ByteBuffer.wrap(m, pos[0], 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
          pos[0] += 8;
        }
        case 2 -> {
          int n = (int) varint(m, pos);
          byte[] b = new byte[n];
          System.arraycopy(m, pos[0], b, 0, n);
          pos[0] += n;
          v = b;
        }
        case 5 -> {
          v = ByteBuffer.wrap(m, pos[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
          pos[0] += 4;
        }
        default -> throw new IllegalArgumentException("wire type " + (key & 7) + " is not used");
      }
      out.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static long varint(byte[] m, int[] pos) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = m[pos[0]++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) return v;
    }
  }
}
