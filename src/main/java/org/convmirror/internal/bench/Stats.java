package org.convmirror.internal.bench;

import java.util.Arrays;

/** Small order statistics over timings. */
public final class Stats {
  private Stats() {}

  public static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  public static double mean(double[] values) {
    double s = 0;
    for (double x : values) s += x;
    return values.length == 0 ? Double.NaN : s / values.length;
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }
}
