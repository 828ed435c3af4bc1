package org.convmirror.internal.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** File-system steps of {@link Checkpoints}: synced writes, directory swaps, listing, pruning. */
final class CheckpointFiles {
  private CheckpointFiles() {}

  /** Size and SHA-256 of a written file. */
  record Written(long size, String sha256) {}

  static String nameOf(int step) {
    return RunLayout.checkpointName(step);
  }

  /** The step in a checkpoint directory's name, or -1 if it is not one. */
  static int stepOf(Path p) {
    return RunLayout.stepOf(p);
  }

  static Path newTempDir(Path dir) throws IOException {
    String r = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    return Files.createDirectory(dir.resolve(AtomicFiles.TEMP_PREFIX + r));
  }

  /** Writes a new file, forcing it to disk, and returns its size and hash. */
  static Written writeSynced(Path file, IoConsumer<OutputStream> writer) throws IOException {
    MessageDigest sha = sha256();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out =
          new DigestOutputStream(
              new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), sha);
      writer.accept(out);
      out.flush();
      ch.force(true);
      return new Written(ch.size(), HexFormat.of().formatHex(sha.digest()));
    }
  }

  /** Hash of a file as it is on disk now. */
  static Written hash(Path file) throws IOException {
    MessageDigest sha = sha256();
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (var in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        size += n;
      }
    }
    return new Written(size, HexFormat.of().formatHex(sha.digest()));
  }

  /**
   * Moves a finished temp directory to {@code target}. Directories cannot be renamed over non-empty
   * ones, so an existing target (same step saved again after a resume) is moved aside first; a
   * crash in between leaves LATEST naming a missing directory, and loading falls back.
   */
  static void replaceDirectory(Path tmp, Path target) throws IOException {
    Path dir = target.getParent();
    Path aside = null;
    if (Files.exists(target)) {
      aside = dir.resolve(AtomicFiles.TEMP_PREFIX + "old-" + target.getFileName());
      deleteTree(aside);
      AtomicFiles.move(target, aside);
    }
    AtomicFiles.move(tmp, target);
    AtomicFiles.fsyncDirectory(dir);
    if (aside != null) {
      deleteTree(aside);
    }
  }

  /** Checkpoint directories ({@code step-NNNNNNN}), highest step first. */
  static List<Path> listNewestFirst(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, RunLayout.checkpointGlob())) {
      for (Path p : s) {
        if (Files.isDirectory(p) && stepOf(p) >= 0) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparingInt(CheckpointFiles::stepOf).reversed());
    return out;
  }

  /** Deletes temp directories and files left by saves that were killed. */
  static void removeTemps(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, AtomicFiles.TEMP_PREFIX + "*")) {
      for (Path p : s) {
        deleteTree(p);
      }
    }
  }

  /** Deletes a tree on a path that is already failing; a second error must not hide the first. */
  static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (IOException | RuntimeException ignored) {
      // the caller reports the original failure; a later save removes what is left
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
