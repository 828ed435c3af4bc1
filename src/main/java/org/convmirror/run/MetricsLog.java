package org.convmirror.run;

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
 * has neither duplicated iterations nor a torn last line.
 */
public final class MetricsLog implements Closeable {
  private static final long FLUSH_NANOS = 1_000_000_000L; // a live `tail -f` lags ≤ 1 s

  private final List<String> columns;
  private final FileChannel channel;
  private final Writer writer;
  private long lastFlush = System.nanoTime();

  private MetricsLog(List<String> columns, FileChannel channel) {
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
    MetricsLog log = new MetricsLog(columns, ch);
    log.writer.write(String.join(",", columns) + "\n");
    log.flush();
    return log;
  }

  /**
   * Reopens {@code csv} to continue a run resumed from the checkpoint taken at {@code lastKept}:
   * keeps the header and every complete row up to the first one whose {@code keyColumn} exceeds
   * {@code lastKept} (or that is malformed), and cuts the file there.
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
      return new MetricsLog(columns, ch);
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
    writer.write(line.append('\n').toString());
    if (System.nanoTime() - lastFlush > FLUSH_NANOS) {
      flush();
    }
  }

  /** Pushes buffered rows to the OS, so readers (plots, people) see them. */
  public synchronized void flush() throws IOException {
    writer.flush();
    lastFlush = System.nanoTime();
  }

  /** Flushes and forces rows to disk; call it next to a checkpoint. */
  public synchronized void sync() throws IOException {
    flush();
    channel.force(false);
  }

  public List<String> columns() {
    return columns;
  }

  @Override
  public synchronized void close() throws IOException {
    try (channel) {
      writer.flush();
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

  /** Byte length of the header plus the rows to keep; 0 if the header itself is incomplete. */
  private static long keptBytes(
      FileChannel ch, Path csv, List<String> columns, int key, double lastKept) throws IOException {
    InputStream in = Channels.newInputStream(ch);
    byte[] buf = new byte[1 << 16];
    StringBuilder line = new StringBuilder();
    long pos = 0;
    long keep = 0;
    boolean header = true;
    for (int n; (n = in.read(buf)) > 0; ) {
      for (int i = 0; i < n; i++) {
        pos++;
        if (buf[i] != '\n') {
          line.append((char) (buf[i] & 0xFF)); // CSV of numbers and ASCII names
          continue;
        }
        String text = line.toString();
        line.setLength(0);
        if (header) {
          if (!text.equals(String.join(",", columns))) {
            throw new IOException(
                csv + " has columns [" + text + "], expected " + String.join(",", columns));
          }
          header = false;
        } else {
          double[] row = parse(text, columns.size());
          if (row == null || row[key] > lastKept) {
            return keep;
          }
        }
        keep = pos;
      }
    }
    return keep; // anything after the last newline is a torn write
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
