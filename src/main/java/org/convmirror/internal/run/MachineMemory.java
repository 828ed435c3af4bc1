package org.convmirror.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory a new job can still use on this machine: what Linux reports as available ({@code
 * MemAvailable}, which counts reclaimable cache), capped by the container's cgroup limit.
 */
public final class MachineMemory {
  private MachineMemory() {}

  /** Available bytes, or empty where the system does not say (not Linux). */
  public static OptionalLong availableBytes() {
    return available(
        read("/proc/meminfo"),
        first(
            read("/sys/fs/cgroup/memory.max"), read("/sys/fs/cgroup/memory/memory.limit_in_bytes")),
        first(
            read("/sys/fs/cgroup/memory.current"),
            read("/sys/fs/cgroup/memory/memory.usage_in_bytes")));
  }

  /**
   * The smaller of {@code MemAvailable} in {@code meminfo} and {@code limit − usage} (cgroup files'
   * text; "max" or null for no limit).
   */
  static OptionalLong available(String meminfo, String limit, String usage) {
    long best = Long.MAX_VALUE;
    if (meminfo != null) {
      for (String line : meminfo.split("\n")) {
        if (line.startsWith("MemAvailable:")) {
          String[] f = line.substring("MemAvailable:".length()).trim().split("\\s+");
          best = Math.multiplyExact(Long.parseLong(f[0]), 1024L); // kB
        }
      }
    }
    if (number(limit) && number(usage)) {
      long cap = Long.parseLong(limit.strip()) - Long.parseLong(usage.strip());
      best = Math.min(best, Math.max(0, cap));
    }
    return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
  }

  private static boolean number(String s) {
    return s != null && s.strip().matches("\\d{1,18}");
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return null; // absent on this system
    }
  }
}
