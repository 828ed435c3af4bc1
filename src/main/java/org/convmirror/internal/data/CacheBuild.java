package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.shape.Bytes;

/**
 * Decodes a folder into its cache file atomically: into a temporary file beside it, renamed into
 * place only when complete, so a crash, a kill or a full disk leaves the old file or none, never a
 * half-written one. A refused folder (nothing decodable, or unusable files under {@code --strict})
 * leaves nothing behind.
 */
final class CacheBuild {
  private static final String TEMP = ".tmp-";

  private CacheBuild() {}

  /** Decodes {@code scan} into {@code file}, which then holds the folder state {@code key}. */
  static void build(
      FolderScan scan, int c, int h, int w, DataAccess access, Path file, String key) {
    Path dir = file.getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new DataException(
          "cannot create the image cache folder "
              + dir
              + " ("
              + e
              + "); set CONVMIRROR_CACHE to a writable folder",
          e);
    }
    checkSpace(scan, c, h, w, dir);
    removeAbandoned(file);
    Path temp =
        file.resolveSibling(
            file.getFileName() + TEMP + ProcessHandle.current().pid() + "." + System.nanoTime());
    // Ctrl-C ends the JVM without running this thread's finally: the hook removes the file then.
    Thread cleanup = new Thread(() -> deleteQuietly(temp), "convmirror-cache-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    boolean placed = false;
    try {
      try (CacheWriter out = new CacheWriter(temp, c, h, w)) {
        DataAccess.Meter meter = access.progress().apply(scan.images.size());
        FolderDecoder.Found found;
        try {
          found = new FolderDecoder(scan, c, h, w).decode(access.decodeThreads(), out, meter);
        } finally {
          meter.finish();
        }
        List<FolderScan.Skip> skipped = new ArrayList<>(scan.unlisted);
        skipped.addAll(found.summary().skipped());
        if (out.count() == 0) {
          throw new DataException(
              scan.root
                  + ": none of the "
                  + scan.images.size()
                  + " image files could be decoded: "
                  + Skips.names(skipped)
                  + "; put PNG/JPEG images there or point --data at another folder");
        }
        if (access.strict() && !skipped.isEmpty()) throw strict(scan, skipped);
        out.finish(found.labels(), found.summary(), found.manifest(), key);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      placed = true;
    } catch (IOException e) {
      throw new DataException(
          "cannot write the image cache "
              + file
              + " ("
              + e.getMessage()
              + "); free space there or set CONVMIRROR_CACHE to a folder on another disk",
          e);
    } finally {
      if (!placed) deleteQuietly(temp);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs (or ran) anyway.
      }
    }
  }

  /** The one line {@code --strict} refuses a folder with. */
  static DataException strict(FolderScan scan, List<FolderScan.Skip> skipped) {
    return new DataException(
        scan.root
            + ": "
            + Skips.count(skipped, scan.images.size() + scan.unlisted.size())
            + " cannot be used: "
            + Skips.names(skipped)
            + "; fix or delete them, or leave out --strict to skip them");
  }

  private static void checkSpace(FolderScan scan, int c, int h, int w, Path dir) {
    long n = scan.images.size();
    // Pixels, labels, and a generous 256 bytes of manifest per file.
    long need = CacheFile.HEADER + n * c * h * w + n * Integer.BYTES + n * 256;
    long free;
    try {
      free = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return; // unknown: the write itself will tell
    }
    if (need > free) {
      throw new DataException(
          "decoding "
              + scan.root
              + " needs "
              + Bytes.format(need)
              + " in the image cache folder "
              + dir
              + " but only "
              + Bytes.format(free)
              + " is free; free space there or set CONVMIRROR_CACHE to a folder on a larger disk");
    }
  }

  /** Deletes temporary files of {@code file} left by processes that no longer run. */
  private static void removeAbandoned(Path file) {
    String prefix = file.getFileName() + TEMP;
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(file.getParent(), prefix + "*")) {
      for (Path t : temps) {
        long pid;
        try {
          String rest = t.getFileName().toString().substring(prefix.length());
          pid = Long.parseLong(rest.substring(0, rest.indexOf('.')));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          continue;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        deleteQuietly(t);
      }
    } catch (IOException e) {
      // Best effort: an old temporary file only takes space.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Best effort: the next build removes it.
    }
  }
}
