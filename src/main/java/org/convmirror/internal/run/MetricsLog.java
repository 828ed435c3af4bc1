package org.convmirror.internal.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.error.UsageException;

/**
 * An append-only CSV of per-iteration training numbers ({@code losses.csv}) that survives being
 * killed: a resumed run first cuts the file back to the iteration of its checkpoint, so the curve
 * has neither duplicated iterations nor a torn last line. A malformed row anywhere but last is not
 * a kill's doing, and resuming refuses rather than cut the rows after it.
 */
public final class MetricsLog implements Closeable {
  private static final long FLUSH_NANOS = 1_000_000_000L; // a live `tail -f` lags ≤ 1 s

  private final Path path;
  private final List<String> columns;
  private final FileChannel channel;
  private final Writer writer;
  private long lastFlush = System.nanoTime();

  private MetricsLog(Path path, List<String> columns, FileChannel channel) {
    this.path = path;
    this.columns = List.copyOf(columns);
    this.channel = channel;
    this.writer =
        new BufferedWriter(
            new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8));
  }

  /** Starts a new log at {@code csv} (replacing any file there) with a header row. */
  public static MetricsLog create(Path csv, List<String> columns) throws IOException {
    checkColumns(columns);
    Files.createDirectories(csv.toAbsolutePath().getParent());
    // The header replaces any file (or planted link) atomically; rows are appended to that file.
    try {
      AtomicFiles.writeString(csv, String.join(",", columns) + "\n");
    } catch (IOException e) {
      throw DiskFullException.explain(e, csv);
    }
    return new MetricsLog(csv, columns, StreamFiles.append(csv));
  }

  /**
   * Reopens {@code csv} to continue a run resumed from the checkpoint taken at {@code lastKept}:
   * keeps the header and every row up to the first one whose {@code keyColumn} exceeds {@code
   * lastKept}, and cuts the file there. A malformed last line (a write torn by a kill) is cut too.
   *
   * @throws IOException naming the line, with the file unchanged, if a row before the last one is
   *     malformed
   */
  public static MetricsLog resume(Path csv, List<String> columns, String keyColumn, double lastKept)
      throws IOException {
    checkColumns(columns);
    int key = columns.indexOf(keyColumn);
    if (key < 0) {
      throw new IllegalArgumentException("key column '" + keyColumn + "' is not one of " + columns);
    }
    if (!Files.exists(csv) || Files.size(csv) == 0) {
      return create(csv, columns);
    }
    FileChannel ch = StreamFiles.update(csv);
    try {
      long keep = keptBytes(ch, csv, columns, key, lastKept, false);
      if (keep == 0) { // not even a complete header survived the crash
        ch.close();
        return create(csv, columns);
      }
      ch.truncate(keep);
      ch.force(true);
      ch.position(keep);
      return new MetricsLog(csv, columns, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Checks, writing nothing, that {@link #resume} would accept {@code csv}: its header, no
   * malformed row before the last, and the {@code keyColumn} of the rows up to {@code lastKept}
   * counting 1, 2, 3, … without a gap or a repeat; with {@code exactly}, up to {@code lastKept}
   * itself (every iteration a checkpoint holds has its row).
   *
   * @throws UsageException naming the file, the line and the fix
   */
  public static void checkResumable(
      Path csv, List<String> columns, String keyColumn, double lastKept, boolean exactly) {
    StreamFiles.refuseLink(csv);
    try {
      if (!Files.exists(csv) || Files.size(csv) == 0) {
        if (exactly && lastKept > 0) throw new IOException(missing(csv, keyColumn, 0, lastKept));
        return;
      }
      try (FileChannel ch = FileChannel.open(csv, StandardOpenOption.READ)) {
        keptBytes(ch, csv, columns, columns.indexOf(keyColumn), lastKept, exactly);
      }
    } catch (IOException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private static String missing(Path csv, String key, double last, double lastKept) {
    return String.format(
        java.util.Locale.ROOT,
        "%s holds rows up to %s %.0f but the checkpoint is at %s %.0f: rows are missing; restore"
            + " the file from a backup, or train a new run (nothing was changed)",
        csv,
        key,
        last,
        key,
        lastKept);
  }

  /** Appends one row; values are in header order. */
  public synchronized void append(double... values) throws IOException {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "row must have " + columns.size() + " values " + columns + ", had " + values.length);
    }
    StringBuilder line = new StringBuilder(values.length * 10);
    for (int i = 0; i < values.length; i++) {
      line.append(i == 0 ? "" : ",").append(format(values[i]));
    }
    try {
      writer.write(line.append('\n').toString());
    } catch (IOException e) {
      throw DiskFullException.explain(e, path);
    }
    if (System.nanoTime() - lastFlush > FLUSH_NANOS) {
      flush();
    }
  }

  /** Pushes buffered rows to the OS, so readers (plots, people) see them. */
  public synchronized void flush() throws IOException {
    try {
      writer.flush();
    } catch (IOException e) {
      throw DiskFullException.explain(e, path);
    }
    lastFlush = System.nanoTime();
  }

  /** Flushes and forces rows to disk; call it next to a checkpoint. */
  public synchronized void sync() throws IOException {
    flush();
    try {
      channel.force(false);
    } catch (IOException e) {
      throw DiskFullException.explain(e, path);
    }
  }

  public List<String> columns() {
    return columns;
  }

  @Override
  public synchronized void close() throws IOException {
    try (channel) {
      writer.flush();
    } catch (IOException e) {
      throw DiskFullException.explain(e, path);
    }
  }

  /** Reads a log for plotting; a torn last line (a run still writing) is ignored. */
  public static MetricsTable read(Path csv) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        throw new IOException("empty metrics file: " + csv);
      }
      List<String> columns = List.of(header.split(",", -1));
      List<double[]> rows = new ArrayList<>();
      for (String line; (line = r.readLine()) != null; ) {
        double[] row = parse(line, columns.size());
        if (row == null) {
          break;
        }
        rows.add(row);
      }
      return new MetricsTable(columns, rows);
    }
  }

  /**
   * Byte length of the header plus the rows to keep; 0 if the header itself is incomplete.
   *
   * @throws IOException if a malformed line has another line after it
   */
  private static long keptBytes(
      FileChannel ch, Path csv, List<String> columns, int key, double lastKept, boolean exactly)
      throws IOException {
    InputStream in = Channels.newInputStream(ch);
    byte[] buf = new byte[1 << 16];
    StringBuilder line = new StringBuilder();
    long pos = 0;
    long keep = 0; // end of the last line to keep
    boolean cut = false; // a row past the checkpoint was seen: keep nothing after it
    int number = 0;
    Malformed malformed = null; // fatal unless it turns out to be the last line
    double expect = 1; // the key the next kept row must carry
    for (int n; (n = in.read(buf)) > 0; ) {
      for (int i = 0; i < n; i++) {
        pos++;
        if (buf[i] != '\n') {
          line.append((char) (buf[i] & 0xFF)); // CSV of numbers and ASCII names
          continue;
        }
        String text = line.toString();
        line.setLength(0);
        number++;
        if (malformed != null) throw malformed.error(csv, columns);
        if (number == 1) {
          if (!text.equals(String.join(",", columns))) {
            String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
            throw new IOException(
                csv
                    + " has columns ["
                    + shown.replaceAll("[^\\x20-\\x7e]", "?")
                    + "], expected "
                    + String.join(",", columns)
                    + ": restore the run's own file, or train a new run (nothing was changed)");
          }
        } else {
          double[] row = parse(text, columns.size());
          if (row == null) {
            malformed = new Malformed(number, text);
            continue;
          }
          cut |= row[key] > lastKept;
          if (!cut && row[key] != expect) {
            throw new IOException(outOfSequence(csv, number, columns.get(key), row[key], expect));
          }
          if (!cut) expect++;
        }
        if (!cut) keep = pos;
      }
    }
    // Anything after the last newline is a torn write; it ends the file, like a malformed last
    // line.
    if (malformed != null && line.length() > 0) throw malformed.error(csv, columns);
    if (exactly && expect - 1 != lastKept) {
      throw new IOException(missing(csv, columns.get(key), expect - 1, lastKept));
    }
    return keep;
  }

  private static String outOfSequence(Path csv, int line, String key, double was, double expect) {
    return String.format(
        java.util.Locale.ROOT,
        "%s line %d has %s %s where %.0f was expected (a duplicated, missing or extra row): restore"
            + " the file, or delete the rows that do not belong, then resume again (nothing was"
            + " changed)",
        csv,
        line,
        key,
        format(was),
        expect);
  }

  /** A row that does not parse, kept aside until we know whether another line follows. */
  private record Malformed(int line, String text) {
    IOException error(Path csv, List<String> columns) {
      String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
      return new IOException(
          csv
              + " line "
              + line
              + " is malformed ('"
              + shown.replaceAll("\\p{Cntrl}", "?")
              + "'; a row holds "
              + columns.size()
              + " numbers: "
              + String.join(",", columns)
              + ") and rows follow it, so it is no torn last row: fix or delete that line, then"
              + " resume again (nothing was changed)");
    }
  }

  private static double[] parse(String line, int width) {
    String[] parts = line.split(",", -1);
    if (parts.length != width) {
      return null;
    }
    double[] row = new double[width];
    try {
      for (int i = 0; i < width; i++) {
        row[i] = Double.parseDouble(parts[i]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return row;
  }

  private static String format(double v) {
    // Counters (epoch, iteration, images) stay integers: "12", not "12.0".
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static void checkColumns(List<String> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a metrics log needs at least one column");
    }
    for (String c : columns) {
      if (c.isEmpty() || c.contains(",") || c.contains("\n") || c.contains("\"")) {
        throw new IllegalArgumentException("column names must be plain words, was '" + c + "'");
      }
    }
  }
}
