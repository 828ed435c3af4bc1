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
    FileChannel ch =
        FileChannel.open(
            csv,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    MetricsLog log = new MetricsLog(csv, columns, ch);
    try {
      log.writer.write(String.join(",", columns) + "\n");
      log.flush();
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return log;
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
    FileChannel ch = FileChannel.open(csv, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long keep = keptBytes(ch, csv, columns, key, lastKept);
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
      FileChannel ch, Path csv, List<String> columns, int key, double lastKept) throws IOException {
    InputStream in = Channels.newInputStream(ch);
    byte[] buf = new byte[1 << 16];
    StringBuilder line = new StringBuilder();
    long pos = 0;
    long keep = 0; // end of the last line to keep
    boolean cut = false; // a row past the checkpoint was seen: keep nothing after it
    int number = 0;
    Malformed malformed = null; // fatal unless it turns out to be the last line
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
            throw new IOException(
                csv + " has columns [" + text + "], expected " + String.join(",", columns));
          }
        } else {
          double[] row = parse(text, columns.size());
          if (row == null) {
            malformed = new Malformed(number, text);
            continue;
          }
          cut |= row[key] > lastKept;
        }
        if (!cut) keep = pos;
      }
    }
    // Anything after the last newline is a torn write; it ends the file, like a malformed last
    // line.
    if (malformed != null && line.length() > 0) throw malformed.error(csv, columns);
    return keep;
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
