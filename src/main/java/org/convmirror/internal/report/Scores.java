package org.convmirror.internal.report;

import java.util.List;
import java.util.Locale;

/**
 * The evaluation scores runs are compared by, as {@code evaluation.csv} names them, and how a table
 * shows them: each run's to four decimals, a group's as mean ± sample standard deviation (n − 1).
 * {@code compare}, {@code train --seeds} and the comparison page all print through here, so their
 * numbers are the same characters.
 */
public final class Scores {
  /** Column of {@code evaluation.csv} and its heading. */
  public record Column(String column, String heading) {}

  public static final List<Column> COLUMNS =
      List.of(
          new Column("frechet", "FD"),
          new Column("kid_mean", "KID"),
          new Column("precision", "precision"),
          new Column("recall", "recall"),
          new Column("density", "density"),
          new Column("coverage", "coverage"),
          new Column("class_entropy", "entropy"));

  private Scores() {}

  /** One run's score. */
  public static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** {@code mean±std} with the sample standard deviation (n − 1); 0 for a single value. */
  public static String meanStd(double[] v) {
    double mean = 0;
    for (double x : v) mean += x / v.length;
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
    return String.format(Locale.ROOT, "%.4f±%.4f", mean, std);
  }
}
