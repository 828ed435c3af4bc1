package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** How a folder changed since its cache was written, from the cache's manifest of source files. */
final class CacheDiff {
  private CacheDiff() {}

  /** E.g. {@code "2 files added, 1 removed, 3 changed"}, or why the old state is unknown. */
  static String describe(FileChannel ch, CacheFile.Header old, FolderScan now) {
    Map<String, String> before = new HashMap<>();
    try {
      byte[] manifest = CacheFile.section(ch, old, CacheFile.Header.MANIFEST);
      if (CacheFile.crc(manifest, 0, manifest.length) != old.crcs()[CacheFile.Header.MANIFEST]) {
        return "its old manifest is damaged";
      }
      String[] lines = new String(manifest, StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].split("\t", 4);
        if (f.length >= 3) before.put(f[0], f[1] + "\t" + f[2]);
      }
    } catch (IOException | RuntimeException e) {
      return "its old manifest cannot be read";
    }
    int added = 0;
    int changed = 0;
    for (FolderScan.Entry e : now.images) {
      String was = before.remove(e.name());
      if (was == null) added++;
      else if (!was.equals(e.size() + "\t" + e.modifiedNanos())) changed++;
    }
    int removed = before.size();
    if (added + changed + removed == 0) return "decoded by another version of convmirror";
    return added
        + (added == 1 ? " file" : " files")
        + " added, "
        + removed
        + " removed, "
        + changed
        + " changed";
  }
}
