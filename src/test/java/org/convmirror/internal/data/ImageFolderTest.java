package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class ImageFolderTest {
  @TempDir Path dir;
  @TempDir Path cache;

  private static Path png(Path file, BufferedImage image) throws IOException {
    return write(file, image, "png");
  }

  private static Path write(Path file, BufferedImage image, String format) throws IOException {
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(image, format, file.toFile()));
    return file;
  }

  private static BufferedImage filled(int w, int h, int type, int argb) {
    BufferedImage image = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, argb);
      }
    }
    return image;
  }

  @Test
  void grayPngKeepsItsExactSampleValues() throws IOException {
    BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    for (int p = 0; p < 16; p++) {
      gray.getRaster().setSample(p % 4, p / 4, 0, p * 17);
    }
    png(dir.resolve("g.png"), gray);
    ImageSet set = ImageFolder.read(dir, 1, 4, 4);
    float[] image = set.image(0);
    for (int p = 0; p < 16; p++) {
      // getRGB() would have gamma-brightened mid-tones (128 → ~186); the raw sample must survive.
      assertEquals(p * 17 / 127.5f - 1f, image[p], 1e-6f, "pixel " + p);
    }
    assertFalse(set.hasLabels());
    float[] rgb = ImageFolder.read(dir, 3, 4, 4).image(0);
    assertEquals(image[5], rgb[5], 1e-6f);
    assertEquals(image[5], rgb[16 + 5], 1e-6f);
    assertEquals(image[5], rgb[32 + 5], 1e-6f);
  }

  @Test
  void rgbPngIsPlanarChwAndGrayIsLuminance() throws IOException {
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xC86432); // (200, 100, 50)
    png(dir.resolve("c.png"), image);
    float[] rgb = ImageFolder.read(dir, 3, 2, 3).image(0);
    assertEquals(18, rgb.length);
    assertEquals(200 / 127.5f - 1f, rgb[0], 1e-6f);
    assertEquals(100 / 127.5f - 1f, rgb[6], 1e-6f);
    assertEquals(50 / 127.5f - 1f, rgb[12], 1e-6f);
    assertEquals(-1f, rgb[1], 0f);
    float[] gray = ImageFolder.read(dir, 1, 2, 3).image(0);
    assertEquals(124 / 127.5f - 1f, gray[0], 0f); // PIL's convert("L") of (200, 100, 50)
  }

  @Test
  void grayFromColourIsPilsLuminanceExactly() throws IOException {
    // (r, g, b) → L as Debian's python3-pil computes Image.new("RGB", (1, 1), c).convert("L").
    int[][] golden = {
      {200, 100, 50, 124},
      {255, 255, 255, 255},
      {0, 0, 0, 0},
      {1, 2, 3, 2},
      {255, 0, 0, 76},
      {0, 255, 0, 150},
      {0, 0, 255, 29},
      {128, 64, 255, 105},
      {37, 201, 99, 140},
      {254, 253, 1, 225}
    };
    BufferedImage row = new BufferedImage(golden.length, 1, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < golden.length; i++) {
      row.setRGB(i, 0, golden[i][0] << 16 | golden[i][1] << 8 | golden[i][2]);
    }
    png(dir.resolve("row.png"), row);
    float[] gray = ImageFolder.read(dir, 1, 1, golden.length).image(0);
    for (int i = 0; i < golden.length; i++) {
      assertEquals(golden[i][3] / 127.5f - 1f, gray[i], 0f, "colour " + i);
    }
  }

  @Test
  void alphaIsDroppedNotComposited() throws IOException {
    png(dir.resolve("a.png"), filled(2, 2, BufferedImage.TYPE_INT_ARGB, 0x00FF0000));
    float[] rgb = ImageFolder.read(dir, 3, 2, 2).image(0);
    assertArrayEquals(new float[] {1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1}, rgb);
  }

  @Test
  void nonSquareIsScaledToTheShorterSideThenCentreCropped() throws IOException {
    // 40 wide × 20 tall, left half black, right half white → 20×10 → centre 10×10.
    BufferedImage image = filled(40, 20, BufferedImage.TYPE_INT_RGB, 0);
    for (int y = 0; y < 20; y++) {
      for (int x = 20; x < 40; x++) {
        image.setRGB(x, y, 0xFFFFFF);
      }
    }
    png(dir.resolve("wide.png"), image);
    ImageSet set = ImageFolder.read(dir, 1, 10, 10);
    assertEquals("1×10×10", set.shape());
    float[] pixels = set.image(0);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        assertEquals(x < 5 ? -1f : 1f, pixels[y * 10 + x], 0.02f, "(" + x + "," + y + ")");
      }
    }
  }

  @Test
  void bigDownscaleAveragesInsteadOfAliasing() throws IOException {
    BufferedImage checker = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 400; x++) {
        checker.getRaster().setSample(x, y, 0, (x + y) % 2 == 0 ? 255 : 0);
      }
    }
    png(dir.resolve("checker.png"), checker);
    for (float v : ImageFolder.read(dir, 1, 12, 16).image(0)) {
      assertEquals(0f, v, 0.1f); // a fine checkerboard is mid-gray at low resolution
    }
  }

  @Test
  void upscalesAndReadsJpeg() throws IOException {
    write(dir.resolve("small.jpg"), filled(3, 5, BufferedImage.TYPE_INT_RGB, 0x3366CC), "jpg");
    float[] rgb = ImageFolder.read(dir, 3, 8, 8).image(0);
    assertEquals(0x33 / 127.5f - 1f, rgb[0], 0.05f);
    assertEquals(0xCC / 127.5f - 1f, rgb[128 + 27], 0.05f);
  }

  @Test
  void subFoldersBecomeSortedClassLabelsInSortedPathOrder() throws IOException {
    png(dir.resolve("shoe/1.png"), filled(4, 4, BufferedImage.TYPE_INT_RGB, 0xFFFFFF));
    png(dir.resolve("bag/b.PNG"), filled(4, 4, BufferedImage.TYPE_INT_RGB, 0));
    png(dir.resolve("bag/deeper/a.png"), filled(4, 4, BufferedImage.TYPE_INT_RGB, 0x808080));
    ImageSet set = ImageFolder.read(dir, 1, 4, 4);
    assertEquals(List.of("bag", "shoe"), set.classNames());
    assertArrayEquals(new int[] {0, 0, 1}, set.labels());
    assertEquals(-1f, set.image(0)[0], 0f); // bag/b.PNG sorts before bag/deeper/a.png
    assertEquals(1f, set.image(2)[0], 0f);
  }

  @Test
  void looseImagesNextToSubFoldersMeanNoLabels() throws IOException {
    png(dir.resolve("a/1.png"), filled(2, 2, BufferedImage.TYPE_INT_RGB, 0));
    png(dir.resolve("loose.png"), filled(2, 2, BufferedImage.TYPE_INT_RGB, 0));
    ImageSet set = ImageFolder.read(dir, 1, 2, 2);
    assertNull(set.labels());
    assertTrue(set.classNames().isEmpty());
  }

  @Test
  void corruptImageIsSkippedWithOneLineOrRefusedWhenStrict() throws IOException {
    png(dir.resolve("ok.png"), filled(2, 2, BufferedImage.TYPE_INT_RGB, 0));
    Path bad = dir.resolve("bad.png");
    Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3});
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    DataAccess access =
        DataAccess.defaults()
            .withConsole(new java.io.PrintStream(out, true), n -> DataAccess.lines(nowhere(), n))
            .withCacheDir(cache);
    ImageSet set = ImageFolder.read(dir, 1, 2, 2, access);
    assertEquals(1, set.count());
    String warning = out.toString().strip();
    assertEquals(1, warning.lines().count(), warning);
    assertTrue(
        warning.startsWith("warning: skipped 1 of 2 files that cannot be used: bad.png ("),
        warning);

    DataException e =
        assertThrows(
            DataException.class, () -> ImageFolder.read(dir, 1, 2, 2, access.withStrict(true)));
    assertTrue(
        e.getMessage().startsWith(dir + ": 1 of 2 files cannot be used: bad.png ("),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("fix or delete them, or leave out --strict to skip them"),
        e.getMessage());
  }

  private static java.io.PrintStream nowhere() {
    return new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
  }

  @Test
  void folderWithoutImagesListsTheExtensionsSearched() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "hi");
    DataException e = assertThrows(DataException.class, () -> ImageFolder.read(dir, 1, 2, 2));
    assertEquals(
        dir
            + ": no images found (searched recursively for .png, .jpg, .jpeg); put images there"
            + " or point --data at another folder",
        e.getMessage());
  }

  @Test
  void missingFolderAndUnsupportedChannelsAreClear() {
    Path missing = dir.resolve("missing");
    DataException e = assertThrows(DataException.class, () -> ImageFolder.read(missing, 1, 2, 2));
    assertTrue(e.getMessage().startsWith(missing + ": no such folder;"), e.getMessage());
    e = assertThrows(DataException.class, () -> ImageFolder.read(dir, 2, 2, 2));
    assertTrue(e.getMessage().contains("1 (gray) or 3 (RGB) channels"), e.getMessage());
  }
}
