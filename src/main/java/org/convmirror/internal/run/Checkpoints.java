package org.convmirror.internal.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convmirror.error.UsageException;
import org.convmirror.shape.Bytes;

/**
 * Atomic, self-verifying training checkpoints in {@code checkpoints/}: each one a directory {@code
 * step-NNNNNNN/} made complete in a hidden temp directory and renamed into place, with {@code
 * LATEST} (a text file naming it, not a symlink) re-pointed last. Loading checks every file against
 * the checkpoint's manifest and falls back to the newest older complete checkpoint.
 *
 * <p>A checkpoint is a set of named files, each written by a callback — the objective's networks
 * and optimizer state, in whatever format its engine uses — plus {@code state.json}, the loop's
 * position. This class knows nothing of the engine: it only makes the set atomic and verifiable.
 */
public final class Checkpoints {
  private static final String BEST = RunLayout.BEST;
  private static final String LATEST = RunLayout.LATEST;
  private static final String STATE = RunLayout.STATE;

  private final Path dir;
  private final int keep;
  private Path pinned;

  /**
   * Checkpoints in {@code dir}, keeping the newest {@code keep} (≥ 1) plus the one LATEST names and
   * the {@link #pin pinned} one.
   */
  public Checkpoints(Path dir, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoints to keep must be ≥ 1, was " + keep);
    }
    this.dir = dir;
    this.keep = keep;
  }

  /**
   * From now on, retention never removes {@code checkpoint} (null: none), e.g. the last one a run
   * took before it got into trouble.
   */
  public void pin(Path checkpoint) {
    this.pinned = checkpoint;
  }

  /** The checkpoint directories ({@code step-NNNNNNN}), highest step first; none if none. */
  public List<Path> list() throws IOException {
    return CheckpointFiles.listNewestFirst(dir);
  }

  /** The step a checkpoint directory is named after ({@code step-0000500}: 500), or -1. */
  public static int step(Path checkpoint) {
    return CheckpointFiles.stepOf(checkpoint);
  }

  /** Whether no checkpoint was ever committed here: no checkpoint directory and no LATEST. */
  public boolean none() throws IOException {
    return list().isEmpty() && !Files.exists(dir.resolve(LATEST));
  }

  /** Checkpoints in {@code dir}, keeping the newest two. */
  public Checkpoints(Path dir) {
    this(dir, 2);
  }

  /**
   * What {@link #load} found: the verified checkpoint directory, its step and state, and its files
   * by name. {@code warnings} explain any fallback, for the console.
   */
  public record Loaded<T>(
      Path directory, int step, T state, Map<String, Path> files, List<String> warnings) {

    /** The verified file {@code name}. */
    public Path file(String name) throws IOException {
      Path f = files.get(name);
      if (f == null) throw new IOException("checkpoint " + directory + " has no " + name);
      return f;
    }
  }

  /**
   * Saves a checkpoint for {@code step} and makes it the latest; a crash at any point leaves the
   * previous latest checkpoint loadable.
   *
   * @param files each file's name and the callback that writes its bytes
   * @param state the loop's position, written as {@code state.json}
   */
  public Path save(int step, Map<String, IoConsumer<OutputStream>> files, Object state)
      throws IOException {
    Files.createDirectories(dir);
    CheckpointFiles.removeTemps(dir);
    Path tmp = CheckpointFiles.newTempDir(dir);
    try {
      writeInto(tmp, step, files, state);
    } catch (IOException e) {
      // A failed save must not keep its half-written files (a full disk stays full otherwise).
      CheckpointFiles.deleteQuietly(tmp);
      throw explainFull(e, dir.resolve(CheckpointFiles.nameOf(step)));
    } catch (RuntimeException e) {
      CheckpointFiles.deleteQuietly(tmp);
      throw e;
    }
    String name = CheckpointFiles.nameOf(step);
    Path target = dir.resolve(name);
    try {
      CheckpointFiles.replaceDirectory(tmp, target);
      AtomicFiles.writeString(dir.resolve(LATEST), name + "\n");
    } catch (IOException e) {
      CheckpointFiles.deleteQuietly(tmp);
      throw explainFull(e, dir.resolve(LATEST));
    }
    prune(name);
    return target;
  }

  /** A full disk's message, saying that the last committed checkpoint is still there. */
  private IOException explainFull(IOException e, Path file) throws IOException {
    Optional<Path> latest = latest();
    if (latest.isEmpty() || !Files.isDirectory(latest.get())) {
      return DiskFullException.explain(e, file);
    }
    long size = 0;
    try (var files = Files.list(latest.get())) {
      for (Path f : (Iterable<Path>) files::iterator) size += Files.size(f);
    }
    return DiskFullException.explain(
        e,
        file,
        "; a checkpoint takes about "
            + Bytes.format(size)
            + "; the last complete one, "
            + latest.get().getFileName()
            + ", is intact: continue with 'convmirror train --resume "
            + dir.toAbsolutePath().getParent()
            + "'");
  }

  private void writeInto(
      Path tmp, int step, Map<String, IoConsumer<OutputStream>> files, Object state)
      throws IOException {
    Manifest.Builder manifest = Manifest.builder(step);
    for (Map.Entry<String, IoConsumer<OutputStream>> e : files.entrySet()) {
      String file = checkName(e.getKey());
      manifest.add(file, CheckpointFiles.writeSynced(tmp.resolve(file), e.getValue()));
    }
    byte[] json = Json.JSON.writeValueAsBytes(state);
    manifest.add(STATE, CheckpointFiles.writeSynced(tmp.resolve(STATE), out -> out.write(json)));
    // The manifest goes last: its presence is what makes the directory a checkpoint.
    byte[] man = Json.JSON.writeValueAsBytes(manifest.build());
    CheckpointFiles.writeSynced(tmp.resolve(Manifest.FILE), out -> out.write(man));
    AtomicFiles.fsyncDirectory(tmp);
  }

  /**
   * Finds the checkpoint LATEST names or, if it is incomplete or corrupt, the newest older complete
   * one, and reads its state.
   *
   * @param required files the checkpoint must hold (e.g. every network of the model)
   * @throws IOException if no complete checkpoint exists, listing what was wrong with each
   */
  public <T> Loaded<T> load(Collection<String> required, Class<T> stateType) throws IOException {
    List<String> warnings = new ArrayList<>();
    List<Path> candidates = candidates(warnings);
    if (candidates.isEmpty()) {
      throw new IOException("no checkpoint in " + dir);
    }
    List<String> problems = new ArrayList<>();
    for (Path c : candidates) {
      Manifest manifest;
      try {
        manifest = Manifest.verify(c);
      } catch (IOException e) {
        problems.add(e.getMessage());
        warnings.add(e.getMessage() + "; trying an older checkpoint");
        continue;
      }
      return read(c, manifest, required, stateType, warnings);
    }
    throw new IOException(
        "no complete checkpoint in " + dir + ":\n  " + String.join("\n  ", problems));
  }

  /**
   * Copies a complete checkpoint to {@code best/} (atomically: a copy is made aside, then renamed
   * over the old one), so pruning never removes the best one by a score.
   */
  public Path keepAsBest(Path checkpoint) throws IOException {
    Manifest.verify(checkpoint);
    Path tmp = CheckpointFiles.newTempDir(dir);
    Path best = dir.resolve(BEST);
    try {
      try (var files = Files.list(checkpoint)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          CheckpointFiles.writeSynced(
              tmp.resolve(f.getFileName()),
              out -> {
                try (var in = Files.newInputStream(f)) {
                  in.transferTo(out);
                }
              });
        }
      }
      AtomicFiles.fsyncDirectory(tmp);
      CheckpointFiles.replaceDirectory(tmp, best);
    } catch (IOException e) {
      CheckpointFiles.deleteQuietly(tmp);
      throw DiskFullException.explain(e, best);
    }
    return best;
  }

  /** Reads one given checkpoint directory, verified, with no fallback. */
  public static <T> Loaded<T> loadExactly(
      Path checkpoint, Collection<String> required, Class<T> stateType) throws IOException {
    return read(checkpoint, Manifest.verify(checkpoint), required, stateType, List.of());
  }

  /** Whether {@code dir} is one checkpoint (it has a manifest) rather than a run. */
  public static boolean isCheckpoint(Path dir) {
    return Files.isRegularFile(dir.resolve(Manifest.FILE));
  }

  /** The directory LATEST names, if any (not verified). */
  public Optional<Path> latest() throws IOException {
    Path p = dir.resolve(LATEST);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    String name = Files.readString(p, StandardCharsets.UTF_8).strip();
    // Only a checkpoint of this run: a path (absolute, or with ..) could load another run's.
    if (!RunLayout.isCheckpointName(name)) {
      String shown = name.length() > 60 ? name.substring(0, 60) + "…" : name;
      throw new UsageException(
          p
              + " names '"
              + shown.replaceAll("[^\\x20-\\x7e]", "?")
              + "', not a checkpoint folder of this run (step-NNNNNNN): write the name of one of"
              + " the step-* folders beside it into the file, or delete it to use the newest");
    }
    return Optional.of(dir.resolve(name));
  }

  private static <T> Loaded<T> read(
      Path c,
      Manifest manifest,
      Collection<String> required,
      Class<T> stateType,
      List<String> warnings)
      throws IOException {
    for (String name : required) {
      if (!manifest.files().containsKey(name)) {
        throw new IOException(
            "checkpoint " + c + " has no " + name + "; was it written for another model?");
      }
    }
    Map<String, Path> files = new LinkedHashMap<>();
    for (String name : manifest.files().keySet()) {
      if (!name.equals(STATE)) files.put(name, c.resolve(name));
    }
    T state = Json.JSON.readValue(c.resolve(STATE).toFile(), stateType);
    return new Loaded<>(c, manifest.step(), state, files, List.copyOf(warnings));
  }

  /** LATEST's checkpoint first, then every older one, newest first. */
  private List<Path> candidates(List<String> warnings) throws IOException {
    List<Path> all = CheckpointFiles.listNewestFirst(dir);
    Optional<Path> latest = latest();
    if (latest.isEmpty()) {
      if (!all.isEmpty()) {
        warnings.add("no " + LATEST + " file in " + dir + "; using the newest checkpoint");
      }
      return all;
    }
    int latestStep = CheckpointFiles.stepOf(latest.get());
    List<Path> out = new ArrayList<>();
    out.add(latest.get());
    for (Path p : all) {
      // Newer directories than LATEST were never committed: a crash hit before re-pointing.
      if (CheckpointFiles.stepOf(p) < latestStep || latestStep < 0) {
        if (!p.equals(latest.get())) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private void prune(String latestName) throws IOException {
    List<Path> all = CheckpointFiles.listNewestFirst(dir);
    for (int i = keep; i < all.size(); i++) {
      if (!all.get(i).getFileName().toString().equals(latestName)
          && !(pinned != null && all.get(i).getFileName().equals(pinned.getFileName()))) {
        CheckpointFiles.deleteTree(all.get(i));
      }
    }
  }

  private static String checkName(String name) {
    if (name.isEmpty() || !name.matches("[A-Za-z0-9_.\\-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "checkpoint entry names must be [A-Za-z0-9_.-]+ and not start with '.', was '"
              + name
              + "'");
    }
    return name;
  }
}
