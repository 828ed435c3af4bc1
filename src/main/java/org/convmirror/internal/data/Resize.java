package org.convmirror.internal.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Image conversion for {@link ImageFolder}: to opaque RGB, then aspect-preserving resize + crop.
 */
final class Resize {
  private Resize() {}

  /**
   * Copies {@code image} into an opaque RGB image, dropping alpha as PIL's {@code convert("RGB")}
   * does, so folder data matches what torchvision would load.
   */
  static BufferedImage toRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    boolean gray =
        image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    if (gray && (bands == 1 || bands == 2)) {
      // getRGB() on gray images runs a linear-to-sRGB conversion that brightens mid-tones
      // (128 → ~186); the stored samples are what the file means, so read them directly.
      int bits = raster.getSampleModel().getSampleSize(0);
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int v = bits >= 8 ? row[x] >>> (bits - 8) : row[x] * 255 / ((1 << bits) - 1);
          row[x] = (v << 16) | (v << 8) | v;
        }
        out.setRGB(0, y, w, 1, row, 0, w);
      }
      return out;
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        row[x] &= 0xFFFFFF;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  /**
   * Scales {@code rgb} so its shorter side fits {@code height×width}, then crops the centre to
   * exactly that size.
   */
  static BufferedImage fitAndCrop(BufferedImage rgb, int height, int width) {
    int w0 = rgb.getWidth();
    int h0 = rgb.getHeight();
    double scale = Math.max((double) width / w0, (double) height / h0);
    int sw = Math.max(width, (int) Math.round(w0 * scale));
    int sh = Math.max(height, (int) Math.round(h0 * scale));
    BufferedImage scaled = scale(rgb, sw, sh);
    int x = (sw - width) / 2;
    int y = (sh - height) / 2;
    if (x == 0 && y == 0 && sw == width && sh == height) {
      return scaled;
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(scaled, -x, -y, null);
    g.dispose();
    return out;
  }

  private static BufferedImage scale(BufferedImage image, int w, int h) {
    BufferedImage current = image;
    // Bilinear/bicubic sample only a 2×2/4×4 neighbourhood, so one big downscale aliases;
    // halving step by step averages every source pixel (Campbell, "The Perils of
    // Image.getScaledInstance()").
    while (current.getWidth() >= 2 * w && current.getHeight() >= 2 * h) {
      current =
          draw(
              current,
              current.getWidth() / 2,
              current.getHeight() / 2,
              RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }
    if (current.getWidth() == w && current.getHeight() == h) {
      return current;
    }
    return draw(current, w, h, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
  }

  private static BufferedImage draw(BufferedImage image, int w, int h, Object interpolation) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /**
   * Writes {@code rgb} as C×H×W 8-bit samples; one channel is ITU-R 601 luminance rounded as PIL's
   * {@code convert("L")} computes it, so gray data matches what torchvision would load.
   */
  static void toBytes(BufferedImage rgb, int channels, byte[] dest, int offset) {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int plane = w * h;
    int[] argb = rgb.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < plane; i++) {
      int r = (argb[i] >> 16) & 0xFF;
      int g = (argb[i] >> 8) & 0xFF;
      int b = argb[i] & 0xFF;
      if (channels == 1) {
        // PIL's fixed-point weights 0.299, 0.587, 0.114 (scaled by 2¹⁶, rounded): gray stays exact.
        dest[offset + i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
      } else {
        dest[offset + i] = (byte) r;
        dest[offset + plane + i] = (byte) g;
        dest[offset + 2 * plane + i] = (byte) b;
      }
    }
  }
}
