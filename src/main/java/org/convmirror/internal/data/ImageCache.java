package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Image folders decoded once into a {@link CacheFile} in a cache folder and memory-mapped from then
 * on, so a second run starts at once and the data's size is bounded by the disk, not the heap.
 *
 * <p>One file per (folder, target shape), named after the folder's absolute path: a folder that
 * changes replaces its file instead of piling up copies of a large dataset. The file records the
 * key of the folder state it holds — a SHA-256 over every image file's name, size and modification
 * time and the target shape — so a changed folder is decoded again and an unchanged one never is.
 * Names, sizes and times, not contents: hashing 200,000 files' bytes on every start would read the
 * whole dataset again, the very cost the cache removes; a file rewritten with the same size and
 * time is the one change it misses ({@code convmirror data DIR --rebuild} then decodes again).
 */
public final class ImageCache {
  /** Part of every key: raise it when decoding changes what a file decodes to. */
  static final int DECODER_VERSION = 1;

  /** The detail of a hit decoded again because the user asked. */
  static final String REBUILD = "decoded again as --rebuild asks";

  /** File name ending of cache files. */
  static final String SUFFIX = ".cmimg";

  /** What the cache held for a folder when it was opened. */
  public enum State {
    /** Decoded before from the same folder state: nothing decoded now. */
    HIT,
    /** Never decoded at this shape. */
    MISS,
    /** Decoded from an earlier state of the folder: decoded again. */
    STALE,
    /** The file was damaged (cut short, overwritten): decoded again. */
    DAMAGED
  }

  private ImageCache() {}

  /**
   * The cache folder: {@code -Dconvmirror.cache}, else {@code $CONVMIRROR_CACHE}, else {@code
   * $XDG_CACHE_HOME/convmirror/images}, else {@code ~/.cache/convmirror/images} — the XDG base
   * directory rule: shared by every run, never inside the data folder (which may be read-only, and
   * would find the cache among its images).
   */
  public static Path dir() {
    String set = System.getProperty("convmirror.cache");
    if (set == null || set.isBlank()) set = System.getenv("CONVMIRROR_CACHE");
    if (set != null && !set.isBlank()) return Path.of(set);
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("convmirror").resolve("images");
  }

  /** The cache file of {@code root} decoded to {@code c×h×w} in {@code dir}. */
  static Path fileFor(Path dir, Path root, int c, int h, int w) {
    Path abs = root.toAbsolutePath().normalize();
    var d = Hashes.sha256();
    d.update(abs.toString().getBytes(StandardCharsets.UTF_8));
    String id = Hashes.shortHex(d);
    String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
    name = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.length() > 40) name = name.substring(0, 40);
    return dir.resolve(String.format(Locale.ROOT, "%s-%s-%dx%dx%d%s", name, id, c, h, w, SUFFIX));
  }

  /** What {@code file} holds for the folder state {@code key}, read from the header alone. */
  private static Found lookup(FolderScan scan, Path file, String key) {
    if (!Files.exists(file)) return new Found(State.MISS, file, null, "");
    try (FileChannel ch = CacheFile.open(file)) {
      CacheFile.Header header = CacheFile.header(ch);
      if (!header.key().equals(key)) {
        return new Found(State.STALE, file, header, CacheDiff.describe(ch, header, scan));
      }
      return new Found(State.HIT, file, header, "");
    } catch (CacheFile.Damaged e) {
      return new Found(State.DAMAGED, file, null, e.getMessage());
    } catch (IOException e) {
      return new Found(State.DAMAGED, file, null, "cannot read (" + e.getMessage() + ")");
    }
  }

  /**
   * What the cache held.
   *
   * @param header the file's header, when it has a readable one
   * @param detail why it is stale or damaged, in a few words; empty otherwise
   */
  record Found(State state, Path file, CacheFile.Header header, String detail) {}

  /** Opens {@code scan}'s folder as {@code c×h×w} images, decoding it first unless it is cached. */
  static FolderData open(FolderScan scan, int c, int h, int w, DataAccess access, boolean rebuild) {
    String key = scan.contentKey(DECODER_VERSION, c, h, w);
    Found found = lookup(scan, fileFor(access.cacheDir(), scan.root, c, h, w), key);
    if (found.state() == State.HIT && rebuild) {
      found = new Found(State.HIT, found.file(), found.header(), REBUILD);
    } else if (found.state() == State.HIT) {
      try {
        FolderData data = FolderData.map(scan, found.file(), key, State.HIT, "");
        if (!data.unreadableNowReadable()) return data;
        found =
            new Found(
                State.STALE, found.file(), found.header(), "a file that could not be read now can");
      } catch (CacheFile.Damaged e) {
        found = new Found(State.DAMAGED, found.file(), null, e.getMessage());
      } catch (IOException e) {
        found =
            new Found(State.DAMAGED, found.file(), null, "cannot read (" + e.getMessage() + ")");
      }
    }
    if (found.state() == State.DAMAGED) {
      access
          .console()
          .println(
              "warning: the image cache "
                  + found.file()
                  + " is damaged ("
                  + found.detail()
                  + "); decoding "
                  + scan.root
                  + " again");
    } else if (found.state() == State.STALE) {
      access
          .console()
          .println(
              scan.root
                  + " changed since it was decoded ("
                  + found.detail()
                  + "); decoding it again");
    }
    CacheBuild.build(scan, c, h, w, access, found.file(), key);
    try {
      return FolderData.map(scan, found.file(), key, found.state(), found.detail());
    } catch (CacheFile.Damaged | IOException e) {
      throw new DataException(
          found.file()
              + ": the image cache just written does not read back ("
              + e.getMessage()
              + "); check the disk, or set CONVMIRROR_CACHE to a folder on another one",
          e);
    }
  }
}
