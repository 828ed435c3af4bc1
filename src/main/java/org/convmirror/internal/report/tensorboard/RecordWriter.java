package org.convmirror.internal.report.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is
 *
 * <pre>
 * uint64 length            little-endian
 * uint32 masked CRC32C     of the 8 length bytes
 * byte   data[length]
 * uint32 masked CRC32C     of the data
 * </pre>
 *
 * where masking is {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8} (TensorFlow's {@code
 * crc32c::Mask}: a CRC over data that holds CRCs is otherwise weak). No maintained Java writer of
 * this format exists, and it is this small.
 */
public final class RecordWriter {
  private static final int MASK_DELTA = 0xa282ead8;

  private final OutputStream out;

  public RecordWriter(OutputStream out) {
    this.out = out;
  }

  /** Appends one record holding {@code data}. */
  public void write(byte[] data) throws IOException {
    byte[] header =
        ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(8, maskedCrc32c(header, 0, 8));
    out.write(header);
    out.write(data);
    out.write(
        ByteBuffer.allocate(4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(maskedCrc32c(data, 0, data.length))
            .array());
  }

  /** The masked CRC32C (Castagnoli) of {@code len} bytes of {@code b} from {@code off}. */
  public static int maskedCrc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }
}
