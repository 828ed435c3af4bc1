package org.convmirror.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes files so that readers see either the old complete content or the new, never a mix. */
public final class AtomicFiles {
  /** Prefix of temporary files; other code (and people) can recognise and ignore them. */
  static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Atomically replaces {@code target} with whatever {@code writer} writes; if the writer throws,
   * the old file is left untouched and the temporary file is removed.
   */
  public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    // Same directory as the target: a rename is only atomic within one file system.
    Path tmp = tempSibling(abs);
    boolean done = false;
    try {
      // CREATE_NEW with the umask's permissions; Files.createTempFile would make it 0600, and
      // run directories are meant to be read by colleagues.
      try (FileChannel channel =
              FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        writer.accept(new NonClosingOutputStream(out));
        out.flush();
        // Data must be on disk before the rename is, or a power cut could publish an empty file.
        channel.force(true);
      }
      move(tmp, abs);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    fsyncDirectory(dir);
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

  /** Stops a callback from closing the stream before we flush and fsync it. */
  private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
