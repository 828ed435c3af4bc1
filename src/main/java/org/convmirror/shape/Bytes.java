package org.convmirror.shape;

import java.util.Locale;

/** Byte counts for people: {@code 1.5 GiB}, {@code 640.0 MiB}, {@code 12 bytes}. */
public final class Bytes {
  private Bytes() {}

  /** {@code bytes} in the largest binary unit that keeps the number ≥ 1, one decimal. */
  public static String format(long bytes) {
    if (bytes < 1024) return bytes + " bytes";
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
