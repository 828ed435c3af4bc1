package org.convmirror.internal.run;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Renders a batch of images as one PNG grid (as torchvision's {@code make_grid}), so that samples
 * from a fixed noise batch can be compared epoch by epoch at a glance.
 *
 * <p>Use: {@code ImageGrid.of(batch).optRange(-1, 1).optScale(3).write(path)}.
 */
public final class ImageGrid {
  private final ImageBatch batch;
  private float lo = -1f;
  private float hi = 1f;
  private int cols;
  private int scale = 1;
  private int padding = 2;
  private int padValue = 128;

  private ImageGrid(ImageBatch batch) {
    this.batch = batch;
    // Near-square by default, as a person would lay out a contact sheet.
    this.cols = Math.max(1, (int) Math.ceil(Math.sqrt(batch.n())));
  }

  public static ImageGrid of(ImageBatch batch) {
    return new ImageGrid(batch);
  }

  /** Value range mapped to black..white; default [-1, 1] for tanh generators. */
  public ImageGrid optRange(float lo, float hi) {
    if (!(hi > lo)) {
      throw new IllegalArgumentException("range must have hi > lo, was [" + lo + ", " + hi + "]");
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** Images per row; default ceil(sqrt(N)). */
  public ImageGrid optCols(int cols) {
    if (cols < 1) {
      throw new IllegalArgumentException("cols must be ≥ 1, was " + cols);
    }
    this.cols = cols;
    return this;
  }

  /** Integer nearest-neighbour upscaling, so a 28×28 sample is big enough to see; default 1. */
  public ImageGrid optScale(int scale) {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be ≥ 1, was " + scale);
    }
    this.scale = scale;
    return this;
  }

  /** Pixels between images and around the border (not scaled) and their gray level. */
  public ImageGrid optPadding(int padding, int padValue) {
    if (padding < 0 || padValue < 0 || padValue > 255) {
      throw new IllegalArgumentException(
          "padding must be ≥ 0 and padValue in 0..255, was " + padding + ", " + padValue);
    }
    this.padding = padding;
    this.padValue = padValue;
    return this;
  }

  /** Number of rows the grid will have. */
  public int rows() {
    return Math.max(1, (batch.n() + cols - 1) / cols);
  }

  /** Draws the grid: 8-bit gray for one channel, RGB for three. */
  public BufferedImage render() {
    int cellW = batch.width() * scale;
    int cellH = batch.height() * scale;
    int cols = Math.min(this.cols, Math.max(1, batch.n()));
    int width = cols * cellW + (cols + 1) * padding;
    int height = rows() * cellH + (rows() + 1) * padding;
    int channels = batch.channels();
    BufferedImage img =
        new BufferedImage(
            width,
            height,
            channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    WritableRaster raster = img.getRaster();
    int[] fill = new int[width * channels];
    Arrays.fill(fill, padValue);
    for (int y = 0; y < height; y++) {
      raster.setPixels(0, y, width, 1, fill);
    }
    int[] pixel = new int[channels];
    for (int i = 0; i < batch.n(); i++) {
      int x0 = padding + (i % cols) * (cellW + padding);
      int y0 = padding + (i / cols) * (cellH + padding);
      for (int y = 0; y < cellH; y++) {
        for (int x = 0; x < cellW; x++) {
          for (int c = 0; c < channels; c++) {
            pixel[c] = toByte(batch.at(i, c, y / scale, x / scale));
          }
          raster.setPixel(x0 + x, y0 + y, pixel);
        }
      }
    }
    return img;
  }

  /** Renders and atomically writes the grid as a PNG. */
  public void write(Path png) throws IOException {
    writePng(png, render());
  }

  /**
   * Writes each image as its own PNG, {@code dir/00000.png} …, for tools (FID, people) that want
   * files rather than a sheet.
   */
  public static void writePngs(Path dir, ImageBatch batch, float lo, float hi) throws IOException {
    writePngs(dir, batch, lo, hi, 0, Math.max(5, String.valueOf(batch.n() - 1).length()));
  }

  /**
   * As {@link #writePngs(Path, ImageBatch, float, float)} for images {@code first} onwards of a
   * larger set, each named by its index in that set with {@code digits} digits.
   */
  public static void writePngs(
      Path dir, ImageBatch batch, float lo, float hi, long first, int digits) throws IOException {
    Files.createDirectories(dir);
    int size = batch.imageSize();
    for (int i = 0; i < batch.n(); i++) {
      float[] one = Arrays.copyOfRange(batch.data(), i * size, (i + 1) * size);
      ImageBatch single = new ImageBatch(one, 1, batch.channels(), batch.height(), batch.width());
      BufferedImage img = of(single).optRange(lo, hi).optPadding(0, 0).render();
      writePng(dir.resolve(String.format(Locale.ROOT, "%0" + digits + "d.png", first + i)), img);
    }
  }

  /** Writes all images in one row, e.g. a walk through latent space from z0 to z1. */
  public static void writeStrip(Path png, ImageBatch batch, float lo, float hi, int scale)
      throws IOException {
    of(batch).optRange(lo, hi).optCols(Math.max(1, batch.n())).optScale(scale).write(png);
  }

  static void writePng(Path png, BufferedImage img) throws IOException {
    AtomicFiles.write(
        png,
        out -> {
          if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available in this JVM");
          }
        });
  }

  private int toByte(float v) {
    // NaN would otherwise become 0 silently via the cast; map it explicitly to black.
    if (Float.isNaN(v)) {
      return 0;
    }
    float t = (v - lo) / (hi - lo);
    return Math.round(Math.min(1f, Math.max(0f, t)) * 255f);
  }
}
