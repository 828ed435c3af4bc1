package org.convmirror.internal.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 content fingerprints used in dataset identities. */
final class Hashes {
  /** 16 hex digits (64 bits) tell datasets apart while staying readable in a log line. */
  static final int HEX_DIGITS = 16;

  private Hashes() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }

  static String shortHex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest()).substring(0, HEX_DIGITS);
  }

  /** Fingerprints pixels (as little-endian float bits) and labels, for data decoded in memory. */
  static String of(float[] pixels, int[] labels) {
    MessageDigest digest = sha256();
    // Bulk views copy a chunk per call; per-value putFloat made this the slowest step of loading.
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    int chunk = buffer.capacity() / Float.BYTES;
    for (int from = 0; from < pixels.length; from += chunk) {
      int n = Math.min(chunk, pixels.length - from);
      buffer.clear();
      buffer.asFloatBuffer().put(pixels, from, n);
      digest.update(buffer.array(), 0, n * Float.BYTES);
    }
    if (labels != null) {
      for (int from = 0; from < labels.length; from += chunk) {
        int n = Math.min(chunk, labels.length - from);
        buffer.clear();
        buffer.asIntBuffer().put(labels, from, n);
        digest.update(buffer.array(), 0, n * Integer.BYTES);
      }
    }
    return shortHex(digest);
  }
}
