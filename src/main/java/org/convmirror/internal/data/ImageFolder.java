package org.convmirror.internal.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads every PNG/JPEG under a folder (recursively, in sorted path order), converted to the
 * requested channels and resized + centre-cropped to exactly H×W; images in sub-folders are
 * labelled by the sub-folder's index among the sorted sub-folder names, as in torchvision's {@code
 * ImageFolder}.
 *
 * <p>The first use of a folder at a shape decodes it on every core into an {@link ImageCache} file;
 * later uses map that file. Files that cannot be used (empty, unreadable, not an image, truncated,
 * corrupt) are skipped with one warning line, or refuse the folder under {@code strict}.
 */
public final class ImageFolder {
  /** File name endings searched for, lower-cased. */
  public static final List<String> EXTENSIONS = FolderScan.EXTENSIONS;

  private ImageFolder() {}

  /** Reads all images under {@code root} as {@code channels×height×width} (1 = gray, 3 = RGB). */
  public static ImageSet read(Path root, int channels, int height, int width) {
    return read(root, channels, height, width, DataAccess.defaults());
  }

  /** The same, opened as {@code access} says. */
  public static ImageSet read(Path root, int channels, int height, int width, DataAccess access) {
    return open(root, channels, height, width, access, false)
        .report(access.console(), access.strict())
        .images();
  }

  /**
   * Opens {@code root} through its cache, decoding it when the cache misses, is stale or damaged,
   * or {@code rebuild} asks.
   */
  static FolderData open(
      Path root, int channels, int height, int width, DataAccess access, boolean rebuild) {
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
    FolderScan scan = FolderScan.of(root).requireImages();
    return ImageCache.open(scan, channels, height, width, access, rebuild);
  }
}
