package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class ImageGridTest {
  @TempDir Path dir;

  @Test
  void grayscalePixelsRoundTripThroughPng() throws IOException {
    // Two 1×2×3 images; range [0, 255] makes every value an exact byte.
    float[] data = {0, 10, 20, 30, 40, 50, 255, 254, 253, 252, 251, 250};
    Path png = dir.resolve("grid.png");
    ImageGrid.of(new ImageBatch(data, 2, 1, 2, 3)).optRange(0, 255).optCols(2).write(png);

    BufferedImage img = ImageIO.read(png.toFile());
    // width = 2 cols × 3 + 3 paddings × 2, height = 1 row × 2 + 2 paddings × 2
    assertEquals(12, img.getWidth());
    assertEquals(6, img.getHeight());
    Raster r = img.getRaster();
    assertEquals(1, r.getNumBands());
    assertEquals(128, r.getSample(0, 0, 0)); // padding
    assertEquals(0, r.getSample(2, 2, 0));
    assertEquals(20, r.getSample(4, 2, 0));
    assertEquals(30, r.getSample(2, 3, 0));
    assertEquals(50, r.getSample(4, 3, 0));
    assertEquals(128, r.getSample(5, 2, 0)); // padding between images
    assertEquals(255, r.getSample(7, 2, 0));
    assertEquals(250, r.getSample(9, 3, 0));
  }

  @Test
  void tanhRangeClampsAndMaps() {
    float[] data = {-1, 0, 1, 7, -3, Float.NaN};
    BufferedImage img = ImageGrid.of(new ImageBatch(data, 1, 1, 1, 6)).optPadding(0, 0).render();
    int[] row = img.getRaster().getPixels(0, 0, 6, 1, (int[]) null);
    assertArrayEquals(new int[] {0, 128, 255, 255, 0, 0}, row);
  }

  @Test
  void rgbWithUpscalingAndEmptyCells() throws IOException {
    // Three 3×1×1 images (pure red, green, blue) in [0, 1], 2 columns → 2 rows, one empty cell.
    float[] data = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    Path png = dir.resolve("rgb.png");
    ImageGrid grid =
        ImageGrid.of(new ImageBatch(data, 3, 3, 1, 1)).optRange(0, 1).optCols(2).optScale(3);
    assertEquals(2, grid.rows());
    grid.write(png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(2 * 3 + 3 * 2, img.getWidth());
    assertEquals(2 * 3 + 3 * 2, img.getHeight());
    Raster r = img.getRaster();
    assertArrayEquals(new int[] {255, 0, 0}, r.getPixel(2, 2, (int[]) null));
    assertArrayEquals(new int[] {255, 0, 0}, r.getPixel(4, 4, (int[]) null)); // upscaled
    assertArrayEquals(new int[] {0, 255, 0}, r.getPixel(7, 2, (int[]) null));
    assertArrayEquals(new int[] {0, 0, 255}, r.getPixel(2, 7, (int[]) null));
    assertArrayEquals(new int[] {128, 128, 128}, r.getPixel(7, 7, (int[]) null)); // empty cell
  }

  @Test
  void individualPngsAndStrip() throws IOException {
    float[] data = new float[4 * 28 * 28];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i / (28 * 28)) / 3f; // image i is uniformly i/3
    }
    ImageBatch batch = new ImageBatch(data, 4, 1, 28, 28);
    ImageGrid.writePngs(dir.resolve("each"), batch, 0, 1);
    List<String> names;
    try (var s = Files.list(dir.resolve("each"))) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of("00000.png", "00001.png", "00002.png", "00003.png"), names);
    BufferedImage third = ImageIO.read(dir.resolve("each/00002.png").toFile());
    assertEquals(28, third.getWidth());
    assertEquals(170, third.getRaster().getSample(13, 13, 0));

    Path strip = dir.resolve("strip.png");
    ImageGrid.writeStrip(strip, batch, 0, 1, 2);
    BufferedImage s = ImageIO.read(strip.toFile());
    assertEquals(4 * 56 + 5 * 2, s.getWidth());
    assertEquals(56 + 2 * 2, s.getHeight());
  }

  @Test
  void batchValidatesShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ImageBatch(new float[5], 1, 1, 2, 3));
    assertEquals("data length must be N*C*H*W = 6 for shape (1, 1, 2, 3), was 5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ImageBatch(new float[4], 1, 4, 1, 1));
  }
}
