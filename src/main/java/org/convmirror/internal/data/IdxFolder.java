package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a split's IDX files in a folder laid out like MNIST ({@code train-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}, …), also accepting EMNIST's {@code *-test-*} names and
 * Kaggle's {@code train-images.idx3-ubyte}.
 */
public final class IdxFolder {
  private IdxFolder() {}

  /** Reads the images and (when present) labels of {@code split} from {@code dir}. */
  public static ImageSet read(Path dir, Split split) {
    Path images = imagesFile(dir, split);
    return IdxFiles.read(images, labelsFor(images));
  }

  /** Whether {@code dir} holds an images file for {@code split}. */
  public static boolean holds(Path dir, Split split) {
    return Files.isDirectory(dir) && !matches(dir, split).isEmpty();
  }

  /** The images file of {@code split} in {@code dir}; fails naming the expected file name. */
  public static Path imagesFile(Path dir, Split split) {
    if (!Files.isDirectory(dir)) {
      throw new DataException(dir + ": no such folder; " + IdxFiles.INSTALL_HINT);
    }
    List<Path> found = matches(dir, split);
    if (found.isEmpty()) {
      throw new DataException(
          dir
              + ": no "
              + split
              + " images file (looked for "
              + split.filePrefix()
              + "-images-idx3-ubyte[.gz]); "
              + IdxFiles.INSTALL_HINT);
    }
    // Prefer the uncompressed copy when both exist: same content, no inflate time.
    List<Path> distinct = new ArrayList<>();
    for (Path p : found) {
      String name = p.getFileName().toString();
      boolean rawTwinExists =
          name.endsWith(".gz")
              && found.contains(p.resolveSibling(name.substring(0, name.length() - 3)));
      if (!rawTwinExists) {
        distinct.add(p);
      }
    }
    if (distinct.size() > 1) {
      throw new DataException(
          dir
              + ": several "
              + split
              + " images files "
              + distinct.stream().map(p -> p.getFileName().toString()).toList()
              + "; pass the one you want with --data FILE");
    }
    return distinct.get(0);
  }

  /** The labels file next to {@code images} by MNIST naming, or null when there is none. */
  public static Path labelsFor(Path images) {
    String name = images.getFileName().toString();
    String labelsName =
        name.replace("images-idx3", "labels-idx1").replace("images.idx3", "labels.idx1");
    if (labelsName.equals(name)) {
      return null;
    }
    String base =
        labelsName.endsWith(".gz") ? labelsName.substring(0, labelsName.length() - 3) : labelsName;
    for (String candidate : List.of(labelsName, base, base + ".gz")) {
      Path p = images.resolveSibling(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static List<Path> matches(Path dir, Split split) {
    String prefixes = split == Split.TRAIN ? "train" : "t10k|test";
    Pattern pattern = Pattern.compile("(.*[-_])?(" + prefixes + ")-images[-.]idx3-ubyte(\\.gz)?");
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p -> pattern.matcher(p.getFileName().toString().toLowerCase(Locale.ROOT)).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new DataException(dir + ": cannot list folder (" + e + ")", e);
    }
  }
}
