package org.convmirror.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.run.MetricsTable;

/**
 * The charts of one run: its losses per iteration, a GAN's discriminator outputs D(x) and D(G(z)),
 * a VAE's −ELBO terms per epoch, and the evaluation score per epoch, with the divergence and the
 * best epoch marked.
 */
final class Curves {
  /** Columns of {@code losses.csv} that are probabilities, drawn on their own chart. */
  static final Map<String, String> D_OUTPUTS = Map.of("d_real", "D(x)", "d_fake", "D(G(z))");

  private Curves() {}

  /** Every chart the run's files allow, in page order. */
  static List<String> of(RunFacts f) {
    List<String> out = new ArrayList<>();
    MetricsTable t = f.losses;
    if (t != null && t.size() > 0) {
      double[] x = t.column("iteration");
      int window = smoothing(f);
      String title = f.isGan() ? "losses per iteration" : "−ELBO terms per iteration (nats/image)";
      SvgChart losses =
          new SvgChart("chart-losses", title, "iteration", f.isGan() ? "loss" : "nats");
      SvgChart outputs =
          new SvgChart("chart-d-outputs", "discriminator outputs", "iteration", "probability");
      for (String c : t.columns()) {
        if (!isMetric(c)) continue;
        SvgChart into = D_OUTPUTS.containsKey(c) ? outputs : losses;
        into.addSmoothed(D_OUTPUTS.getOrDefault(c, c), x, t.column(c), window);
      }
      Long stop = f.outcome != null && f.outcome.failed() ? f.outcome.iteration() : null;
      if (stop != null) {
        losses.mark(stop, "stopped");
        outputs.mark(stop, "stopped");
      }
      out.add(losses.render());
      if (t.columns().contains("d_real")) out.add(outputs.render());
    }
    MetricsTable e = f.epochs;
    if (e != null && e.size() > 0 && e.columns().contains("test_nelbo")) {
      SvgChart c = new SvgChart("chart-elbo", "−ELBO per epoch (nats/image)", "epoch", "nats");
      double[] x = e.column("epoch");
      for (String col : List.of("test_nelbo", "test_recon", "test_kl", "train_nelbo")) {
        if (e.columns().contains(col)) c.add(col, x, e.column(col));
      }
      out.add(c.render());
    }
    MetricsTable v = f.evaluations;
    if (v != null && v.size() > 0 && v.columns().contains("frechet")) {
      SvgChart c =
          new SvgChart(
              "chart-frechet", "Fréchet distance per evaluation", "epoch", "FD (lower is better)");
      c.add("FD", v.column("epoch"), v.column("frechet"));
      if (v.columns().contains("floor_frechet")) {
        c.add("real floor", v.column("epoch"), v.column("floor_frechet"));
      }
      if (f.best != null && f.best.has("epoch")) c.mark(f.best.get("epoch").asDouble(), "★ best");
      out.add(c.render());
    }
    return out;
  }

  /** A column a step reports, not one of the loop's counters. */
  static boolean isMetric(String column) {
    return !List.of("epoch", "iteration", "images", "seconds", "beta").contains(column);
  }

  /** As {@code losses.png}: a moving average over a twentieth of an epoch. */
  static int smoothing(RunFacts f) {
    int epochs = Math.max(1, f.epochsDone());
    long perEpoch = f.iterationsDone() / epochs;
    return (int) Math.max(1, perEpoch / 20);
  }
}
