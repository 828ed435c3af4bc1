package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The file an image folder is decoded into once: a 4 KiB header, then the pixels as 8-bit samples
 * N×C×H×W (page-aligned, so they can be mapped as they are), the labels as little-endian int32, a
 * JSON summary (classes, skipped files, sizes and modes seen) and a manifest of the source files
 * (one tab-separated line per image file). The header records each section's length and CRC-32C,
 * the data's fingerprint and the key of the folder state it was decoded from; a file whose length,
 * header or any checksum disagrees is damaged.
 */
final class CacheFile {
  /** "CMIMG", then CR LF and ^Z as PNG has them: text-mode copies and truncated transfers show. */
  static final byte[] MAGIC = {'C', 'M', 'I', 'M', 'G', '\r', '\n', 0x1a};

  static final int VERSION = 1;

  /** Header bytes; the pixels start here, on a page boundary. */
  static final int HEADER = 4096;

  private static final int KEY_BYTES = 32;

  /**
   * What the header says.
   *
   * @param key the SHA-256 of the folder state (names, sizes, times) and the target shape
   * @param hash the data's 16-hex-digit fingerprint, as {@link ImageSet#hash()} computes it
   */
  record Header(
      int count,
      int channels,
      int height,
      int width,
      boolean labelled,
      String key,
      String hash,
      long[] lengths,
      int[] crcs) {

    static final int PIXELS = 0;
    static final int LABELS = 1;
    static final int SUMMARY = 2;
    static final int MANIFEST = 3;

    int imageSize() {
      return channels * height * width;
    }

    /** Where section {@code s} starts. */
    long offset(int s) {
      long at = HEADER;
      for (int i = 0; i < s; i++) at += lengths[i];
      return at;
    }

    /** The file's length, header included. */
    long fileLength() {
      return offset(lengths.length);
    }

    ByteBuffer encode() {
      ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      b.put(MAGIC).putInt(VERSION).putInt(count).putInt(channels).putInt(height).putInt(width);
      b.putInt(labelled ? 1 : 0).put(HexFormat.of().parseHex(key));
      b.put(hash.getBytes(StandardCharsets.US_ASCII));
      for (int s = 0; s < 4; s++) b.putLong(lengths[s]).putInt(crcs[s]);
      b.putInt(crc(b.array(), 0, b.position()));
      return b.rewind();
    }

    static Header decode(ByteBuffer b) throws Damaged {
      byte[] magic = new byte[MAGIC.length];
      b.order(ByteOrder.LITTLE_ENDIAN).get(magic);
      if (!Arrays.equals(magic, MAGIC)) throw new Damaged("not a convmirror image cache");
      int version = b.getInt();
      if (version != VERSION) throw new Damaged("written by another version (" + version + ")");
      int count = b.getInt();
      int c = b.getInt();
      int h = b.getInt();
      int w = b.getInt();
      boolean labelled = b.getInt() == 1;
      byte[] key = new byte[KEY_BYTES];
      b.get(key);
      byte[] hash = new byte[Hashes.HEX_DIGITS];
      b.get(hash);
      long[] lengths = new long[4];
      int[] crcs = new int[4];
      for (int s = 0; s < 4; s++) {
        lengths[s] = b.getLong();
        crcs[s] = b.getInt();
      }
      int end = b.position();
      if (b.getInt() != crc(b.array(), 0, end)) throw new Damaged("header checksum mismatch");
      boolean consistent =
          count >= 0
              && c >= 1
              && h >= 1
              && w >= 1
              && lengths[0] == (long) count * c * h * w
              && lengths[1] == (labelled ? (long) count * Integer.BYTES : 0)
              && lengths[2] >= 0
              && lengths[3] >= 0;
      if (!consistent) {
        throw new Damaged("inconsistent header");
      }
      return new Header(
          count,
          c,
          h,
          w,
          labelled,
          HexFormat.of().formatHex(key),
          new String(hash, StandardCharsets.US_ASCII),
          lengths,
          crcs);
    }
  }

  /** The cache file is not what its header promises, in a few words. */
  static final class Damaged extends Exception {
    private static final long serialVersionUID = 1L;

    Damaged(String reason) {
      super(reason, null, false, false);
    }
  }

  private CacheFile() {}

  /** Reads and checks the header alone: enough to tell which folder state the file holds. */
  static Header header(FileChannel ch) throws IOException, Damaged {
    if (ch.size() < HEADER) throw new Damaged("truncated (" + ch.size() + " bytes)");
    ByteBuffer b = ByteBuffer.allocate(HEADER);
    readFully(ch, b, 0);
    Header h = Header.decode(b.flip());
    if (ch.size() != h.fileLength()) {
      throw new Damaged(
          (ch.size() < h.fileLength() ? "truncated" : "too long")
              + " ("
              + ch.size()
              + " bytes, the header promises "
              + h.fileLength()
              + ")");
    }
    return h;
  }

  /** Checks every section's checksum; reads the whole file (not mapping it, so not resident). */
  static void verify(FileChannel ch, Header h) throws IOException, Damaged {
    String[] names = {"pixels", "labels", "summary", "manifest"};
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 22);
    for (int s = 0; s < names.length; s++) {
      CRC32C crc = new CRC32C();
      long at = h.offset(s);
      for (long left = h.lengths()[s]; left > 0; ) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), left));
        int n = readFully(ch, buffer, at);
        crc.update(buffer.flip());
        at += n;
        left -= n;
      }
      if ((int) crc.getValue() != h.crcs()[s]) throw new Damaged(names[s] + " checksum mismatch");
    }
  }

  /** The bytes of section {@code s} (not the pixels: those are mapped). */
  static byte[] section(FileChannel ch, Header h, int s) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(h.lengths()[s]));
    readFully(ch, b, h.offset(s));
    return b.array();
  }

  /** The labels section as ints. */
  static int[] labels(byte[] section) {
    int[] out = new int[section.length / Integer.BYTES];
    ByteBuffer.wrap(section).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
    return out;
  }

  /** Labels as the labels section holds them. */
  static byte[] labelBytes(int[] labels) {
    ByteBuffer b =
        ByteBuffer.allocate(labels.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(labels);
    return b.array();
  }

  static int crc(byte[] bytes, int from, int length) {
    CRC32C c = new CRC32C();
    c.update(bytes, from, length);
    return (int) c.getValue();
  }

  /** Opens {@code file} for reading. */
  static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      int n = ch.read(b, at + total);
      if (n < 0) throw new java.io.EOFException("cache file ends early");
      total += n;
    }
    return total;
  }
}
