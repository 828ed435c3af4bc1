package org.convmirror.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, drawn from the data: axes with round ticks, one path per series, a
 * legend, dashed markers (the best epoch, a divergence). Long series are thinned to the minimum and
 * maximum of each of at most {@value #BUCKETS} x-buckets, which keeps every spike and makes a
 * 100-epoch run's chart as light as a 1-epoch run's. Values spanning many orders of magnitude (a
 * diverging run's losses) switch the y axis to a symmetric log scale, so the healthy start stays
 * readable beside the blow-up.
 */
final class SvgChart {
  static final String[] PALETTE = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"
  };
  private static final int BUCKETS = 600;
  private static final int W = 640;
  private static final int H = 300;
  private static final int LEFT = 62;
  private static final int RIGHT = 150; // the legend
  private static final int TOP = 28;
  private static final int BOTTOM = 40;

  private record Series(String name, double[] x, double[] y, String color, boolean faint) {}

  private record Marker(double x, String label) {}

  private final String id;
  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();

  SvgChart(String id, String title, String xLabel, String yLabel) {
    this.id = id;
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** A line in the next palette colour. */
  SvgChart add(String name, double[] x, double[] y) {
    series.add(new Series(name, x, y, PALETTE[colours() % PALETTE.length], false));
    return this;
  }

  /**
   * The raw values, faint, under their trailing moving average over {@code window} points, in the
   * next palette colour; a window of 1 draws the raw values only.
   */
  SvgChart addSmoothed(String name, double[] x, double[] y, int window) {
    String colour = PALETTE[colours() % PALETTE.length];
    if (window > 1) series.add(new Series(name + " (raw)", x, y, colour, true));
    series.add(new Series(name, x, window > 1 ? movingAverage(y, window) : y, colour, false));
    return this;
  }

  /** A dashed vertical line at {@code x}. */
  SvgChart mark(double x, String label) {
    markers.add(new Marker(x, label));
    return this;
  }

  private int colours() {
    return (int) series.stream().filter(s -> !s.faint).count();
  }

  /** At each point, the mean of the finite values among the last {@code window} points. */
  static double[] movingAverage(double[] y, int window) {
    double[] out = new double[y.length];
    double sum = 0;
    int n = 0;
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        sum += y[i];
        n++;
      }
      if (i >= window && Double.isFinite(y[i - window])) {
        sum -= y[i - window];
        n--;
      }
      out[i] = Double.isFinite(y[i]) && n > 0 ? sum / n : y[i];
    }
    return out;
  }

  /** The chart as an {@code <svg>} element. */
  String render() {
    double[] xr = range(true);
    double[] yr = range(false);
    boolean log = yr[1] - yr[0] > 1e4 * Math.max(1, Math.abs(spread()));
    Scale xs = new Scale(xr[0], xr[1], LEFT, W - RIGHT, false, integralX());
    Scale ys = new Scale(yr[0], yr[1], H - BOTTOM, TOP, log);
    StringBuilder s = new StringBuilder(4096);
    s.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " role=\"img\" aria-label=\"%s\">",
            Html.esc(id),
            W,
            H,
            W,
            H,
            Html.esc(title)));
    s.append(text(LEFT, 16, "title", title, "start"));
    axes(s, xs, ys);
    s.append(labels());
    for (Series r : series) path(s, r, xs, ys);
    for (Marker m : markers) marker(s, m, xs);
    legend(s);
    return s.append("</svg>").toString();
  }

  private boolean integralX() {
    for (Series r : series)
      for (double v : r.x) if (Double.isFinite(v) && v != Math.rint(v)) return false;
    return true;
  }

  /** The middle 90 % of the finite y values, to tell a blow-up from an ordinary range. */
  private double spread() {
    List<Double> all = new ArrayList<>();
    for (Series r : series) for (double v : r.y) if (Double.isFinite(v)) all.add(v);
    if (all.size() < 2) return 1;
    all.sort(null);
    return all.get((int) (all.size() * 0.95) - (all.size() >= 20 ? 0 : 1))
        - all.get((int) (all.size() * 0.05));
  }

  private double[] range(boolean x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series r : series) {
      double[] v = x ? r.x : r.y;
      for (int i = 0; i < v.length; i++) {
        if (Double.isFinite(v[i]) && Double.isFinite(r.y[i])) {
          lo = Math.min(lo, v[i]);
          hi = Math.max(hi, v[i]);
        }
      }
    }
    if (x) for (Marker m : markers) if (Double.isFinite(m.x)) hi = Math.max(hi, m.x);
    if (lo > hi) return new double[] {0, 1};
    if (lo == hi) return new double[] {lo - 0.5, hi + 0.5};
    return new double[] {lo, hi};
  }

  private static void axes(StringBuilder s, Scale xs, Scale ys) {
    s.append("<g class=\"axes\">");
    for (double t : xs.ticks()) {
      double px = xs.px(t);
      s.append(line(px, H - BOTTOM, px, TOP, "grid"));
      s.append(text(px, H - BOTTOM + 16, "tick", xs.label(t), "middle"));
    }
    for (double t : ys.ticks()) {
      double py = ys.px(t);
      s.append(line(LEFT, py, W - RIGHT, py, "grid"));
      s.append(text(LEFT - 6, py + 4, "tick", ys.label(t), "end"));
    }
    s.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "axis"));
    s.append(line(LEFT, H - BOTTOM, LEFT, TOP, "axis"));
    s.append("</g>");
  }

  private static void path(StringBuilder s, Series r, Scale xs, Scale ys) {
    StringBuilder d = new StringBuilder();
    int points = 0;
    boolean pen = false;
    for (int[] range : buckets(r.x.length)) {
      // The lowest and the highest point of each bucket, in the order they came.
      int lo = -1;
      int hi = -1;
      for (int i = range[0]; i < range[1]; i++) {
        if (!Double.isFinite(r.y[i]) || !Double.isFinite(r.x[i])) {
          pen = false; // a gap where the values are not numbers
          continue;
        }
        if (lo < 0 || r.y[i] < r.y[lo]) lo = i;
        if (hi < 0 || r.y[i] > r.y[hi]) hi = i;
      }
      int[] keep =
          lo < 0
              ? new int[0]
              : lo == hi ? new int[] {lo} : new int[] {Math.min(lo, hi), Math.max(lo, hi)};
      for (int i : keep) {
        d.append(pen ? 'L' : 'M');
        d.append(String.format(Locale.ROOT, "%.1f %.1f", xs.px(r.x[i]), ys.px(r.y[i])));
        pen = true;
        points++;
      }
    }
    if (points == 0) return;
    s.append(
        String.format(
            Locale.ROOT,
            "<path class=\"series%s\" data-name=\"%s\" data-points=\"%d\" stroke=\"%s\" d=\"%s\">"
                + "<title>%s</title></path>",
            r.faint ? " raw" : "",
            Html.esc(r.name),
            r.x.length,
            r.color,
            d,
            Html.esc(r.name)));
  }

  /** [start, end) index ranges: one per point, or {@value #BUCKETS} for a long series. */
  private static List<int[]> buckets(int n) {
    List<int[]> out = new ArrayList<>();
    int count = Math.min(n, BUCKETS);
    for (int b = 0; b < count; b++) {
      out.add(new int[] {(int) ((long) b * n / count), (int) ((long) (b + 1) * n / count)});
    }
    return out;
  }

  private static void marker(StringBuilder s, Marker m, Scale xs) {
    if (!Double.isFinite(m.x)) return;
    double px = xs.px(m.x);
    s.append("<g class=\"marker\">").append(line(px, H - BOTTOM, px, TOP, "mark"));
    s.append(text(px + 3, TOP + 10, "mark", m.label, "start")).append("</g>");
  }

  private void legend(StringBuilder s) {
    int row = 0;
    for (Series r : series) {
      if (r.faint) continue;
      double y = TOP + 8 + 16 * row++;
      s.append(
          String.format(
              Locale.ROOT,
              "<line class=\"key\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>",
              W - RIGHT + 10,
              y - 4,
              W - RIGHT + 28,
              y - 4,
              r.color));
      s.append(text(W - RIGHT + 32, y, "key", r.name, "start"));
    }
  }

  private String labels() {
    return text(LEFT + (W - RIGHT - LEFT) / 2.0, H - 6, "label", xLabel, "middle")
        + String.format(
            Locale.ROOT,
            "<text class=\"label\" transform=\"translate(14 %d) rotate(-90)\""
                + " text-anchor=\"middle\">%s</text>",
            (TOP + H - BOTTOM) / 2,
            Html.esc(yLabel));
  }

  private static String line(double x1, double y1, double x2, double y2, String cls) {
    return String.format(
        Locale.ROOT,
        "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
        cls,
        x1,
        y1,
        x2,
        y2);
  }

  private static String text(double x, double y, String cls, String t, String anchor) {
    return String.format(
        Locale.ROOT,
        "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
        cls,
        x,
        y,
        anchor,
        Html.esc(t));
  }
}
