package org.convmirror.internal.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds (or downloads) Fashion-MNIST, 70k 28×28 gray clothing images in 10 classes (Xiao, Rasul and
 * Vollgraf 2017, arXiv:1708.07747), the default dataset.
 */
public final class FashionMnist {
  /** Label values index this list. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The official download location (append a file name). */
  public static final URI SOURCE =
      URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

  private FashionMnist() {}

  /**
   * Loads {@code split} from {@code dataDir} when given, else from {@link #SYSTEM_DIR}, else from
   * {@link #cacheDir()}, downloading into the cache when it is missing there.
   */
  public static ImageSet load(Path dataDir, Split split) {
    Path dir = locate(dataDir, split, List.of(SYSTEM_DIR), cacheDir(), SOURCE);
    return IdxFolder.read(dir, split).withClassNames(CLASS_NAMES);
  }

  /** {@code $XDG_CACHE_HOME/convmirror/fashion-mnist}, or {@code ~/.cache/…} when unset. */
  public static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("convmirror").resolve("fashion-mnist");
  }

  /**
   * The folder holding {@code split}; an explicit {@code dataDir} is never silently replaced by
   * another copy, so a run records the data it was asked to use.
   */
  static Path locate(Path dataDir, Split split, List<Path> systemDirs, Path cache, URI source) {
    if (dataDir != null) {
      IdxFolder.imagesFile(dataDir, split); // fails naming the expected file
      return dataDir;
    }
    List<Path> searched = new ArrayList<>(systemDirs);
    searched.add(cache);
    for (Path dir : searched) {
      if (IdxFolder.holds(dir, split)) {
        return dir;
      }
    }
    download(split, cache, source, searched);
    return cache;
  }

  private static void download(Split split, Path cache, URI source, List<Path> searched) {
    String imagesName = split.filePrefix() + "-images-idx3-ubyte.gz";
    String labelsName = split.filePrefix() + "-labels-idx1-ubyte.gz";
    URI url = source.resolve(imagesName);
    Path images = null;
    Path labels = null;
    try {
      System.err.println(
          "Fashion-MNIST " + split + " not found; downloading " + url + " → " + cache);
      images = Download.toTemp(url, cache);
      url = source.resolve(labelsName);
      labels = Download.toTemp(url, cache);
      IdxFiles.read(images, labels); // a corrupt or HTML download must not enter the cache
      Download.moveIntoPlace(labels, cache.resolve(labelsName));
      Download.moveIntoPlace(images, cache.resolve(imagesName));
    } catch (IOException | DataException e) {
      deleteQuietly(images);
      deleteQuietly(labels);
      throw new DataException(
          "Fashion-MNIST "
              + split
              + " is not in "
              + searched.stream().map(Path::toString).toList()
              + " and downloading "
              + url
              + " failed ("
              + Download.reason(e)
              + "); "
              + IdxFiles.INSTALL_HINT,
          e);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // Best effort: a leftover .part file is harmless and never read as data.
      }
    }
  }
}
