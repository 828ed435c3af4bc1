package org.convmirror.internal.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one image file into 8-bit C×H×W samples of the target size (opaque RGB, then resized and
 * centre-cropped by {@link Resize}), or says in a few words why the file cannot be used: empty,
 * unreadable, not an image, truncated, corrupt, or too large to decode.
 */
final class ImageDecoder {
  /**
   * Larger images are refused rather than decoded: 100 megapixels already take ~0.7 GB of heap per
   * decoding thread (the decoded raster plus its RGB copy), and no dataset image needs that many.
   */
  static final long MAX_PIXELS = 100_000_000L;

  private ImageDecoder() {}

  /** What a decoded file was before conversion: its size and colour mode, e.g. {@code RGBA}. */
  record Source(int width, int height, String mode) {}

  /** Why a file was skipped, as a short phrase, e.g. {@code "empty file (0 bytes)"}. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String reason) {
      super(reason, null, false, false); // a verdict, not a failure: no stack trace to fill
    }
  }

  /**
   * Decodes {@code file} into {@code dest} at {@code offset} as {@code channels×height×width}
   * samples and returns what the file held.
   */
  static Source decode(Path file, int channels, int height, int width, byte[] dest, int offset)
      throws Unusable {
    BufferedImage image = read(file);
    String mode = mode(image);
    Source source = new Source(image.getWidth(), image.getHeight(), mode);
    BufferedImage rgb = Resize.fitAndCrop(Resize.toRgb(image), height, width);
    Resize.toBytes(rgb, channels, dest, offset);
    return source;
  }

  private static BufferedImage read(Path file) throws Unusable {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (AccessDeniedException e) {
      throw new Unusable("permission denied");
    } catch (IOException | RuntimeException e) {
      throw new Unusable("cannot read (" + e.getMessage() + ")");
    }
    if (bytes.length == 0) throw new Unusable("empty file (0 bytes)");
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext())
        throw new Unusable("not an image (no PNG/JPEG decoder recognises it)");
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new Unusable(
              "too large to decode ("
                  + reader.getWidth(0)
                  + "×"
                  + reader.getHeight(0)
                  + ", over "
                  + MAX_PIXELS / 1_000_000
                  + " megapixels); shrink it");
        }
        boolean[] truncated = {false};
        // A cut-off JPEG decodes with a warning ("Truncated File - Missing EOI marker", "premature
        // end of data segment") and a gray tail; PIL refuses it, and so do we. Other warnings,
        // such as extraneous bytes before a marker, leave the image whole.
        reader.addIIOReadWarningListener(
            (IIOReadWarningListener)
                (source, warning) -> {
                  String w = warning.toLowerCase(Locale.ROOT);
                  truncated[0] |= w.contains("truncated") || w.contains("premature end");
                });
        BufferedImage image = reader.read(0);
        if (truncated[0]) throw new Unusable("truncated (the file ends before the image does)");
        return image;
      } finally {
        reader.dispose();
      }
    } catch (Unusable e) {
      throw e;
    } catch (IOException e) {
      throw new Unusable((endsEarly(e) ? "truncated (" : "corrupt (") + describe(e) + ")");
    } catch (RuntimeException e) {
      // Decoders throw unchecked exceptions on some malformed data; the file is the problem.
      throw new Unusable("corrupt (" + describe(e) + ")");
    }
  }

  private static boolean endsEarly(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException
          || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("end of")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root != e && root.getMessage() != null) m += ": " + root.getMessage();
    return m;
  }

  /** The colour mode as people name it: gray, gray+alpha, palette, RGB, RGBA, with odd depths. */
  static String mode(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    int bits = cm.getComponentSize(0);
    String depth = bits == 8 || cm instanceof IndexColorModel ? "" : bits + "-bit ";
    if (cm instanceof IndexColorModel) return cm.hasAlpha() ? "palette+alpha" : "palette";
    if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      return depth + (cm.hasAlpha() ? "gray+alpha" : "gray");
    }
    return depth + (cm.hasAlpha() ? "RGBA" : "RGB");
  }
}
