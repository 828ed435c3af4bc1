package org.convmirror.internal.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.error.UsageException;

/**
 * The files convmirror writes in place rather than replacing them with {@link AtomicFiles}:
 * append-only logs ({@code losses.csv}, {@code evaluation.csv}, a sweep's logs), files created new
 * (TensorBoard event files) and lock files. Every one is opened without following a symbolic link
 * ({@code O_NOFOLLOW}): a link planted under such a name is refused with one line, never written
 * through.
 */
public final class StreamFiles {
  private StreamFiles() {}

  /** Opens {@code file} to append (creating it); refuses a symbolic link or anything not a file. */
  public static FileChannel append(Path file) throws IOException {
    return open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Appends {@code text} (UTF-8) to {@code file}, creating it; refuses a symbolic link. */
  public static void appendString(Path file, String text) throws IOException {
    try (FileChannel ch = append(file)) {
      OutputStream out = Channels.newOutputStream(ch);
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw DiskFullException.explain(e, file);
    }
  }

  /** Opens an existing {@code file} to read and rewrite its end; refuses a symbolic link. */
  public static FileChannel update(Path file) throws IOException {
    return open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** Opens (creating) a lock file to read and write; refuses a symbolic link. */
  public static FileChannel lockFile(Path file) throws IOException {
    return open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** A buffered stream to a file that must not exist yet (nor a link of that name). */
  public static OutputStream createNew(Path file) throws IOException {
    FileChannel ch = open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
  }

  private static FileChannel open(Path file, OpenOption... options) throws IOException {
    refuseLink(file);
    List<OpenOption> all = new ArrayList<>(List.of(options));
    // O_NOFOLLOW as well: a link made between the check above and this open is refused too.
    all.add(LinkOption.NOFOLLOW_LINKS);
    try {
      return FileChannel.open(file, all.toArray(OpenOption[]::new));
    } catch (FileAlreadyExistsException e) {
      refuseLink(file);
      throw e;
    } catch (FileSystemException e) {
      refuseLink(file); // the open lost a race with a new link: say so, not ELOOP
      throw e;
    }
  }

  /**
   * Refuses {@code file} if it is a symbolic link or exists as something other than a regular file
   * (a folder, a FIFO, a device), with one line naming it and the fix.
   */
  public static void refuseLink(Path file) {
    if (Files.isSymbolicLink(file)) {
      throw new UsageException(
          file
              + " is a symbolic link; convmirror writes only files of its own and never through"
              + " a link: remove the link (rm '"
              + file
              + "') and run again");
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          file + " exists and is not a regular file; move it away and run again");
    }
  }
}
