package org.convmirror.internal.spark;

import java.nio.file.Path;

/**
 * The folder of a sweep: {@code sweep.json} (its grid), {@code runs/NAME/} (ordinary run
 * directories), {@code logs/NAME.log} (each run's output, every attempt appended), {@code
 * evaluations/NAME.json} (the final evaluation of each run), and the tables {@code sweep.csv},
 * {@code summary.csv} and {@code summary.md}.
 */
public final class SweepLayout {
  private SweepLayout() {}

  static Path grid(Path root) {
    return root.resolve("sweep.json");
  }

  /** The folder of a sweep's runs, which {@code report} compares when given the sweep. */
  public static Path runs(Path root) {
    return root.resolve("runs");
  }

  static Path run(Path root, String name) {
    return runs(root).resolve(name);
  }

  static Path log(Path root, String name) {
    return root.resolve("logs").resolve(name + ".log");
  }

  static Path evaluation(Path root, String name) {
    return root.resolve("evaluations").resolve(name + ".json");
  }
}
