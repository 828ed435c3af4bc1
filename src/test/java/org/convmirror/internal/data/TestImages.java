package org.convmirror.internal.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Image folders for tests: random RGB PNGs in class sub-folders, and every kind of file a folder
 * can hold that is not a usable image.
 */
public final class TestImages {
  private TestImages() {}

  /** A random {@code w×h} RGB PNG, the same for the same {@code seed}. */
  public static byte[] png(int w, int h, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) image.setRGB(x, y, r.nextInt(1 << 24));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A random {@code w×h} RGB JPEG. */
  static byte[] jpeg(int w, int h, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) image.setRGB(x, y, r.nextInt(1 << 24));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  /**
   * {@code perClass} random PNGs of varied sizes in each of {@code classes} sub-folders {@code c0,
   * c1, …} of {@code root}; returns {@code root}.
   */
  public static Path folder(Path root, int classes, int perClass) throws IOException {
    for (int c = 0; c < classes; c++) {
      Path dir = Files.createDirectories(root.resolve("c" + c));
      for (int i = 0; i < perClass; i++) {
        int seed = c * 1000 + i;
        Files.write(dir.resolve(String.format("%03d.png", i)), png(9 + i % 5, 8 + seed % 3, seed));
      }
    }
    return root;
  }

  /** The kinds of unusable file, each written by {@link #bad}. */
  public enum Bad {
    ZERO_BYTE,
    TRUNCATED,
    /** A JPEG cut in half: Java's decoder warns and fills the rest with gray. */
    TRUNCATED_JPEG,
    NOT_AN_IMAGE,
    CORRUPT,
    /** chmod 000: unreadable, except to root. */
    UNREADABLE,
    /** A link to a file every read of fails ({@code /proc/self/mem}): unreadable even to root. */
    READ_ERROR
  }

  /** The file name tests give a file of kind {@code kind}, e.g. {@code CORRUPT.png}. */
  public static String name(Bad kind) {
    return kind + (kind == Bad.TRUNCATED_JPEG ? ".jpg" : ".png");
  }

  /** Writes a file of kind {@code kind} at {@code file}; returns it. */
  public static Path bad(Bad kind, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    switch (kind) {
      case ZERO_BYTE -> Files.write(file, new byte[0]);
      case TRUNCATED -> {
        byte[] whole = png(40, 40, 7);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
      }
      case TRUNCATED_JPEG -> {
        byte[] whole = jpeg(64, 48, 7);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
      }
      case NOT_AN_IMAGE ->
          Files.writeString(file, "these are my notes, saved as .png by mistake\n");
      case CORRUPT -> {
        // A real PNG whose compressed pixel data is overwritten: the header still parses.
        byte[] png = png(40, 40, 8);
        for (int i = png.length / 3; i < png.length - 16; i++) png[i] = (byte) (i * 31);
        Files.write(file, png);
      }
      case UNREADABLE -> {
        Files.write(file, png(10, 10, 9));
        Files.setPosixFilePermissions(file, java.util.Set.of()); // chmod 000
      }
      case READ_ERROR -> Files.createSymbolicLink(file, Path.of("/proc/self/mem"));
    }
    return file;
  }

  /** Whether {@code file} of kind {@code kind} is unusable here (root reads a chmod-000 file). */
  public static boolean unusable(Bad kind, Path file) {
    return kind != Bad.UNREADABLE || !Files.isReadable(file);
  }

  /** The start of the reason a file of kind {@code kind} is skipped with. */
  public static String reason(Bad kind) {
    return switch (kind) {
      case ZERO_BYTE -> "empty file (0 bytes)";
      case TRUNCATED -> "truncated (";
      case TRUNCATED_JPEG -> "truncated (the file ends before the image does)";
      case NOT_AN_IMAGE -> "not an image (";
      case CORRUPT -> "corrupt (";
      case UNREADABLE -> "permission denied";
      case READ_ERROR -> "cannot read (";
    };
  }
}
