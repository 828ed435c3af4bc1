package org.convmirror.internal.data;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.shape.Bytes;

/**
 * What {@code convmirror data inspect} says about an image folder: the image files found and those
 * skipped with why, the other files, the sizes and colour modes seen, the classes with their
 * counts, and the state of the decoded cache (which opening the folder brings up to date).
 */
public final class FolderInspection {
  private final FolderData data;

  private FolderInspection(FolderData data) {
    this.data = data;
  }

  /**
   * Opens {@code root} at {@code c×h×w} through its cache (decoding it if needed) and inspects it.
   */
  public static FolderInspection of(
      Path root, int c, int h, int w, DataAccess access, boolean rebuild) {
    if (IdxFolder.holds(root, Split.TRAIN) || IdxFolder.holds(root, Split.TEST)) {
      throw new DataException(
          root
              + " holds IDX files, which need no decoding; 'data inspect' looks at folders of"
              + " PNG/JPEG images");
    }
    return new FolderInspection(ImageFolder.open(root, c, h, w, access, rebuild));
  }

  /** The folder's images at the inspected shape. */
  public ImageSet images() {
    return data.images();
  }

  /** The report, listing at most {@code listed} skipped files, other files and classes. */
  public String text(int listed) {
    StringBuilder s = new StringBuilder();
    FolderScan scan = data.scan();
    CacheSummary summary = data.summary();
    List<FolderScan.Skip> skipped = data.skipped();
    line(s, "folder", scan.root.toString());
    line(
        s,
        "found",
        String.format(
            Locale.ROOT,
            "%d image files (%s), %d other files, %d unreadable folders",
            scan.images.size(),
            String.join(", ", FolderScan.EXTENSIONS),
            scan.others.size(),
            scan.unlisted.size()));
    line(
        s,
        "images",
        String.format(
            Locale.ROOT,
            "%d usable, %d skipped, as %s (C×H×W) in [-1, 1]",
            data.images().count(),
            skipped.size(),
            data.images().shape()));
    for (int i = 0; i < Math.min(listed, skipped.size()); i++) {
      s.append("  skipped ").append(skipped.get(i).name()).append(": ");
      s.append(skipped.get(i).reason()).append('\n');
    }
    more(s, skipped.size(), listed, "skipped files");
    for (int i = 0; i < Math.min(listed, scan.others.size()); i++) {
      s.append("  other   ").append(scan.others.get(i)).append(" (not an image name)\n");
    }
    more(s, scan.others.size(), listed, "other files");
    line(s, "sizes", counts(summary.sizes(), listed));
    line(s, "modes", counts(summary.modes(), listed));
    classes(s, listed);
    line(s, "cache", cache());
    return s.toString();
  }

  private void classes(StringBuilder s, int listed) {
    List<String> names = data.summary().classes();
    if (names.isEmpty()) {
      line(s, "classes", "none (labels come from sub-folders holding every image)");
      return;
    }
    int[] count = new int[names.size()];
    for (int label : data.images().labels()) count[label]++;
    line(s, "classes", names.size() + " sub-folders");
    int width = names.stream().mapToInt(String::length).max().orElse(0);
    for (int i = 0; i < Math.min(listed, names.size()); i++) {
      s.append(String.format(Locale.ROOT, "  %-" + width + "s %8d%n", names.get(i), count[i]));
    }
    more(s, names.size(), listed, "classes");
  }

  private String cache() {
    CacheSummary summary = data.summary();
    String state =
        switch (data.before()) {
          case HIT -> data.detail().isEmpty() ? "hit" : "hit, " + data.detail();
          case MISS -> "miss, decoded now";
          case STALE -> "stale (" + data.detail() + "), decoded again";
          case DAMAGED -> "damaged (" + data.detail() + "), decoded again";
        };
    return String.format(
        Locale.ROOT,
        "%s: %s (%s; decoding took %.1f s on %d %s)",
        state,
        data.file(),
        Bytes.format(data.bytes()),
        summary.seconds(),
        summary.threads(),
        summary.threads() == 1 ? "thread" : "threads");
  }

  private static String counts(Map<String, Integer> counts, int listed) {
    if (counts.isEmpty()) return "none";
    List<Map.Entry<String, Integer>> sorted =
        counts.entrySet().stream()
            .sorted(
                Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .toList();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(listed, sorted.size()); i++) {
      if (i > 0) s.append(", ");
      s.append(sorted.get(i).getKey()).append(": ").append(sorted.get(i).getValue());
    }
    if (sorted.size() > listed) s.append(" and ").append(sorted.size() - listed).append(" more");
    return s.toString();
  }

  private static void line(StringBuilder s, String key, String value) {
    s.append(String.format(Locale.ROOT, "%-8s %s%n", key, value));
  }

  private static void more(StringBuilder s, int total, int listed, String what) {
    if (total > listed) {
      s.append("  ... and ").append(total - listed).append(" more ").append(what);
      s.append(" (--list N shows more)\n");
    }
  }
}
