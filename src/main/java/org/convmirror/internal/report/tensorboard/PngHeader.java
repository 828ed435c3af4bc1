package org.convmirror.internal.report.tensorboard;

import java.nio.ByteBuffer;

/**
 * A PNG's size and TensorBoard colour space, from its IHDR chunk (bytes 16–25), without decoding
 * the image.
 */
record PngHeader(int width, int height, int colorspace) {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  static PngHeader of(byte[] png) {
    if (png.length < 26) throw new IllegalArgumentException("not a PNG: " + png.length + " bytes");
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (png[i] != SIGNATURE[i]) throw new IllegalArgumentException("not a PNG: bad signature");
    }
    ByteBuffer b = ByteBuffer.wrap(png); // PNG integers are big-endian, ByteBuffer's default
    int width = b.getInt(16);
    int height = b.getInt(20);
    int colorType = png[25];
    int colorspace =
        switch (colorType) {
          case 0 -> 1; // greyscale
          case 4 -> 2; // greyscale + alpha
          case 6 -> 4; // RGBA
          default -> 3; // RGB, or a palette decoded to RGB
        };
    return new PngHeader(width, height, colorspace);
  }
}
