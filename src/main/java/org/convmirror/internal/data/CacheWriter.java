package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a {@link CacheFile} front to back as decoded images arrive in order: pixels first (with
 * their checksum and the data's fingerprint computed on the way), then labels, summary and
 * manifest, and the header last, so that a file cut short anywhere fails its checks.
 */
final class CacheWriter implements AutoCloseable {
  private final FileChannel out;
  private final int channels;
  private final int height;
  private final int width;
  private final CRC32C pixelsCrc = new CRC32C();
  private final Hashes.Digest digest = new Hashes.Digest();
  private long position = CacheFile.HEADER;
  private int count;

  CacheWriter(Path file, int channels, int height, int width) throws IOException {
    this.out =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  /** Appends {@code images} decoded images held in {@code pixels}. */
  void images(byte[] pixels, int images) throws IOException {
    int length = images * channels * height * width;
    write(ByteBuffer.wrap(pixels, 0, length));
    pixelsCrc.update(pixels, 0, length);
    digest.samples(pixels, 0, length);
    count += images;
  }

  /** Images written so far. */
  int count() {
    return count;
  }

  /**
   * Writes everything after the pixels and then the header, and forces it all to disk; returns the
   * header written.
   */
  CacheFile.Header finish(int[] labels, CacheSummary summary, String manifest, String key)
      throws IOException {
    if (labels != null) digest.labels(labels);
    byte[][] sections = {
      labels == null ? new byte[0] : CacheFile.labelBytes(labels),
      summary.toJson(),
      manifest.getBytes(StandardCharsets.UTF_8)
    };
    long[] lengths = new long[4];
    int[] crcs = new int[4];
    lengths[0] = position - CacheFile.HEADER;
    crcs[0] = (int) pixelsCrc.getValue();
    for (int s = 0; s < sections.length; s++) {
      write(ByteBuffer.wrap(sections[s]));
      lengths[s + 1] = sections[s].length;
      crcs[s + 1] = CacheFile.crc(sections[s], 0, sections[s].length);
    }
    CacheFile.Header h =
        new CacheFile.Header(
            count, channels, height, width, labels != null, key, digest.shortHex(), lengths, crcs);
    out.force(true); // the data is on disk before the header that vouches for it
    ByteBuffer header = h.encode();
    while (header.hasRemaining()) out.write(header, header.position());
    out.force(true);
    return h;
  }

  private void write(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) position += out.write(b, position);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
