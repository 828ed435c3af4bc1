package org.convmirror.internal.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.convmirror.internal.bench.BenchReport;
import org.convmirror.internal.bench.EvalBench;
import org.convmirror.internal.bench.LayerBench;
import org.convmirror.internal.bench.SampleBench;
import org.convmirror.spec.ModelKind;

/** The text form of {@code bench}'s report. */
final class BenchText {
  private BenchText() {}

  /** The whole report as text. */
  static String of(BenchReport r) {
    StringBuilder s = new StringBuilder();
    header(s, r.machine());
    if (r.layers() != null) return layers(s, r).toString();
    if (r.training() != null) training(s, r);
    if (r.sampling() != null) sampling(s, r.sampling());
    if (r.evaluation() != null) evaluation(s, r.evaluation());
    return s.toString();
  }

  private static void sampling(StringBuilder s, BenchReport.Sampling r) {
    s.append("sampling (latents drawn, inference, pixels back):\n");
    s.append(
        f("  %6s %10s %10s %12s %14s%n", "batch", "ms", "p90 ms", "images/s", "useful/matmul"));
    for (SampleBench.Row row : r.rows()) {
      s.append(
          f(
              "  %6s %10.3f %10.3f %12.1f %13.1f %%%n",
              row.batch(),
              row.msMedian(),
              row.msP90(),
              row.imagesPerSecond(),
              100 * r.usefulOverMatmul(row)));
    }
    s.append(f("  matmul %.1f GFLOP/s%n", r.matmulGflops()));
  }

  private static void evaluation(StringBuilder s, BenchReport.Evaluation e) {
    EvalBench.Result r = e.result();
    s.append(
        f(
            "evaluation of %d generated images against %d test images, real floor included"
                + " (same numbers in all three: %s):%n",
            r.count(), r.count(), r.identical()));
    List<EvalBench.Timing> runs = List.of(r.cold(), r.warmDisk(), r.warmMemory());
    s.append(f("  %-20s %10s %10s %12s%n", "seconds", "cold", "disk cache", "memory cache"));
    s.append(
        f(
            "  %-20s %10.2f %10.2f %12.2f%n",
            "total", runs.get(0).seconds(), runs.get(1).seconds(), runs.get(2).seconds()));
    Set<String> phases = new LinkedHashSet<>();
    for (EvalBench.Timing run : runs) phases.addAll(run.phaseSeconds().keySet());
    int[] widths = {10, 10, 12};
    for (String phase : phases) {
      s.append(f("  %-20s", phase));
      for (int i = 0; i < runs.size(); i++) {
        Double v = runs.get(i).phaseSeconds().get(phase);
        s.append(v == null ? f(" %" + widths[i] + "s", "-") : f(" %" + widths[i] + ".2f", v));
      }
      s.append('\n');
    }
    s.append(
        f(
            "  features %.1f images/s (%.1f %% of the matmul's %.1f GFLOP/s)%n",
            r.featureImagesPerSecond(), 100 * e.usefulOverMatmul(), e.matmulGflops()));
  }

  private static void training(StringBuilder s, BenchReport r) {
    BenchReport.Training t = r.training();
    boolean gan = r.machine().kind() == ModelKind.GAN;
    s.append(
        f(
            "%d warm-up + %d timed %s iterations, %s%n",
            t.warmup(),
            t.iterations(),
            gan ? "gan" : "vae",
            t.data() != null
                ? "batches of " + t.data().identity() + " through the training loader"
                : "synthetic in-memory data"));
    s.append(
        f(
            "iteration: %.1f ms median (mean %.1f)   %.1f images/s%n",
            t.iterationMsMedian(), t.iterationMsMean(), t.imagesPerSecond()));
    for (Map.Entry<String, Double> e : t.phaseMsMean().entrySet()) {
      s.append(
          f(
              "  %-10s %8.2f ms  %5.1f %%%n",
              e.getKey(), e.getValue(), 100 * e.getValue() / t.iterationMsMean()));
    }
    if (t.data() != null) {
      s.append(
          f(
              "  data: the step waited for batches %.2f %% of an iteration; the loader thread"
                  + " prepared them (read, convert) in %.2f ms = %.2f %% of an iteration%n",
              100 * t.data().waitOverIteration(),
              t.data().prepareMsPerIteration(),
              100 * t.data().prepareOverIteration()));
    }
    s.append(
        f(
            "useful work: %s, %s = %.1f MMAC, %s = %.1f MMAC per image -> %.2f GFLOP/iteration%n",
            gan ? "2·batch·(3·G + 8·D) MACs" : "2·batch·3·(E + heads + R) MACs",
            r.derived().name(),
            r.derived().macs() / 1e6,
            r.declared().name(),
            r.declared().macs() / 1e6,
            t.usefulFlopsPerIteration() / 1e9));
    s.append(
        f(
            "useful GFLOP/s: %.1f   matmul %dx%d float32: %.1f GFLOP/s (before %.1f, after %.1f)%n",
            t.usefulGflops(),
            t.matmulSize(),
            t.matmulSize(),
            t.matmulGflops(),
            t.matmulGflopsBefore(),
            t.matmulGflopsAfter()));
    s.append(f("useful / matmul: %.1f %%%n", 100 * t.usefulOverMatmul()));
    StringBuilder mem = new StringBuilder("resident memory (VmRSS):");
    Long first = null;
    for (Map.Entry<Integer, Long> e : t.rssKib().entrySet()) {
      mem.append(f(" %s it %.1f MiB", e.getKey(), e.getValue() / 1024.0));
      if (first == null) first = e.getValue();
      else mem.append(f(" (%+.1f %%)", 100.0 * (e.getValue() - first) / first));
      mem.append(";");
    }
    s.append(mem).append(f(" peak (VmHWM) %.1f MiB%n", t.peakRssKib() / 1024.0));
    if (t.ab() != null) {
      s.append(
          f(
              "A/B (interleaved blocks): native convT %.1f ms, sub-pixel %.1f ms per iteration"
                  + " (median); sub-pixel / native = %.2f%n",
              t.ab().nativeMs(), t.ab().subpixelMs(), t.ab().subpixelOverNative()));
    }
  }

  private static StringBuilder layers(StringBuilder s, BenchReport r) {
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
    for (LayerBench.Row o : r.layers()) {
      s.append(
          f(
              "%-5s %-32s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %7.2f %7.2f %7.2f%n",
              o.index(),
              o.shape(),
              o.oursForwardMs(),
              o.oursForwardBackwardMs(),
              o.subPixelForwardMs(),
              o.subPixelForwardBackwardMs(),
              o.convBackwardDataMs(),
              o.convForwardBackwardMs(),
              o.forwardRatio(),
              o.forwardBackwardRatio(),
              o.fullOverBackwardDataRatio()));
    }
    s.append(
        "ours_f/ours_fb: our op (kernel in use) forward / forward+backward (grads w.r.t. x and"
            + " w); subpx_*: the same, sub-pixel decomposition;"
            + " conv_bd: native conv backward-data\n"
            + "(= a native convT forward); conv_fb: native conv forward + backward data+weight"
            + " (= a native convT forward+backward)\n");
    return s;
  }

  private static void header(StringBuilder s, BenchReport.Machine m) {
    s.append(
        f(
            "bench %s  batch %d  %s  threads %d (inter-op %d) on %d cores  load %s -> %s%n",
            m.model(),
            m.batchSize(),
            m.precision(),
            m.threads(),
            m.interopThreads(),
            m.cores(),
            m.loadBefore(),
            m.loadAfter()));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
