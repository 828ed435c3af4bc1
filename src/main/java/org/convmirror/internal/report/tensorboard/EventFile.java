package org.convmirror.internal.report.tensorboard;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.run.StreamFiles;

/**
 * One training process's event file in a run's TensorBoard folder, named by {@link
 * RunLayout#eventFile} so that a resumed run's files follow its earlier ones. Appended to and
 * flushed by the caller (at the end of each epoch); a record torn by a kill ends the file, which
 * TensorBoard tolerates.
 */
public final class EventFile implements Closeable {
  private final Path path;
  private final OutputStream out;
  private final RecordWriter records;

  private EventFile(Path path, OutputStream out) {
    this.path = path;
    this.out = out;
    this.records = new RecordWriter(out);
  }

  /** Starts a new event file in {@code dir}, with the file-version event first. */
  public static EventFile create(Path dir) throws IOException {
    Files.createDirectories(dir);
    double now = now();
    long pid = ProcessHandle.current().pid();
    long seconds = (long) now;
    Path path = RunLayout.eventFile(dir, seconds, pid);
    // A run resumed by the same process within the second (the API, tests) takes the next free
    // name, which still sorts after the earlier file.
    while (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      path = RunLayout.eventFile(dir, ++seconds, pid);
    }
    OutputStream out = StreamFiles.createNew(path);
    EventFile f = new EventFile(path, out);
    try {
      f.records.write(Events.fileVersion(now));
    } catch (IOException e) {
      out.close();
      throw e;
    }
    return f;
  }

  public Path path() {
    return path;
  }

  /** Scalars at {@code step}. */
  public void scalars(long step, Map<String, Double> values) throws IOException {
    if (!values.isEmpty()) records.write(Events.scalars(now(), step, values));
  }

  /** A PNG at {@code step}, its size and colours read from its header. */
  public void png(long step, String tag, byte[] png) throws IOException {
    PngHeader h = PngHeader.of(png);
    records.write(Events.image(now(), step, tag, h.height(), h.width(), h.colorspace(), png));
  }

  /** Marks a new training process resuming at {@code step}. */
  public void sessionStart(long step) throws IOException {
    records.write(Events.sessionStart(now(), step));
  }

  /** Hands what was written to the OS, for TensorBoard to see. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }
}
