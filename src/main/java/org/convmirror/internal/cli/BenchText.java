package org.convmirror.internal.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.shape.Plan;

/** The text form of {@code bench}'s results. */
final class BenchText {
  private BenchText() {}

  @SuppressWarnings("unchecked")
  static String sampling(Map<String, Object> r) {
    StringBuilder s = new StringBuilder("sampling (latents drawn, inference, pixels back):\n");
    s.append(
        f("  %6s %10s %10s %12s %14s%n", "batch", "ms", "p90 ms", "images/s", "useful/matmul"));
    for (Map.Entry<String, Object> e : ((Map<String, Object>) r.get("sample")).entrySet()) {
      Map<String, Object> o = (Map<String, Object>) e.getValue();
      s.append(
          f(
              "  %6s %10.3f %10.3f %12.1f %13.1f %%%n",
              e.getKey(),
              o.get("ms_median"),
              o.get("ms_p90"),
              o.get("images_per_second"),
              100 * (double) o.get("useful_over_matmul")));
    }
    s.append(f("  matmul %.1f GFLOP/s%n", r.get("sample_matmul_gflops")));
    return s.toString();
  }

  @SuppressWarnings("unchecked")
  static String evaluation(Map<String, Object> r) {
    Map<String, Object> o = (Map<String, Object>) r.get("evaluate");
    StringBuilder s =
        new StringBuilder(
            f(
                "evaluation of %d generated images against %d test images, real floor included"
                    + " (same numbers in all three: %s):%n",
                o.get("count"), o.get("count"), o.get("same_numbers")));
    String[] runs = {"cold", "warm_disk", "warm_memory"};
    s.append(f("  %-20s %10s %10s %12s%n", "seconds", "cold", "disk cache", "memory cache"));
    s.append(
        f(
            "  %-20s %10.2f %10.2f %12.2f%n",
            "total",
            o.get("cold_seconds"),
            o.get("warm_disk_seconds"),
            o.get("warm_memory_seconds")));
    Map<String, Object> all = new java.util.LinkedHashMap<>();
    for (String run : runs) all.putAll((Map<String, Object>) o.get(run + "_phase_seconds"));
    int[] widths = {10, 10, 12};
    for (String phase : all.keySet()) {
      s.append(f("  %-20s", phase));
      for (int i = 0; i < runs.length; i++) {
        Object v = ((Map<String, Object>) o.get(runs[i] + "_phase_seconds")).get(phase);
        s.append(v == null ? f(" %" + widths[i] + "s", "-") : f(" %" + widths[i] + ".2f", v));
      }
      s.append('\n');
    }
    s.append(
        f(
            "  features %.1f images/s (%.1f %% of the matmul's %.1f GFLOP/s)%n",
            o.get("feature_images_per_second"),
            100 * (double) o.get("feature_useful_over_matmul"),
            o.get("matmul_gflops")));
    return s.toString();
  }

