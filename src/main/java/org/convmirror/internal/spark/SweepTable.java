package org.convmirror.internal.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.internal.run.AtomicFiles;

/**
 * The tables of a sweep: {@code sweep.csv} with a row per run, and {@code summary.csv} / {@code
 * summary.md} with a row per configuration (the points that differ only in {@code --seed}): the
 * mean and sample standard deviation (n − 1) of each score over its runs.
 */
final class SweepTable {
  /** Scores summarised per configuration, with their headings. */
  private static final Map<String, String> SUMMARISED = new LinkedHashMap<>();

  static {
    SUMMARISED.put("frechet", "FD");
    SUMMARISED.put("kid_mean", "KID");
    SUMMARISED.put("precision", "precision");
    SUMMARISED.put("recall", "recall");
    SUMMARISED.put("class_entropy", "class entropy");
  }

  private final List<SweepResult> results;
  private final List<String> flags;

  SweepTable(SweepGrid grid, List<SweepResult> results) {
    this.results = List.copyOf(results);
    this.flags = grid.axes().stream().map(SweepGrid.Axis::flag).toList();
  }

  /** Writes the three tables into {@code root} and returns the markdown summary. */
  String write(Path root) throws IOException {
    AtomicFiles.writeString(root.resolve("sweep.csv"), runsCsv());
    AtomicFiles.writeString(root.resolve("summary.csv"), summaryCsv());
    String md = summaryMarkdown();
    AtomicFiles.writeString(root.resolve("summary.md"), md);
    return md;
  }

  String runsCsv() {
    StringBuilder s = new StringBuilder("run");
    for (String f : flags) s.append(',').append(f.substring(2));
    s.append(",status,attempts,epochs,iterations,train_seconds");
    for (String c : SweepResult.SCORES) s.append(',').append(c);
    s.append(",message\n");
    for (SweepResult r : results) {
      s.append(r.point().name());
      for (String f : flags) s.append(',').append(csv(r.point().values().get(f)));
      s.append(',').append(r.ok() ? "ok" : "failed").append(',').append(r.attempts());
      s.append(',').append(r.epochs()).append(',').append(r.iterations());
      s.append(',').append(num(r.seconds()));
      for (String c : SweepResult.SCORES) {
        Double v = r.scores().get(c);
        s.append(',').append(v == null ? "" : num(v));
      }
      s.append(',').append(csv(r.message())).append('\n');
    }
    return s.toString();
  }

  /** Configuration → its results, in grid order. */
  private Map<String, List<SweepResult>> configurations() {
    Map<String, List<SweepResult>> byConfig = new LinkedHashMap<>();
    for (SweepResult r : results) {
      byConfig.computeIfAbsent(r.point().configuration(), k -> new ArrayList<>()).add(r);
    }
    return byConfig;
  }

  String summaryCsv() {
    StringBuilder s = new StringBuilder("configuration,runs,failed");
    for (String c : SUMMARISED.keySet()) s.append(',').append(c).append(',').append(c + "_std");
    s.append(",train_seconds\n");
    configurations()
        .forEach(
            (config, rs) -> {
              List<SweepResult> ok = rs.stream().filter(SweepResult::ok).toList();
              s.append(csv(config)).append(',').append(ok.size());
              s.append(',').append(rs.size() - ok.size());
              for (String c : SUMMARISED.keySet()) {
                double[] ms = meanStd(ok, c);
                s.append(',').append(num(ms[0])).append(',').append(num(ms[1]));
              }
              s.append(',').append(num(meanSeconds(ok))).append('\n');
            });
    return s.toString();
  }

  String summaryMarkdown() {
    StringBuilder s = new StringBuilder("| configuration | runs |");
    SUMMARISED.values().forEach(h -> s.append(' ').append(h).append(" |"));
    s.append(" train s |\n|---|---|");
    SUMMARISED.values().forEach(h -> s.append("---|"));
    s.append("---|\n");
    configurations()
        .forEach(
            (config, rs) -> {
              List<SweepResult> ok = rs.stream().filter(SweepResult::ok).toList();
              s.append("| ").append(config).append(" | ").append(ok.size());
              if (ok.size() < rs.size())
                s.append(" (").append(rs.size() - ok.size()).append(" failed)");
              s.append(" |");
              for (String c : SUMMARISED.keySet()) {
                double[] ms = meanStd(ok, c);
                s.append(' ').append(pm(ms)).append(" |");
              }
              s.append(' ').append(fmt(meanSeconds(ok))).append(" |\n");
            });
    return s.toString();
  }

  /** Mean and sample standard deviation of score {@code c} (NaN where undefined). */
  static double[] meanStd(List<SweepResult> rs, String c) {
    List<Double> v = new ArrayList<>();
    for (SweepResult r : rs) {
      Double x = r.scores().get(c);
      if (x != null && !x.isNaN()) v.add(x);
    }
    if (v.isEmpty()) return new double[] {Double.NaN, Double.NaN};
    double mean = v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    if (v.size() < 2) return new double[] {mean, Double.NaN};
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return new double[] {mean, Math.sqrt(ss / (v.size() - 1))};
  }

  private static double meanSeconds(List<SweepResult> rs) {
    return rs.isEmpty()
        ? Double.NaN
        : rs.stream().mapToDouble(SweepResult::seconds).sum() / rs.size();
  }

  /** {@code 19.45 ± 0.61}: the spread in the mean's decimals. */
  private static String pm(double[] ms) {
    if (Double.isNaN(ms[0])) return "—";
    String f = Math.abs(ms[0]) >= 100 ? "%.1f" : Math.abs(ms[0]) >= 10 ? "%.2f" : "%.3f";
    String mean = String.format(Locale.ROOT, f, ms[0]);
    return Double.isNaN(ms[1]) ? mean : mean + " ± " + String.format(Locale.ROOT, f, ms[1]);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
  }

  /** A number for a CSV cell: whole numbers as such, others to six significant digits. */
  private static String num(double v) {
    if (Double.isNaN(v)) return "";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String csv(String v) {
    if (v == null) return "";
    return v.contains(",") || v.contains("\"") || v.contains("\n")
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
  }
}
