package org.convmirror.data;

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
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float p : pixels) {
      if (buffer.remaining() < Float.BYTES) {
        digest.update(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      buffer.putFloat(p);
    }
    digest.update(buffer.array(), 0, buffer.position());
    if (labels != null) {
      buffer.clear();
      for (int label : labels) {
        if (buffer.remaining() < Integer.BYTES) {
          digest.update(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
        buffer.putInt(label);
      }
      digest.update(buffer.array(), 0, buffer.position());
    }
    return shortHex(digest);
  }
}
