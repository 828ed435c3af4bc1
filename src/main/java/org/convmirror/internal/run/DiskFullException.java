package org.convmirror.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convmirror.shape.Bytes;

/**
 * A write that failed because the disk (or the user's quota) is full, with a message that names the
 * file and says what to free. Writers here are atomic, so what was committed before is intact.
 */
public final class DiskFullException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Below this much free space a failed write is taken for a full disk, whatever its message. */
  private static final long NEARLY_FULL = 1 << 20;

  private final Path file;
  private final long size;
  private final long written;
  private final String consequence;

  private DiskFullException(
      Path file, long size, long written, String consequence, IOException cause) {
    super(cause);
    this.file = file;
    this.size = size;
    this.written = written;
    this.consequence = consequence;
  }

  /**
   * {@code e} itself, or, if the disk holding {@code file} is full, a {@code DiskFullException}
   * naming {@code file}; {@code consequence} (may be empty) is appended to the message.
   */
  public static IOException explain(IOException e, Path file, String consequence) {
    return explain(e, file, -1, -1, consequence);
  }

  /**
   * As {@link #explain(IOException, Path, String)} for a file of {@code size} bytes (-1: not known)
   * of which {@code written} had been written when the write failed: the message says how much
   * space the file needs.
   */
  public static IOException explain(IOException e, Path file, long size, long written) {
    return explain(e, file, size, written, "");
  }

  private static IOException explain(
      IOException e, Path file, long size, long written, String consequence) {
    if (e instanceof DiskFullException || !isFull(e, file)) return e;
    return new DiskFullException(file, size, written, consequence, e);
  }

  /**
   * Names the file, the space it needs and the space free, as the disk is when the message is read:
   * after the failed writer has removed its temporary files, not while they still fill the disk.
   */
  @Override
  public String getMessage() {
    long simulated = AtomicFiles.simulatedFree(); // a test's full disk: what is "free" on it
    long free = simulated >= 0 ? simulated : usable(file);
    String needs =
        size >= 0
            ? "it needs " + Bytes.format(size)
            : written > 0 ? "it needs more than the " + Bytes.format(written) + " written" : "";
    String freeThere = free >= 0 ? Bytes.format(free) + " free there" : "";
    String facts =
        needs.isEmpty() || freeThere.isEmpty() ? needs + freeThere : needs + ", " + freeThere;
    return "no space left on the device to write "
        + file
        + (facts.isEmpty() ? "" : " (" + facts + ")")
        + "; free space on that disk (old runs, sampled/ folders, checkpoints you no longer"
        + " need) and run again"
        + consequence;
  }

  /**
   * Refuses, before anything is written, a write of about {@code bytes} into {@code dir} that the
   * disk cannot hold.
   *
   * @param what the job and the flag that sized it, e.g. {@code "sample --count 2000000000"}
   * @param fix what to lower
   */
  public static void requireSpace(Path dir, long bytes, String what, String fix) {
    long free = usable(dir);
    if (free >= 0 && bytes > free) {
      throw new org.convmirror.error.UsageException(
          what
              + " needs about "
              + Bytes.format(bytes)
              + " in "
              + dir
              + " but only "
              + Bytes.format(free)
              + " is free there: "
              + fix
              + ", or free space on that disk");
    }
  }

  /** This failure with the folder {@code from} in its message named {@code to} instead. */
  DiskFullException renamed(Path from, Path to) {
    Path abs = file.toAbsolutePath();
    Path f = from.toAbsolutePath();
    Path named = abs.startsWith(f) ? to.toAbsolutePath().resolve(f.relativize(abs)) : file;
    return new DiskFullException(named, size, written, consequence, (IOException) getCause());
  }

  /** As {@link #explain(IOException, Path, String)}, with nothing appended. */
  public static IOException explain(IOException e, Path file) {
    return explain(e, file, "");
  }

  // ENOSPC and EDQUOT reach Java only as message text (strerror), so both the text and the free
  // space are asked.
  private static boolean isFull(IOException e, Path file) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("quota exceeded"))) {
        return true;
      }
    }
    long free = usable(file);
    return free >= 0 && free < NEARLY_FULL;
  }

  /** Usable bytes on the file system of {@code file}'s nearest existing ancestor; -1 unknown. */
  private static long usable(Path file) {
    try {
      Path p = file.toAbsolutePath();
      while (p != null && !Files.exists(p)) p = p.getParent();
      return p == null ? -1 : Files.getFileStore(p).getUsableSpace();
    } catch (IOException | SecurityException e) {
      return -1;
    }
  }
}
