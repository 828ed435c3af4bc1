package org.convmirror.run;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convmirror.shape.Bytes;

/**
 * Atomic, self-verifying training checkpoints in {@code checkpoints/}: each one a directory {@code
 * step-NNNNNNN/} made complete in a hidden temp directory and renamed into place, with {@code
 * LATEST} (a text file naming it, not a symlink) re-pointed last. Loading checks every file against
 * the checkpoint's manifest and falls back to the newest older complete checkpoint.
 *
 * <p>A checkpoint holds named DJL blocks (parameters in DJL's format, BatchNorm running statistics
 * included), named extra arrays (optimizer moments, fixed noise; safetensors) and a JSON state
 * object (step, iteration, RNG state, config).
 */
public final class Checkpoints {
  /** The directory that {@link #keepAsBest} maintains. */
  public static final String BEST = "best";

  static final String LATEST = "LATEST";
  static final String ARRAYS = "arrays.safetensors";
  static final String STATE = "state.json";

  private final Path dir;
  private final int keep;

  /**
   * Checkpoints in {@code dir}, keeping the newest {@code keep} (≥ 1) plus the one LATEST names.
   */
  public Checkpoints(Path dir, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoints to keep must be ≥ 1, was " + keep);
    }
    this.dir = dir;
    this.keep = keep;
  }

  /** Checkpoints in {@code dir}, keeping the newest two. */
  public Checkpoints(Path dir) {
    this(dir, 2);
  }

  /** What {@link #load} restored. {@code warnings} explain any fallback, for the console. */
  public record Loaded<T>(
      Path directory, int step, T state, Map<String, NDArray> arrays, List<String> warnings) {}

  /**
   * Saves a checkpoint for {@code step} and makes it the latest; a crash at any point leaves the
   * previous latest checkpoint loadable.
   *
   * @param arrays extra arrays by unique name; they are written under these names
   */
  public Path save(int step, Map<String, Block> blocks, Map<String, NDArray> arrays, Object state)
      throws IOException {
    Files.createDirectories(dir);
    CheckpointFiles.removeTemps(dir);
    Path tmp = CheckpointFiles.newTempDir(dir);
    try {
      writeInto(tmp, step, blocks, arrays, state);
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
      Path tmp, int step, Map<String, Block> blocks, Map<String, NDArray> arrays, Object state)
      throws IOException {
    Manifest.Builder manifest = Manifest.builder(step);
    for (Map.Entry<String, Block> e : blocks.entrySet()) {
      String file = checkName(e.getKey()) + ".params";
      manifest.add(
          file,
          CheckpointFiles.writeSynced(
              tmp.resolve(file), out -> e.getValue().saveParameters(new DataOutputStream(out))));
    }
    if (!arrays.isEmpty()) {
      NDList list = new NDList(arrays.size());
      for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
        // Duplicate names corrupt safetensors silently (DJL.md), so each gets its map key,
        // on a duplicate so the caller's array keeps its own name.
        NDArray copy = e.getValue().duplicate();
        copy.setName(checkName(e.getKey()));
        list.add(copy);
      }
      try {
        manifest.add(
            ARRAYS,
            CheckpointFiles.writeSynced(
                tmp.resolve(ARRAYS), out -> list.encode(out, NDList.Encoding.SAFETENSORS)));
      } finally {
        list.close();
      }
    }
    byte[] json = Json.JSON.writeValueAsBytes(state);
    manifest.add(STATE, CheckpointFiles.writeSynced(tmp.resolve(STATE), out -> out.write(json)));
    // The manifest goes last: its presence is what makes the directory a checkpoint.
    byte[] man = Json.JSON.writeValueAsBytes(manifest.build());
    CheckpointFiles.writeSynced(tmp.resolve(Manifest.FILE), out -> out.write(man));
    AtomicFiles.fsyncDirectory(tmp);
  }

  /**
   * Loads the checkpoint LATEST names into {@code blocks} (which must have been built from the same
   * spec), or, if it is incomplete or corrupt, the newest older complete one.
   *
   * @param manager owns the loaded parameters and arrays (for a model: its manager)
   * @throws IOException if no complete checkpoint exists, listing what was wrong with each
   */
  public <T> Loaded<T> load(Map<String, Block> blocks, NDManager manager, Class<T> stateType)
      throws IOException {
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
      for (String name : blocks.keySet()) {
        if (!manifest.files().containsKey(name + ".params")) {
          throw new IOException("checkpoint " + c + " has no block '" + name + "'");
        }
      }
      return read(c, manifest, blocks, manager, stateType, warnings);
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
          Files.copy(f, tmp.resolve(f.getFileName()));
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

  /** Loads one given checkpoint directory, verified, with no fallback. */
  public static <T> Loaded<T> loadExactly(
      Path checkpoint, Map<String, Block> blocks, NDManager manager, Class<T> stateType)
      throws IOException {
    Manifest manifest = Manifest.verify(checkpoint);
    return new Checkpoints(checkpoint.getParent())
        .read(checkpoint, manifest, blocks, manager, stateType, new ArrayList<>());
  }

  /** The directory LATEST names, if any (not verified). */
  public Optional<Path> latest() throws IOException {
    Path p = dir.resolve(LATEST);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    return Optional.of(dir.resolve(Files.readString(p, StandardCharsets.UTF_8).strip()));
  }

  private <T> Loaded<T> read(
      Path c,
      Manifest manifest,
      Map<String, Block> blocks,
      NDManager manager,
      Class<T> stateType,
      List<String> warnings)
      throws IOException {
    for (Map.Entry<String, Block> e : blocks.entrySet()) {
      try (InputStream in = Files.newInputStream(c.resolve(e.getKey() + ".params"))) {
        e.getValue().loadParameters(manager, new DataInputStream(new BufferedInputStream(in)));
      } catch (MalformedModelException ex) {
        throw new IOException(
            "block '" + e.getKey() + "' in " + c + " does not fit the model: " + ex.getMessage(),
            ex);
      }
    }
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    if (manifest.files().containsKey(ARRAYS)) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(c.resolve(ARRAYS)))) {
        for (NDArray a : NDList.decode(manager, in)) {
          arrays.put(a.getName(), a);
        }
      }
    }
    T state = Json.JSON.readValue(c.resolve(STATE).toFile(), stateType);
    return new Loaded<>(c, manifest.step(), state, arrays, List.copyOf(warnings));
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
      if (!all.get(i).getFileName().toString().equals(latestName)) {
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
