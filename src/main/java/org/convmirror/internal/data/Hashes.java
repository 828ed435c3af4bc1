package org.convmirror.internal.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Short SHA-256 content fingerprints used in dataset identities. Decoded data is fingerprinted by
 * {@link Digest}: every pixel as a little-endian float32 in [-1, 1], then every label as a
 * little-endian int32, so a set hashes the same whether it was fed at once or image by image, from
 * floats or from the 8-bit samples they came from.
 */
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

  /** The fingerprint of a whole set, image by image: no N×C×H×W array is needed. */
  static String of(ImageSet set) {
    Digest d = new Digest();
    float[] image = new float[set.imageSize()];
    for (int i = 0; i < set.count(); i++) {
      set.copyImage(i, image, 0);
      d.floats(image, 0, image.length);
    }
    if (set.hasLabels()) d.labels(set.labels());
    return d.shortHex();
  }

  /** A dataset fingerprint fed in pieces: pixels first, in image order, then the labels. */
  static final class Digest {
    /** The float32 bits of {@code v/127.5 − 1} for every 8-bit sample {@code v}. */
    private static final int[] SAMPLE_BITS = new int[256];

    private static final VarHandle INT_LE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static {
      for (int v = 0; v < 256; v++) SAMPLE_BITS[v] = Float.floatToIntBits(ImageSet.fromByte(v));
    }

    private final MessageDigest digest = sha256();
    // Bulk views copy a chunk per call; per-value putFloat made hashing the slowest step of
    // loading.
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    /** Adds {@code n} pixels of {@code values} from {@code from}. */
    void floats(float[] values, int from, int n) {
      int chunk = buffer.capacity() / Float.BYTES;
      for (int at = from, end = from + n; at < end; at += chunk) {
        int k = Math.min(chunk, end - at);
        buffer.clear();
        buffer.asFloatBuffer().put(values, at, k);
        digest.update(buffer.array(), 0, k * Float.BYTES);
      }
    }

    /** Adds {@code n} 8-bit samples of {@code samples} from {@code from}, as their float values. */
    void samples(byte[] samples, int from, int n) {
      byte[] out = buffer.array();
      int chunk = out.length / Float.BYTES;
      for (int at = from, end = from + n; at < end; at += chunk) {
        int k = Math.min(chunk, end - at);
        for (int j = 0; j < k; j++) {
          INT_LE.set(out, j * Float.BYTES, SAMPLE_BITS[samples[at + j] & 0xFF]);
        }
        digest.update(out, 0, k * Float.BYTES);
      }
    }

    /** Adds the labels; call once, after every pixel. */
    void labels(int[] labels) {
      int chunk = buffer.capacity() / Integer.BYTES;
      for (int from = 0; from < labels.length; from += chunk) {
        int n = Math.min(chunk, labels.length - from);
        buffer.clear();
        buffer.asIntBuffer().put(labels, from, n);
        digest.update(buffer.array(), 0, n * Integer.BYTES);
      }
    }

    /** The fingerprint: the first {@value #HEX_DIGITS} hex digits. */
    String shortHex() {
      return Hashes.shortHex(digest);
    }
  }
}
