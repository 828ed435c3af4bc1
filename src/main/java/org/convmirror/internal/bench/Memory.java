package org.convmirror.internal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from {@code /proc/self/status} (Linux), in KiB; -1 elsewhere. */
public final class Memory {
  private Memory() {}

  /** Current resident set size (VmRSS). */
  public static long residentKib() {
    return field("VmRSS:");
  }

  /** Peak resident set size so far (VmHWM, the "high water mark"). */
  public static long peakResidentKib() {
    return field("VmHWM:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unexpected format: report unknown
    }
    return -1;
  }
}
