package org.convmirror.internal.run;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A multi-file output (an export, a sample) assembled in a hidden folder inside its output folder
 * and then moved into place file by file, each by an atomic rename: a kill, a full disk or any
 * failure while writing leaves the previous output byte for byte as it was, and renames need no
 * space. The caller holds the folder's {@link OutputLock}, so leftovers of a killed writer can go.
 */
public final class StagedFolder implements Closeable {
  private static final String PREFIX = AtomicFiles.TEMP_PREFIX + "stage-";

  private final Path dir;
  private final Path staging;

  private StagedFolder(Path dir, Path staging) {
    this.dir = dir;
    this.staging = staging;
  }

  /** A fresh staging folder in {@code dir} (which the caller has locked). */
  public static StagedFolder open(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : old) CheckpointFiles.deleteTree(p); // a killed writer's, under our lock now
    }
    Path staging = Files.createDirectory(AtomicFiles.tempSibling(dir.resolve(PREFIX)));
    return new StagedFolder(dir, staging);
  }

  /** Where to write the output's files. */
  public Path path() {
    return staging;
  }

  /** Where {@code staged}, a file written under {@link #path}, lands on {@link #publish}. */
  public Path target(Path staged) {
    return dir.resolve(staging.relativize(staged).toString());
  }

  /**
   * Moves every staged file over its namesake in the output folder (a link there is replaced, not
   * followed), the files named {@code last} after all others: the file a reader opens first (a
   * page's {@code index.html}) never names files that are not there yet.
   */
  public void publish(String... last) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(staging)) {
      files = new ArrayList<>(walk.filter(p -> Files.isRegularFile(p)).toList());
    }
    List<String> lastNames = List.of(last);
    files.sort(
        Comparator.comparing(
            (Path p) -> lastNames.contains(staging.relativize(p).toString()) ? 1 : 0));
    for (Path f : files) {
      Path target = target(f);
      Path parent = target.getParent();
      if (Files.isSymbolicLink(parent)) {
        throw new org.convmirror.error.UsageException(
            parent + " is a symbolic link; remove it (rm '" + parent + "') and run again");
      }
      Files.createDirectories(parent);
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new org.convmirror.error.UsageException(
            target + " is a folder where a file goes; move it away and run again");
      }
      AtomicFiles.move(f, target);
    }
    AtomicFiles.fsyncDirectory(dir);
    CheckpointFiles.deleteTree(staging);
  }

  /**
   * {@code e}, a failure while writing into {@link #path}, naming the output folder's file instead
   * of the staged one: that is the file the user knows (the previous one is intact).
   */
  public IOException named(IOException e) {
    return e instanceof DiskFullException d ? d.renamed(staging, dir) : e;
  }

  /** Removes the staging folder; unpublished files go with it. */
  @Override
  public void close() {
    CheckpointFiles.deleteQuietly(staging);
  }
}
