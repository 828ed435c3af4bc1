package org.convmirror.internal.data;

import java.util.List;

/** Skipped files in one line: how many, and the first few with why. */
final class Skips {
  /** Files named in a one-line summary; {@code convmirror data} lists them all. */
  static final int NAMED = 3;

  private Skips() {}

  /** E.g. {@code "2 of 130 files"}. */
  static String count(List<FolderScan.Skip> skips, int files) {
    return skips.size() + " of " + files + (files == 1 ? " file" : " files");
  }

  /** E.g. {@code "a.png (empty file (0 bytes)), b.jpg (permission denied) and 4 more"}. */
  static String names(List<FolderScan.Skip> skips) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(NAMED, skips.size()); i++) {
      if (i > 0) s.append(", ");
      s.append(skips.get(i).name()).append(" (").append(skips.get(i).reason()).append(')');
    }
    if (skips.size() > NAMED) s.append(" and ").append(skips.size() - NAMED).append(" more");
    return s.toString();
  }
}
