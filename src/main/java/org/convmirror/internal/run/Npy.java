package org.convmirror.internal.run;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and writes NumPy {@code .npy} files (format version 1.0, float32 little-endian, C order),
 * so that samples and features can be checked in Python.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">NPY
 *     format</a>
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** The longest .npy header read: numpy's own limit for a header is 64 KiB in format 1.0. */
  static final int MAX_HEADER = 1 << 16;

  private static final int PREAMBLE = MAGIC.length + 2 + 2; // magic, version, header length
  private static final int CHUNK = 8192; // floats per write: bounded memory for any array size
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** A float32 array read from a {@code .npy} file. */
  public record Array(long[] shape, float[] data) {}

  /** Receives the array's values in C order, in as many pieces as the caller likes. */
  public interface FloatSink {
    void write(float[] values, int offset, int length) throws IOException;

    default void write(float[] values) throws IOException {
      write(values, 0, values.length);
    }
  }

  /** Atomically writes {@code data} with {@code shape}. */
  public static void write(Path file, long[] shape, float[] data) throws IOException {
    write(file, shape, sink -> sink.write(data));
  }

  /**
   * Atomically writes an array of {@code shape} whose values {@code producer} streams in C order
   * (e.g. one generated batch at a time); fails, leaving no file, unless exactly product(shape)
   * values arrive.
   */
  public static void write(Path file, long[] shape, IoConsumer<FloatSink> producer)
      throws IOException {
    long expected = count(shape);
    byte[] header = header(shape);
    AtomicFiles.write(
        file,
        header.length + expected * Float.BYTES,
        out -> {
          out.write(header);
          ChunkedSink sink = new ChunkedSink(out, expected);
          producer.accept(sink);
          if (sink.written != expected) {
            throw new IOException(
                "npy shape "
                    + Arrays.toString(shape)
                    + " needs "
                    + expected
                    + " values, got "
                    + sink.written);
          }
        });
  }

  /** The complete preamble + header for a float32 C-order array, padded to 64 bytes. */
  public static byte[] header(long[] shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    // A one-element tuple needs its trailing comma in Python: (5,)
    String tuple = "(" + dims + (shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
    int unpadded = PREAMBLE + dict.length() + 1; // + newline
    int total = (unpadded + 63) / 64 * 64; // data then starts aligned for memory mapping
    String text = dict + " ".repeat(total - unpadded) + "\n";
    if (text.length() > 0xFFFF) {
      throw new IllegalArgumentException(
          "npy v1.0 header too long for shape of rank " + shape.length);
    }
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
    b.put(text.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /**
   * Reads a float32 little-endian C-order array (format 1.0 or 2.0).
   *
   * @throws IOException with a one-line reason for a missing, empty, special (FIFO, device) or
   *     malformed file
   */
  public static Array read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(
          file + " does not exist; give a .npy file written by 'convmirror sample'");
    }
    // A FIFO would block the read until some writer appears; refuse it before opening.
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file + " is not a regular file (a folder, FIFO or device); give a .npy file");
    }
    if (Files.size(file) == 0) {
      throw new IOException(
          file
              + " is empty (0 bytes), not a .npy array; write samples again with 'convmirror"
              + " sample'");
    }
    try {
      return readArray(file);
    } catch (EOFException e) {
      throw new IOException(
          file + " ends early (truncated .npy file); write it again with 'convmirror sample'", e);
    } catch (AccessDeniedException e) {
      throw new IOException(
          file + " cannot be read: permission denied; make it readable (chmod a+r)", e);
    }
  }

  private static Array readArray(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a .npy file (it does not start with \\x93NUMPY)");
      }
      int major = in.readUnsignedByte();
      in.readUnsignedByte();
      ByteBuffer len = ByteBuffer.wrap(in.readNBytes(major == 1 ? 2 : 4));
      len.order(ByteOrder.LITTLE_ENDIAN);
      long headerLength =
          major == 1 ? Short.toUnsignedInt(len.getShort()) : Integer.toUnsignedLong(len.getInt());
      // A real header describes one array in a few hundred bytes; a huge length is a bad file,
      // not something to allocate.
      if (headerLength > MAX_HEADER || headerLength > Files.size(file)) {
        throw new IOException(
            file
                + " is not a .npy file convmirror wrote: its header claims "
                + headerLength
                + " bytes (at most "
                + MAX_HEADER
                + "); write it again with 'convmirror sample'");
      }
      byte[] headerBytes = new byte[(int) headerLength];
      in.readFully(headerBytes);
      String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
      String descr = find(DESCR, header, file);
      if (!descr.equals("<f4")) {
        throw new IOException("unsupported npy dtype " + descr + " in " + file + "; need <f4");
      }
      if (find(FORTRAN, header, file).equals("True")) {
        throw new IOException("unsupported Fortran-order npy array in " + file);
      }
      String dims = find(SHAPE, header, file).trim();
      long[] shape = dims.isEmpty() ? new long[0] : parseShape(dims, file);
      long n = count(shape);
      if (n > Integer.MAX_VALUE - 8) {
        throw new IOException("npy array too large to read into memory: " + Arrays.toString(shape));
      }
      float[] data = new float[(int) n];
      readFloats(in, data, file);
      return new Array(shape, data);
    }
  }

  private static long[] parseShape(String dims, Path file) throws IOException {
    try {
      long[] shape =
          Arrays.stream(dims.split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .mapToLong(Long::parseLong)
              .toArray();
      count(shape); // negative sizes, overflow
      return shape;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IOException("malformed npy shape (" + dims + ") in " + file, e);
    }
  }

  private static void readFloats(InputStream in, float[] data, Path file) throws IOException {
    byte[] bytes = new byte[CHUNK * Float.BYTES];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < data.length; ) {
      int n = Math.min(CHUNK, data.length - i);
      if (in.readNBytes(bytes, 0, n * Float.BYTES) != n * Float.BYTES) {
        throw new EOFException("npy file truncated: " + file);
      }
      b.clear();
      b.asFloatBuffer().get(data, i, n);
      i += n;
    }
  }

  private static String find(Pattern p, String header, Path file) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException("malformed npy header in " + file + ": " + header.trim());
    }
    return m.group(1);
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("npy shape must be ≥ 0, was " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Converts floats to little-endian bytes through one reused buffer. */
  private static final class ChunkedSink implements FloatSink {
    private final OutputStream out;
    private final long expected;
    private final ByteBuffer buffer =
        ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long written;

    ChunkedSink(OutputStream out, long expected) {
      this.out = out;
      this.expected = expected;
    }

    @Override
    public void write(float[] values, int offset, int length) throws IOException {
      if (written + length > expected) {
        throw new IOException("npy array overflow: more than " + expected + " values written");
      }
      for (int i = offset; i < offset + length; ) {
        int n = Math.min(CHUNK, offset + length - i);
        buffer.clear();
        buffer.asFloatBuffer().put(values, i, n);
        out.write(buffer.array(), 0, n * Float.BYTES);
        i += n;
      }
      written += length;
    }
  }
}
