package org.convmirror.internal.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Finds Fashion-MNIST, 70k 28×28 gray clothing images in 10 classes (Xiao, Rasul and Vollgraf 2017,
 * arXiv:1708.07747), the default dataset. It never downloads: convmirror runs offline, and the data
 * comes from Debian's package or from {@code --data}.
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

  private FashionMnist() {}

  /** Loads {@code split} from {@code dataDir} when given, else from {@link #SYSTEM_DIR}. */
  public static ImageSet load(Path dataDir, Split split) {
    return IdxFolder.read(locate(dataDir, split, SYSTEM_DIR), split).withClassNames(CLASS_NAMES);
  }

  /**
   * The folder holding {@code split}; an explicit {@code dataDir} is never silently replaced by
   * another copy, so a run records the data it was asked to use.
   */
  static Path locate(Path dataDir, Split split, Path systemDir) {
    if (dataDir != null) {
      IdxFolder.imagesFile(dataDir, split); // fails naming the expected file
      return dataDir;
    }
    if (!IdxFolder.holds(systemDir, split)) {
      throw new DataException(
          "Fashion-MNIST " + split + " is not in " + systemDir + "; " + IdxFiles.INSTALL_HINT);
    }
    return systemDir;
  }
}
