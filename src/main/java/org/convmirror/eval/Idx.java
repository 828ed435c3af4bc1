package org.convmirror.eval;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Minimal reader for the (optionally gzipped) IDX files of MNIST and Fashion-MNIST.
 *
 * <p>Temporary: only the classifier's training entry point and tests use it until the data
 * package's reader is merged; it then forwards there or goes away.
 */
final class Idx {
  private static final int IMAGES_MAGIC = 0x803;
  private static final int LABELS_MAGIC = 0x801;

  /** Images as {@code N×1×H×W} floats scaled to [-1, 1] by {@code x/127.5 − 1}. */
  record Images(float[] pixels, int count, int height, int width) {}

  private Idx() {}

  /** Reads at most {@code limit} images from an idx3 file (all if {@code limit < 0}). */
  static Images images(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new IOException(file + ": magic must be 0x803 for images, was 0x" + hex(magic));
      }
      int n = count(in.readInt(), limit);
      int h = in.readInt();
      int w = in.readInt();
      byte[] raw = new byte[n * h * w];
      in.readFully(raw);
      float[] pixels = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        pixels[i] = (raw[i] & 0xff) / 127.5f - 1f;
      }
      return new Images(pixels, n, h, w);
    }
  }

  /** Reads at most {@code limit} labels from an idx1 file (all if {@code limit < 0}). */
  static int[] labels(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new IOException(file + ": magic must be 0x801 for labels, was 0x" + hex(magic));
      }
      byte[] raw = new byte[count(in.readInt(), limit)];
      in.readFully(raw);
      int[] labels = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        labels[i] = raw[i] & 0xff;
      }
      return labels;
    }
  }

  private static int count(int stored, int limit) {
    return limit < 0 ? stored : Math.min(stored, limit);
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (file.getFileName().toString().endsWith(".gz")) {
      raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return new DataInputStream(raw);
  }

  private static String hex(int v) {
    return Integer.toHexString(v);
  }
}