  @SuppressWarnings("unchecked")
  static String training(Map<String, Object> r, Plan g, Plan d) {
    StringBuilder s = new StringBuilder();
    s.append(
        f(
            "%d warm-up + %d timed %s iterations, synthetic in-memory data%n",
            r.get("warmup"), r.get("iterations"), r.get("kind")));
    s.append(
        f(
            "iteration: %.1f ms median (mean %.1f)   %.1f images/s%n",
            r.get("iteration_ms_median"), r.get("iteration_ms_mean"), r.get("images_per_second")));
    Map<String, Double> phases = (Map<String, Double>) r.get("phase_ms_mean");
    double total = (double) r.get("iteration_ms_mean");
    for (Map.Entry<String, Double> e : phases.entrySet()) {
      s.append(
          f("  %-10s %8.2f ms  %5.1f %%%n", e.getKey(), e.getValue(), 100 * e.getValue() / total));
    }
    s.append(
        f(
            "useful work: %s, %s = %.1f MMAC, %s = %.1f MMAC per image -> %.2f GFLOP/iteration%n",
            "gan".equals(r.get("kind"))
                ? "2·batch·(3·G + 8·D) MACs"
                : "2·batch·3·(E + heads + R) MACs",
            g.name(),
            g.macs() / 1e6,
            d.name(),
            d.macs() / 1e6,
            (double) r.get("useful_flops_per_iteration") / 1e9));
    s.append(
        f(
            "useful GFLOP/s: %.1f   matmul %dx%d float32: %.1f GFLOP/s (before %.1f, after %.1f)%n",
            r.get("useful_gflops"),
            r.get("matmul_size"),
            r.get("matmul_size"),
            r.get("matmul_gflops"),
            r.get("matmul_gflops_before"),
            r.get("matmul_gflops_after")));
    s.append(f("useful / matmul: %.1f %%%n", 100 * (double) r.get("useful_over_matmul")));
    Map<String, Long> rss = (Map<String, Long>) r.get("rss_kib_after_iteration");
    StringBuilder mem = new StringBuilder("resident memory (VmRSS):");
    Long first = null;
    for (Map.Entry<String, Long> e : rss.entrySet()) {
      mem.append(f(" %s it %.1f MiB", e.getKey(), e.getValue() / 1024.0));
      if (first == null) first = e.getValue();
      else mem.append(f(" (%+.1f %%)", 100.0 * (e.getValue() - first) / first));
      mem.append(";");
    }
    s.append(mem).append(f(" peak (VmHWM) %.1f MiB%n", (long) r.get("peak_rss_kib") / 1024.0));
    if (r.containsKey("ab_native_iteration_ms_median")) {
      s.append(
          f(
              "A/B (interleaved blocks): native convT %.1f ms, sub-pixel %.1f ms per iteration"
                  + " (median); sub-pixel / native = %.2f%n",
              r.get("ab_native_iteration_ms_median"),
              r.get("ab_subpixel_iteration_ms_median"),
              r.get("ab_subpixel_over_native")));
    }
    return s.toString();
  }

  @SuppressWarnings("unchecked")
  static String layers(Map<String, Object> r) {
    StringBuilder s = new StringBuilder();
    header(s, r);
    s.append("generator transposed convolutions, median ms; ratios ours / native:\n");
    s.append(
        f(
            "%-5s %-32s %9s %9s %9s %9s %9s %9s %7s %7s %7s%n",
            "layer",
            "shape",
            "ours_f",
            "ours_fb",
            "subpx_f",
            "subpx_fb",
            "conv_bd",
            "conv_fb",
            "f/bd",
            "fb/fb",
            "fb/bd"));
    for (Map<String, Object> o : (List<Map<String, Object>>) r.get("layers")) {
      s.append(
          f(
              "%-5s %-32s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %7.2f %7.2f %7.2f%n",
              o.get("layer"),
              o.get("shape"),
              o.get("ours_forward_ms"),
              o.get("ours_forward_backward_ms"),
              o.get("subpixel_forward_ms"),
              o.get("subpixel_forward_backward_ms"),
              o.get("conv_backward_data_ms"),
              o.get("conv_forward_backward_ms"),
              o.get("forward_ratio"),
              o.get("forward_backward_ratio"),
              o.get("ours_fwd_bwd_over_backward_data")));
    }
    s.append(
        "ours_f/ours_fb: our op (kernel in use) forward / forward+backward (grads w.r.t. x and"
            + " w); subpx_*: the same, sub-pixel decomposition;"
            + " conv_bd: native conv backward-data\n"
            + "(= a native convT forward); conv_fb: native conv forward + backward data+weight"
            + " (= a native convT forward+backward)\n");
    return s.toString();
  }

  static void header(StringBuilder s, Map<String, Object> r) {
    s.append(
        f(
            "bench %s  batch %d  threads %d (inter-op %d) on %d cores  load %s -> %s%n",
            r.get("model"),
            r.get("batch_size"),
            r.get("threads"),
            r.get("interop_threads"),
            r.get("cores"),
            r.get("load_average_before"),
            r.get("load_average_after")));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
