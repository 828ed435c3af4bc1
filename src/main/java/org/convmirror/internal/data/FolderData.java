package org.convmirror.internal.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * An image folder opened through its cache: the images (memory-mapped), what decoding found, and
 * the state the cache was in.
 *
 * @param images the folder's images at the target shape, in sorted path order
 * @param summary classes, skipped files, sizes and modes, as decoding found them
 * @param before what the cache held when the folder was opened
 * @param detail why it was stale or damaged, or empty
 * @param file the cache file
 * @param bytes the cache file's size
 */
record FolderData(
    FolderScan scan,
    ImageSet images,
    CacheSummary summary,
    ImageCache.State before,
    String detail,
    java.nio.file.Path file,
    long bytes) {

  /** Maps a verified cache file; fails if it is damaged or holds another state of the folder. */
  static FolderData map(
      FolderScan scan, java.nio.file.Path file, String key, ImageCache.State before, String detail)
      throws IOException, CacheFile.Damaged {
    try (FileChannel ch = CacheFile.open(file)) {
      CacheFile.Header h = CacheFile.header(ch);
      if (!h.key().equals(key)) throw new CacheFile.Damaged("it holds another state of the folder");
      CacheFile.verify(ch, h);
      int[] labels =
          h.labelled() ? CacheFile.labels(CacheFile.section(ch, h, CacheFile.Header.LABELS)) : null;
      CacheSummary summary =
          CacheSummary.fromJson(CacheFile.section(ch, h, CacheFile.Header.SUMMARY));
      // The mappings outlive the channel; the pages are read when a batch first needs them.
      BytePixels pixels =
          BytePixels.map(ch, CacheFile.HEADER, h.count(), h.imageSize(), BytePixels.MAX_SEGMENT);
      String source =
          scan.root
              + " ("
              + h.count()
              + " images resized to "
              + h.channels()
              + "×"
              + h.height()
              + "×"
              + h.width()
              + ")";
      ImageSet images =
          new ImageSet(
              h.channels(),
              h.height(),
              h.width(),
              pixels,
              null,
              labels,
              summary.classes(),
              source,
              h.hash());
      return new FolderData(scan, images, summary, before, detail, file, ch.size());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CacheFile.Damaged("unreadable summary");
    }
  }

  /** Every file or folder left out: folders that could not be listed, files that did not decode. */
  List<FolderScan.Skip> skipped() {
    List<FolderScan.Skip> all = new ArrayList<>(scan.unlisted);
    all.addAll(summary.skipped());
    return all;
  }

  /**
   * Whether a file skipped as unreadable can be read now: permissions are not part of the cache key
   * (reading them would cost a system call per file), so they are checked here, for the few files
   * that need it.
   */
  boolean unreadableNowReadable() {
    for (FolderScan.Skip s : summary.skipped()) {
      if (s.reason().equals("permission denied") && Files.isReadable(scan.root.resolve(s.name()))) {
        return true;
      }
    }
    return false;
  }

  /** One warning line when files were skipped; refuses them instead under {@code strict}. */
  FolderData report(PrintStream console, boolean strict) {
    List<FolderScan.Skip> skipped = skipped();
    if (skipped.isEmpty()) return this;
    if (strict) throw CacheBuild.strict(scan, skipped);
    console.println(
        "warning: skipped "
            + Skips.count(skipped, scan.images.size() + scan.unlisted.size())
            + " that cannot be used: "
            + Skips.names(skipped)
            + "; 'convmirror data inspect "
            + scan.root
            + "' lists them all, --strict refuses them");
    return this;
  }
}
