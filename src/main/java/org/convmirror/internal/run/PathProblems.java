package org.convmirror.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Says why a path the user gave is not what a command needs, as the words that follow the path in a
 * message: "does not exist" is only said of what truly is not there, not of a symbolic link that
 * loops or dangles, nor of a file given where a folder belongs.
 */
public final class PathProblems {
  /** How many links a chain may pass through before it counts as a loop (Linux's own limit). */
  private static final int MAX_HOPS = 40;

  private PathProblems() {}

  /** Why {@code path} is not an existing folder, or null if it is one. */
  public static String whyNotFolder(Path path) {
    if (Files.isDirectory(path)) return null;
    if (Files.isRegularFile(path)) return "is a file, not a folder";
    return whyNotThere(path, "folder");
  }

  /** Why {@code path} is not an existing regular file, or null if it is one. */
  public static String whyNotFile(Path path) {
    if (Files.isRegularFile(path)) return null;
    if (Files.isDirectory(path)) return "is a folder, not a file";
    return whyNotThere(path, "file");
  }

  /**
   * For a path that neither is a folder nor a regular file: a looping or dangling link, something
   * special (a FIFO, a socket, a device), or nothing at all.
   */
  private static String whyNotThere(Path path, String wanted) {
    if (Files.exists(path)) {
      return "is not a regular " + wanted + " (a FIFO, socket or device)";
    }
    if (!Files.isSymbolicLink(path)) return "does not exist";
    Set<Path> seen = new HashSet<>();
    Path at = path;
    try {
      for (int hop = 0; hop < MAX_HOPS && Files.isSymbolicLink(at); hop++) {
        if (!seen.add(at.toAbsolutePath().normalize())) break;
        Path target = Files.readSymbolicLink(at);
        at = at.toAbsolutePath().resolveSibling(target);
      }
    } catch (IOException | SecurityException e) {
      return "is a symbolic link that cannot be followed (" + e.getMessage() + ")";
    }
    if (Files.isSymbolicLink(at)) {
      return "is a symbolic link that loops back on itself; remove it (rm '"
          + path
          + "') or point it at a "
          + wanted;
    }
    if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
      return "is a symbolic link to " + at + ", which does not exist";
    }
    return "is a symbolic link that cannot be followed";
  }
}
