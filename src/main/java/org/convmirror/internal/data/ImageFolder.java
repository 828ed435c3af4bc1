package org.convmirror.internal.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads every PNG/JPEG under a folder (recursively, in sorted path order), converted to the
 * requested channels and resized + centre-cropped to exactly H×W; images in sub-folders are
 * labelled by the sub-folder's index among the sorted sub-folder names, as in torchvision's {@code
 * ImageFolder}.
 */
public final class ImageFolder {
  /** File name endings searched for, lower-cased. */
  public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

  private ImageFolder() {}

  /** Reads all images under {@code root} as {@code channels×height×width} (1 = gray, 3 = RGB). */
  public static ImageSet read(Path root, int channels, int height, int width) {
    if (channels != 1 && channels != 3) {
      throw new DataException(
          "image folders load as 1 (gray) or 3 (RGB) channels, but the model expects "
              + channels
              + "; set the model's image channels to 1 or 3");
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "height and width must be ≥ 1, were " + height + "×" + width);
    }
    List<Path> files = imageFiles(root);
    List<String> classes = classNames(root, files);
    int size = channels * height * width;
    float[] pixels = new float[Math.multiplyExact(files.size(), size)];
    int[] labels = classes.isEmpty() ? null : new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      BufferedImage rgb = Resize.fitAndCrop(Resize.toRgb(decode(file)), height, width);
      Resize.toPixels(rgb, channels, pixels, i * size);
      if (labels != null) {
        labels[i] = classes.indexOf(root.relativize(file).getName(0).toString());
      }
    }
    String source =
        root
            + " ("
            + files.size()
            + " images resized to "
            + channels
            + "×"
            + height
            + "×"
            + width
            + ")";
    return new ImageSet(
        files.size(), channels, height, width, pixels, labels, classes, source, null);
  }

  /** Whether {@code dir} holds at least one image file anywhere below it. */
  public static boolean holdsImages(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(ImageFolder::isImage);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The image files under {@code root}, sorted; fails if the folder is missing or has none. */
  static List<Path> imageFiles(Path root) {
    if (!Files.isDirectory(root)) {
      throw new DataException(
          root + ": no such folder; pass --data with a folder of PNG/JPEG images or IDX files");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      // Sorting the relative path strings keeps the order the same on every file system.
      files = walk.filter(ImageFolder::isImage).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DataException(root + ": cannot list folder (" + e.getMessage() + ")", e);
    }
    if (files.isEmpty()) {
      throw new DataException(
          root
              + ": no images found (searched recursively for "
              + String.join(", ", EXTENSIONS)
              + "); put images there or point --data at another folder");
    }
    return files;
  }

  // Labels only when every image sits in a sub-folder: a mix of loose and filed images has no
  // consistent class for the loose ones.
  private static List<String> classNames(Path root, List<Path> files) {
    Set<String> names = new TreeSet<>();
    for (Path file : files) {
      Path relative = root.relativize(file);
      if (relative.getNameCount() < 2) {
        return List.of();
      }
      names.add(relative.getName(0).toString());
    }
    return new ArrayList<>(names);
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith) && Files.isRegularFile(p);
  }

  private static BufferedImage decode(Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DataException(
          file + ": cannot decode image (" + e.getMessage() + "); delete or re-save it", e);
    }
    if (image == null) {
      throw new DataException(
          file + ": not a readable PNG/JPEG (no decoder recognised it); delete or re-save it");
    }
    return image;
  }
}
