package org.convmirror.internal.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST, Fashion-MNIST, KMNIST and EMNIST (LeCun et al., {@code
 * yann.lecun.com/exdb/mnist}), gzipped or raw.
 *
 * <p>EMNIST stores each image transposed (column-major); it loads, but its images appear mirrored
 * and rotated.
 */
public final class IdxFiles {
  /** Unsigned bytes, 3 dimensions (N×H×W). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Unsigned bytes, 1 dimension (N). */
  public static final int LABELS_MAGIC = 0x00000801;

  static final String INSTALL_HINT =
      "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`, or pass --data DIR"
          + " naming a folder with the IDX files";

  private IdxFiles() {}

  /** Reads an images file and, when {@code labels} is not null, its labels file. */
  public static ImageSet read(Path images, Path labels) {
    byte[] imageBytes = readBytes(images);
    Header header = header(images, imageBytes, IMAGES_MAGIC);
    int height = header.dims[1];
    int width = header.dims[2];
    byte[] labelBytes = labels == null ? null : readBytes(labels);
    int[] labelValues = null;
    if (labelBytes != null) {
      labelValues = labelValues(labels, labelBytes);
      if (labelValues.length != header.dims[0]) {
        throw new DataException(
            labels
                + ": holds "
                + labelValues.length
                + " labels but "
                + images
                + " holds "
                + header.dims[0]
                + " images; pair files of the same split (train-* with train-*, t10k-* with"
                + " t10k-*)");
      }
    }
    MessageDigest digest = Hashes.sha256();
    digest.update(imageBytes);
    if (labelBytes != null) {
      digest.update(labelBytes);
    }
    String source =
        labels == null
            ? images.toString()
            : images + " + " + (sameFolder(images, labels) ? labels.getFileName() : labels);
    // The file's bytes are the pixels: 8-bit samples, converted to floats one image at a time.
    Pixels pixels = BytePixels.heap(imageBytes, header.offset, header.dims[0], height * width);
    return new ImageSet(
        1, height, width, pixels, null, labelValues, List.of(), source, Hashes.shortHex(digest));
  }

  /** Reads a labels file (magic 0x00000801) as values 0..255. */
  public static int[] readLabels(Path labels) {
    return labelValues(labels, readBytes(labels));
  }

  private static int[] labelValues(Path file, byte[] bytes) {
    Header header = header(file, bytes, LABELS_MAGIC);
    int[] values = new int[header.dims[0]];
    for (int i = 0; i < values.length; i++) {
      values[i] = bytes[header.offset + i] & 0xFF;
    }
    return values;
  }

  /** Whether {@code file} starts like an IDX images file (after un-gzipping), without failing. */
  static boolean looksLikeImages(Path file) {
    try {
      byte[] bytes = readBytes(file);
      return bytes.length >= 4 && ByteBuffer.wrap(bytes).getInt() == IMAGES_MAGIC;
    } catch (DataException e) {
      return false;
    }
  }

  /** The decompressed content of {@code file}; gzip is detected by its magic bytes 1f 8b. */
  static byte[] readBytes(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataException(file + ": no such file; " + INSTALL_HINT);
    } catch (IOException e) {
      throw new DataException(file + ": cannot read (" + e + "); check its permissions", e);
    }
    if (raw.length < 2 || (raw[0] & 0xFF) != 0x1f || (raw[1] & 0xFF) != 0x8b) {
      return raw;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
      return in.readAllBytes();
    } catch (ZipException | java.io.EOFException e) {
      throw new DataException(
          file
              + ": corrupt gzip data ("
              + e.getMessage()
              + "); the file is damaged or its download was cut short, fetch it again",
          e);
    } catch (IOException e) {
      throw new DataException(file + ": cannot decompress (" + e + ")", e);
    }
  }

  private record Header(int offset, int[] dims) {}

  // IDX header: 2 zero bytes, a type code (0x08 = unsigned byte), the number of dimensions, then
  // one big-endian int per dimension; the data follows, row-major.
  private static Header header(Path file, byte[] bytes, int expectedMagic) {
    int dimCount = expectedMagic & 0xFF;
    String what = expectedMagic == IMAGES_MAGIC ? "an IDX image file" : "an IDX label file";
    if (bytes.length < 4) {
      throw new DataException(
          file + ": only " + bytes.length + " bytes, too short to be " + what + "; fetch it again");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int magic = buffer.getInt();
    if (magic != expectedMagic) {
      throw new DataException(
          String.format(
              "%s: wrong magic number: expected 0x%08X (%s) but found 0x%08X (%s); pass the"
                  + " %s file",
              file,
              expectedMagic,
              what,
              magic,
              describe(magic, bytes),
              expectedMagic == IMAGES_MAGIC ? "*-images-idx3-ubyte" : "*-labels-idx1-ubyte"));
    }
    int offset = 4 + 4 * dimCount;
    if (bytes.length < offset) {
      throw new DataException(
          file + ": truncated header (" + bytes.length + " bytes); fetch the file again");
    }
    int[] dims = new int[dimCount];
    long expected = 1;
    for (int d = 0; d < dimCount; d++) {
      dims[d] = buffer.getInt();
      if (dims[d] < 0 || (d > 0 && dims[d] == 0)) {
        throw new DataException(
            file + ": invalid dimension " + (dims[d] & 0xFFFFFFFFL) + " in header; not IDX data");
      }
      expected *= dims[d];
    }
    long found = bytes.length - (long) offset;
    if (found != expected) {
      String shape = dimCount == 1 ? dims[0] + " labels" : dims[0] + "×" + dims[1] + "×" + dims[2];
      throw new DataException(
          file
              + (found < expected ? ": truncated: " : ": wrong size: ")
              + "the header promises "
              + shape
              + " = "
              + expected
              + " data bytes but the file holds "
              + found
              + "; the file is damaged or incomplete, fetch it again");
    }
    return new Header(offset, dims);
  }

  private static String describe(int magic, byte[] bytes) {
    if (magic == LABELS_MAGIC) {
      return "this is a label file, not an image file";
    }
    if (magic == IMAGES_MAGIC) {
      return "this is an image file, not a label file";
    }
    if ((magic >>> 16) == 0 && ((magic >>> 8) & 0xFF) >= 0x08 && ((magic >>> 8) & 0xFF) <= 0x0E) {
      return "IDX data of type 0x"
          + Integer.toHexString((magic >>> 8) & 0xFF)
          + " with "
          + (magic & 0xFF)
          + " dimensions, not unsigned-byte images or labels";
    }
    if ((bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P') {
      return "a PNG image, not IDX data";
    }
    return "not an IDX file";
  }

  private static boolean sameFolder(Path a, Path b) {
    return a.toAbsolutePath().getParent().equals(b.toAbsolutePath().getParent());
  }
}
