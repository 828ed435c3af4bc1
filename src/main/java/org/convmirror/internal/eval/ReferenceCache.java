package org.convmirror.internal.eval;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.convmirror.internal.run.AtomicFiles;

/**
 * Keeps {@link PreparedReference}s — the reference features, their k-NN radii and KID sums, the
 * real floor — in memory for the rest of the process and on disk for later ones, so that an
 * evaluation after the first only scores the generated images.
 *
 * <p>An entry is found by a key that spells out everything its numbers depend on (the caller's job:
 * classifier weights, data, counts, seeds, metric settings, engine, and the {@link #codeHash} of
 * the code that computes them); its file is named by the key's SHA-256 and holds the key again and
 * a checksum. A file is written to a temporary name and moved into place, so concurrent evaluations
 * never read half a file; one that does not read back (truncated, damaged, another version's) is
 * reported in one line, recomputed and replaced. A cache that cannot be written costs only the
 * time, never the evaluation.
 */
public final class ReferenceCache {
  /** The classes whose code computes, writes and reads the cached numbers. */
  private static final List<Class<?>> CODE =
      List.of(
          RunEvaluation.class,
          Evaluator.class,
          FeatureClassifier.class,
          PoolThenRelu.class,
          Gram.class,
          GaussianStats.class,
          FrechetDistance.class,
          KernelInceptionDistance.class,
          SubsetSums.class,
          PrecisionRecall.class,
          PrecisionRecall.Radii.class,
          PrecisionRecall.Cross.class,
          PreparedReference.class);

  private static String codeHash;

  /** System property naming the cache folder, or {@code off} for none on disk. */
  public static final String PROPERTY = "convmirror.evalCache";

  private static final int MEMORY_ENTRIES = 4;

  /**
   * Files kept on disk, the most recently written (~10 MB each for 10,000 reference images): every
   * rebuild of the metric code starts new keys, and nothing else would ever delete the old files.
   */
  static final int DISK_ENTRIES = 24;

  private static ReferenceCache standard;

  private Path dir;
  private final PrintStream warnings;
  private final int diskEntries;
  private final Map<String, PreparedReference> memory =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedReference> eldest) {
          return size() > MEMORY_ENTRIES;
        }
      };

  private ReferenceCache(Path dir, PrintStream warnings, int diskEntries) {
    this.dir = dir;
    this.warnings = warnings;
    this.diskEntries = diskEntries;
  }

  /**
   * The process's cache: on disk in {@code -Dconvmirror.evalCache=DIR} ({@code off}: memory only),
   * else in {@code $XDG_CACHE_HOME/convmirror/evaluation} ({@code ~/.cache/…} when unset).
   */
  public static synchronized ReferenceCache standard() {
    if (standard == null) {
      String setting = System.getProperty(PROPERTY);
      Path dir;
      if ("off".equals(setting)) {
        dir = null;
      } else if (setting != null && !setting.isBlank()) {
        dir = Path.of(setting);
      } else {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
            xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        dir = base.resolve("convmirror").resolve("evaluation");
      }
      standard = new ReferenceCache(dir, System.err, DISK_ENTRIES);
    }
    return standard;
  }

  /** A cache of its own in {@code dir} (null: memory only), warning on {@code warnings}. */
  public static ReferenceCache in(Path dir, PrintStream warnings) {
    return in(dir, warnings, DISK_ENTRIES);
  }

  /** As {@link #in(Path, PrintStream)}, keeping at most {@code diskEntries} files. */
  static ReferenceCache in(Path dir, PrintStream warnings, int diskEntries) {
    return new ReferenceCache(dir, warnings, diskEntries);
  }

  /**
   * The entry for {@code key}: from memory, else from disk, else computed and stored in both. A
   * null key (weights of unknown origin) is never cached.
   */
  synchronized PreparedReference get(
      String key, Evaluator evaluator, Supplier<PreparedReference> compute) {
    if (key == null) return compute.get();
    PreparedReference hit = memory.get(key);
    if (hit != null) return hit;
    Path file = dir == null ? null : dir.resolve(fileName(key));
    if (file != null) hit = read(file, key, evaluator);
    if (hit == null) {
      hit = compute.get();
      if (file != null) write(file, key, hit);
    }
    memory.put(key, hit);
    return hit;
  }

  /** Forgets what this process holds in memory (the disk stays), for cold-start benchmarks. */
  public synchronized void clearMemory() {
    memory.clear();
  }

  private PreparedReference read(Path file, String key, Evaluator evaluator) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      giveUp(e);
      return null;
    }
    try {
      return PreparedReference.fromBytes(bytes, key, evaluator);
    } catch (IOException | RuntimeException e) {
      String why = e instanceof EOFException ? "truncated" : e.getMessage();
      warnings.println(
          "convmirror: the evaluation cache "
              + file
              + " is unusable ("
              + why
              + "); recomputing it");
      return null;
    }
  }

  private void write(Path file, String key, PreparedReference entry) {
    if (dir == null) return;
    try {
      Files.createDirectories(dir);
      AtomicFiles.write(file, entry.toBytes(key));
    } catch (IOException e) {
      giveUp(e);
      return;
    }
    try {
      prune();
    } catch (IOException e) {
      // Another process may be pruning the same folder; the next write tries again.
    }
  }

  /**
   * Deletes all but the {@code diskEntries} most recently written entries, and temporary files a
   * killed process left more than a day ago.
   */
  private void prune() throws IOException {
    List<Path> entries = new ArrayList<>();
    FileTime dayAgo = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "reference-*")) {
      for (Path f : files) {
        if (f.toString().endsWith(".bin")) {
          entries.add(f);
        } else if (Files.getLastModifiedTime(f).compareTo(dayAgo) < 0) {
          Files.deleteIfExists(f);
        }
      }
    }
    if (entries.size() <= diskEntries) return;
    Map<Path, FileTime> written = new HashMap<>();
    for (Path f : entries) written.put(f, Files.getLastModifiedTime(f));
    entries.sort(Comparator.comparing(written::get));
    for (Path f : entries.subList(0, entries.size() - diskEntries)) Files.deleteIfExists(f);
  }

  /** Stops using a folder that fails, saying so once. */
  private void giveUp(IOException e) {
    warnings.println(
        "convmirror: cannot use the evaluation cache in "
            + dir
            + " ("
            + e
            + "); evaluating without it (set -D"
            + PROPERTY
            + "=DIR or =off)");
    dir = null;
  }

  /**
   * SHA-256 of the bytecode of the classes that compute the cached numbers, part of every key: a
   * rebuilt evaluation never reads numbers that older code wrote, without anyone having to remember
   * to invalidate them.
   */
  static synchronized String codeHash() {
    if (codeHash == null) {
      MessageDigest digest = sha256();
      for (Class<?> c : CODE) {
        String name = "/" + c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getResourceAsStream(name)) {
          if (in == null) throw new IllegalStateException("class file missing: " + name);
          digest.update(in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + name + " from the class path", e);
        }
      }
      codeHash = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }
    return codeHash;
  }

  /** The file name of a key: its SHA-256, so any key text maps to a safe name. */
  static String fileName(String key) {
    byte[] hash = sha256().digest(key.getBytes(StandardCharsets.UTF_8));
    return "reference-" + HexFormat.of().formatHex(hash).substring(0, 32) + ".bin";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }
}
