package org.convmirror.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a {@link SvgChart}: data to pixels, and round ticks. Linear, or symmetric-log
 * (sign(v)·log10(1 + |v|), linear near 0 and logarithmic far from it), for values that span many
 * orders of magnitude and may be negative.
 */
final class Scale {
  private final boolean log;
  private final double lo;
  private final double hi;
  private final double p0;
  private final double p1;
  private final double step; // linear ticks

  /** An axis from {@code min} to {@code max} drawn from pixel {@code p0} to {@code p1}. */
  Scale(double min, double max, double p0, double p1, boolean log) {
    this(min, max, p0, p1, log, false);
  }

  /** As above; {@code integers}: the values are counts (epochs), so no tick falls between two. */
  Scale(double min, double max, double p0, double p1, boolean log, boolean integers) {
    this.log = log;
    this.p0 = p0;
    this.p1 = p1;
    double a = f(min, log);
    double b = f(max, log);
    if (!(b > a)) {
      a -= 0.5;
      b += 0.5;
    }
    this.step = integers ? Math.max(1, niceStep((b - a) / 5)) : niceStep((b - a) / 5);
    if (!log) { // round the ends out to ticks, so the lines never touch the frame unlabelled
      a = Math.floor(a / step) * step;
      b = Math.ceil(b / step) * step;
    }
    this.lo = a;
    this.hi = b;
  }

  private static double f(double v, boolean log) {
    return log ? Math.signum(v) * Math.log10(1 + Math.abs(v)) : v;
  }

  /** 1, 2 or 5 times a power of ten, near {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) return 1;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double n = raw / mag;
    return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
  }

  double px(double v) {
    return p0 + (f(v, log) - lo) / (hi - lo) * (p1 - p0);
  }

  /** Tick values in data units, inside the axis. */
  List<Double> ticks() {
    List<Double> out = new ArrayList<>();
    if (!log) {
      for (double t = lo; t <= hi + step * 1e-9; t += step)
        out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
      return out;
    }
    int top = (int) Math.ceil(Math.max(Math.abs(lo), Math.abs(hi)));
    int every = Math.max(1, (top + 6) / 7); // at most about seven powers of ten a side
    if (lo <= 0 && hi >= 0) out.add(0.0);
    for (int e = every; e <= top; e += every) {
      for (double t : new double[] {-Math.pow(10, e), Math.pow(10, e)}) {
        double ft = f(t, true);
        if (ft >= lo - 1e-9 && ft <= hi + 1e-9) out.add(t);
      }
    }
    out.sort(null);
    return out;
  }

  String label(double t) {
    if (t == 0) return "0";
    double a = Math.abs(t);
    if (log || a >= 1e5 || a < 1e-3) {
      String m = String.format(Locale.ROOT, "%.0e", t).replace("e+0", "e").replace("e+", "e");
      return m.replace("e-0", "e-").replace('-', '−');
    }
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", t).replace('-', '−');
  }
}
