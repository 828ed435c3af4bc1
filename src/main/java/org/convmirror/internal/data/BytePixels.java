package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * 8-bit pixels, 0..255 meaning [-1, 1], in one or more byte buffers: an IDX file's bytes on the
 * heap, or a cache file mapped into memory. One mapping holds at most 2³¹−1 bytes, so a large cache
 * is mapped as several segments of whole images; every file offset is a {@code long}.
 */
final class BytePixels implements Pixels {
  /** Bytes one mapping may span: {@link ByteBuffer} indices are ints. */
  static final long MAX_SEGMENT = Integer.MAX_VALUE;

  /** float value of every byte, {@code v/127.5 − 1}: a table beats a divide per pixel. */
  private static final float[] TO_FLOAT = new float[256];

  static {
    for (int v = 0; v < 256; v++) TO_FLOAT[v] = ImageSet.fromByte(v);
  }

  private final ByteBuffer[] segments;
  private final int perSegment;
  private final int imageSize;
  private final int count;
  private final ThreadLocal<byte[]> scratch;

  private BytePixels(ByteBuffer[] segments, int perSegment, int imageSize, int count) {
    this.segments = segments;
    this.perSegment = perSegment;
    this.imageSize = imageSize;
    this.count = count;
    this.scratch = ThreadLocal.withInitial(() -> new byte[imageSize]);
  }

  /** {@code count} images of {@code imageSize} bytes in {@code bytes} from {@code offset}. */
  static BytePixels heap(byte[] bytes, int offset, int count, int imageSize) {
    if ((long) count * imageSize > bytes.length - (long) offset) {
      throw new IllegalArgumentException(
          count + " images of " + imageSize + " bytes do not fit in " + (bytes.length - offset));
    }
    ByteBuffer view = ByteBuffer.wrap(bytes, offset, count * imageSize).slice();
    return new BytePixels(new ByteBuffer[] {view}, Math.max(1, count), imageSize, count);
  }

  /**
   * Maps {@code count} images of {@code imageSize} bytes starting at byte {@code offset} of {@code
   * channel}, read-only, in segments of at most {@code maxSegment} bytes of whole images.
   */
  static BytePixels map(FileChannel channel, long offset, int count, int imageSize, long maxSegment)
      throws IOException {
    if (imageSize < 1 || maxSegment < imageSize) {
      throw new IllegalArgumentException(
          "a segment of " + maxSegment + " bytes cannot hold one image of " + imageSize);
    }
    int perSegment = (int) Math.min(Integer.MAX_VALUE, maxSegment / imageSize);
    int n = count == 0 ? 0 : (count - 1) / perSegment + 1;
    ByteBuffer[] segments = new ByteBuffer[n];
    for (int s = 0; s < n; s++) {
      long first = (long) s * perSegment;
      int images = (int) Math.min(perSegment, count - first);
      segments[s] =
          channel.map(
              FileChannel.MapMode.READ_ONLY, offset + first * imageSize, (long) images * imageSize);
    }
    return new BytePixels(segments, perSegment, imageSize, count);
  }

  /** How many mappings (or heap buffers) hold the images. */
  int segments() {
    return segments.length;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  /** Copies the 8-bit samples of image {@code i} into {@code dest} at {@code offset}. */
  void copyBytes(int i, byte[] dest, int offset) {
    Objects.checkIndex(i, count);
    int at = (i % perSegment) * imageSize; // < 2³¹: a segment holds at most that many bytes
    segments[i / perSegment].get(at, dest, offset, imageSize);
  }

  @Override
  public void copy(int i, float[] dest, int offset) {
    byte[] bytes = scratch.get();
    copyBytes(i, bytes, 0);
    for (int k = 0; k < imageSize; k++) dest[offset + k] = TO_FLOAT[bytes[k] & 0xFF];
  }
}
