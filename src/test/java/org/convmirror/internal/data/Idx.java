package org.convmirror.internal.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, so no test depends on a dataset being installed. */
final class Idx {
  private Idx() {}

  /** Image {@code i}, pixel {@code p} has value {@code (i * 31 + p * 7) % 256}. */
  static byte[] images(int n, int h, int w) {
    ByteBuffer b = ByteBuffer.allocate(16 + n * h * w);
    b.putInt(IdxFiles.IMAGES_MAGIC).putInt(n).putInt(h).putInt(w);
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < h * w; p++) {
        b.put((byte) pixel(i, p));
      }
    }
    return b.array();
  }

  static int pixel(int i, int p) {
    return (i * 31 + p * 7) % 256;
  }

  /** Label {@code i} is {@code i % 10}. */
  static byte[] labels(int n) {
    ByteBuffer b = ByteBuffer.allocate(8 + n);
    b.putInt(IdxFiles.LABELS_MAGIC).putInt(n);
    for (int i = 0; i < n; i++) {
      b.put((byte) (i % 10));
    }
    return b.array();
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the four standard files, gzipped, with {@code train} and {@code test} images. */
  static Path folder(Path dir, int train, int test, int h, int w) {
    write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(train, h, w)));
    write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(train)));
    write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(images(test, h, w)));
    write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(test)));
    return dir;
  }
}
