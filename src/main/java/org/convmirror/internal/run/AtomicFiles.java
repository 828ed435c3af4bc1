package org.convmirror.internal.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way convmirror replaces a file: readers see either the old complete content or the new,
 * never a mix. The content goes to a temporary file in the target's folder, is forced to disk and
 * renamed over the target; the target is never opened for writing, so a symbolic link planted under
 * its name is replaced by the new file and whatever it pointed at is left untouched. A failed write
 * (a full disk) leaves the previous file intact and names the file. Files written in place
 * (append-only logs, lock files) go through {@link StreamFiles}; {@code ArchitectureTest} holds
 * that nothing else writes files.
 */
public final class AtomicFiles {
  /** Prefix of temporary files; other code (and people) can recognise and ignore them. */
  static final String TEMP_PREFIX = ".tmp-";

  /** Temporary files this process is writing now; their locks cannot be tested from here. */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

  /** Bytes left before a simulated full disk; negative when none is simulated. */
  private static final java.util.concurrent.atomic.AtomicLong SIMULATED_SPACE =
      new java.util.concurrent.atomic.AtomicLong(-1);

  private AtomicFiles() {}

  /** A simulated full disk, ended by {@link #close}. */
  public interface FullDisk extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * For tests of a full disk where no small file system can be mounted: from now on, writes through
   * this class fail as the kernel's ENOSPC does once {@code bytes} more have been written.
   */
  public static FullDisk simulateFullDisk(long bytes) {
    SIMULATED_SPACE.set(bytes);
    return () -> SIMULATED_SPACE.set(-1);
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes.length, out -> out.write(bytes));
  }

  /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Atomically replaces {@code target} with everything {@code in} holds. */
  public static void copy(java.io.InputStream in, Path target) throws IOException {
    write(target, in.readAllBytes()); // in memory first, so a full disk's message knows the size
  }

  /**
   * Atomically replaces {@code target} with whatever {@code writer} writes; if the writer throws,
   * the old file is left untouched and the temporary file is removed. Temporary files of the same
   * target that a killed process left behind are removed first.
   */
  public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
    write(target, -1, writer);
  }

  /**
   * As {@link #write(Path, IoConsumer)}, for a writer that writes {@code size} bytes (-1: not
   * known): a full disk's message then says how much space the file needs.
   */
  public static void write(Path target, long size, IoConsumer<OutputStream> writer)
      throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    removeAbandoned(dir, TEMP_PREFIX + abs.getFileName() + "-");
    // Same directory as the target: a rename is only atomic within one file system.
    Path tmp = tempSibling(abs);
    boolean done = false;
    NonClosingOutputStream counted = null;
    WRITING.add(tmp);
    try {
      // CREATE_NEW with the umask's permissions; Files.createTempFile would make it 0600, and
      // run directories are meant to be read by colleagues.
      try (FileChannel channel =
              FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        lockAsAlive(channel);
        counted = new NonClosingOutputStream(SIMULATED_SPACE.get() < 0 ? out : limited(out));
        writer.accept(counted);
        out.flush();
        // Data must be on disk before the rename is, or a power cut could publish an empty file.
        channel.force(true);
      }
      move(tmp, abs);
      done = true;
    } catch (IOException e) {
      throw DiskFullException.explain(e, abs, size, counted == null ? 0 : counted.written);
    } finally {
      WRITING.remove(tmp);
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    fsyncDirectory(dir);
  }

  /**
   * Tells other processes' {@link #removeAbandoned} that this writer is alive; the kernel drops the
   * lock when the process dies, however it dies.
   */
  private static void lockAsAlive(FileChannel channel) {
    try {
      channel.tryLock();
    } catch (IOException noLocksHere) {
      // a file system without locks: removeAbandoned cannot lock either, so it removes nothing
    }
  }

  /**
   * Deletes the temporary files named {@code prefix*} in {@code dir} whose writer is gone: not
   * being written by this process, not locked by another, and unmodified for a second (a writer
   * locks its file right after creating it, and renames it right after its last write).
   */
  static void removeAbandoned(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) return;
    long recent = System.currentTimeMillis() - 1000;
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(prefix))) {
      for (Path p : s) {
        if (WRITING.contains(p.toAbsolutePath()) || !Files.isRegularFile(p)) continue;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock()) {
          if (lock != null && Files.getLastModifiedTime(p).toMillis() < recent) {
            Files.deleteIfExists(p);
          }
        } catch (NoSuchFileException | OverlappingFileLockException gone) {
          // renamed or removed meanwhile, or held in this JVM: not abandoned
        } catch (IOException unknown) {
          // no locks on this file system (or no write access): it cannot be known, so keep it
        }
      }
    }
  }

  /** A not-yet-existing name next to {@code target}, recognisable as temporary. */
  static Path tempSibling(Path target) {
    long r = ThreadLocalRandom.current().nextLong() >>> 1;
    return target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + Long.toString(r, 36));
  }

  /** Renames {@code source} over {@code target} atomically (same directory or file system). */
  static void move(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "file system does not support atomic rename of " + source + " to " + target, e);
    }
  }

  /**
   * Renames folder {@code source} to {@code target} in one {@code rename(2)}: an empty folder there
   * is replaced; anything else there (a non-empty folder, a file, a link) makes it fail.
   */
  static void renameFolder(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Forces a file's content to disk. */
  static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Makes a rename in {@code dir} durable. Opening a directory for reading works on Linux and
   * macOS; elsewhere (Windows) it fails and the rename is as durable as the OS makes it anyway.
   */
  static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort by design, see above
    }
  }

  private static OutputStream limited(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (SIMULATED_SPACE.addAndGet(-len) < 0) {
          SIMULATED_SPACE.set(0);
          throw new IOException("No space left on device (simulated)");
        }
        out.write(b, off, len);
      }
    };
  }

  /** Bytes left on the simulated full disk, or -1 when none is simulated. */
  static long simulatedFree() {
    return SIMULATED_SPACE.get();
  }

  /** Counts what a callback writes, and stops it from closing the stream before we fsync it. */
  private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
    long written;

    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
