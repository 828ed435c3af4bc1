package org.convmirror.internal.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Which names a new run may take under a runs folder: plain folder names, never a file or a link of
 * that name, a taken name only when what holds it is a killed start's empty folder.
 */
public final class RunNames {
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private RunNames() {}

  /**
   * Checks, creating nothing, what {@link RunDirectory#create} would refuse before it looks inside
   * the run: a name that is no plain directory name, a path on the way that is a file.
   */
  public static void checkCreatable(Path runsRoot, String name) throws IOException {
    if (name != null) checkName(name);
    if (Files.exists(runsRoot) && !Files.isDirectory(runsRoot)) {
      throw new IOException(
          "cannot put runs in "
              + runsRoot
              + ": it is a file, not a folder; choose another folder for runs (--runs DIR)");
    }
    Path dir = name == null ? null : runsRoot.resolve(name);
    if (dir != null && Files.isSymbolicLink(dir)) {
      throw new IOException(
          "cannot create run "
              + dir
              + ": it is a symbolic link, and convmirror writes a run only into a folder of its"
              + " own; remove the link (rm '"
              + dir
              + "') or choose another run name (--name NAME)");
    }
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException(
          "cannot create run "
              + dir
              + ": a file of that name exists; choose another run name (--name NAME)");
    }
  }

  /**
   * As {@link #checkCreatable}, and refuses a name a run (or anything but a killed start's empty
   * folder) already holds.
   */
  public static void checkAvailable(Path runsRoot, String name) throws IOException {
    checkCreatable(runsRoot, name);
    Path dir = name == null ? null : runsRoot.resolve(name);
    if (dir != null && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !isEmpty(dir)) {
      throw taken(dir);
    }
  }

  /** The first timestamp name ({@code 20250304-050607}, then {@code -2}, …) not taken yet. */
  static String freeStampName(Path runsRoot) {
    String stamp = LocalDateTime.now(Clock.systemDefaultZone()).format(STAMP);
    for (int i = 1; ; i++) {
      String name = i == 1 ? stamp : stamp + "-" + i;
      if (!Files.exists(runsRoot.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        return name;
      }
    }
  }

  /** The refusal of a run name that is taken. */
  static IOException taken(Path dir) {
    return new IOException(
        "run directory "
            + dir
            + " already exists and is not empty; choose another name or resume it");
  }

  /**
   * Empty but for a lock file and the empty folders of the layout: what a run killed before it
   * wrote anything leaves, and may be reused under its name.
   */
  static boolean isEmpty(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        boolean layout = RunLayout.isMadeAtStart(name);
        if (!name.equals(RunLock.FILE) && !(layout && Files.isDirectory(p) && isEmpty(p))) {
          return false;
        }
      }
      return true;
    }
  }

  private static void checkName(String name) throws IOException {
    if (name.isBlank()
        || name.startsWith(".")
        || name.contains("/")
        || name.contains("\\")
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new IOException(
          "--name must be a plain directory name (no '/' or '\\', no newline, tab or other"
              + " control character, not starting with '.'), was '"
              + name.replaceAll("\\p{Cntrl}", "?")
              + "'; the run goes into the --runs folder");
    }
  }
}
