package org.convmirror.internal.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.spec.Conditioning;

/**
 * {@code report.html}: one run at a glance, self-contained (images embedded, no network), readable
 * from {@code file://}. Written atomically after every epoch, when a run stops, and by {@code
 * convmirror report RUN}.
 */
public final class RunReport {
  private RunReport() {}

  /** Writes the report of {@code run} into it and returns its path. */
  public static Path write(RunDirectory run) throws IOException {
    return write(run, (Outcome) null);
  }

  /** Writes the report of {@code run} to {@code out} (it embeds its images: it may go anywhere). */
  public static Path write(RunDirectory run, Path out) throws IOException {
    AtomicFiles.writeString(out, html(RunFacts.read(run, null)));
    return out;
  }

  /** As {@link #write(RunDirectory)}, by the process training the run, which knows its state. */
  static Path write(RunDirectory run, Outcome live) throws IOException {
    return write(run, live, null);
  }

  /** As above, with {@code losses.csv} already read. */
  static Path write(RunDirectory run, Outcome live, MetricsTable losses) throws IOException {
    String html = html(RunFacts.read(run, live, losses));
    AtomicFiles.writeString(run.layout().reportHtml(), html);
    return run.layout().reportHtml();
  }

  static String html(RunFacts f) throws IOException {
    StringBuilder b = new StringBuilder(1 << 16);
    header(b, f);
    stop(b, f);
    if (!f.gridEpochs.isEmpty()) samples(b, f);
    List<String> charts = Curves.of(f);
    if (!charts.isEmpty()) {
      b.append("<section id=\"curves\"><h2>Curves</h2>\n<div class=\"charts\">");
      charts.forEach(c -> b.append(c).append('\n'));
      b.append("</div></section>\n");
    }
    if (f.evaluations != null && f.evaluations.size() > 0) {
      b.append("<section id=\"evaluation\"><h2>Evaluation</h2>\n");
      b.append("<p>Scored in the features of the shipped classifier against the test split,")
          .append(" beside the real-data floor (training vs test images).</p>\n");
      Integer best = f.best != null && f.best.has("epoch") ? f.best.get("epoch").asInt() : null;
      b.append(Tables.evaluations(f.evaluations, best)).append("</section>\n");
    }
    if (f.epochs != null && f.epochs.size() > 0) {
      b.append("<section id=\"per-epoch\"><h2>Per epoch</h2>\n");
      b.append("<p>Means of each epoch's iterations")
          .append(f.isGan() ? "" : ", and the test split's −ELBO in nats per image")
          .append("; seconds of training so far.</p>\n");
      b.append(Tables.epochs(f.epochs)).append("</section>\n");
    }
    if (f.declared != null) {
      b.append("<section id=\"model\"><h2>Model</h2>\n")
          .append(MirrorTable.html(f.declared, f.derived));
      if (f.modelText != null) {
        b.append("<details><summary>model file (")
            .append(Html.esc(f.modelName))
            .append(")</summary><pre>")
            .append(Html.esc(f.modelText))
            .append("</pre></details>\n");
      }
      b.append("</section>\n");
    }
    if (!f.interpolations.isEmpty()) {
      b.append("<section id=\"interpolations\"><h2>Interpolations</h2>\n");
      for (Path p : f.interpolations) {
        b.append("<figure><img class=\"strip\" alt=\"interpolation\" src=\"")
            .append(Html.pngUri(p))
            .append("\"><figcaption>")
            .append(Html.esc(f.relative(p)))
            .append("</figcaption></figure>\n");
      }
      b.append("</section>\n");
    }
    b.append("<section id=\"configuration\"><h2>Configuration and provenance</h2>\n");
    b.append("<div class=\"two\"><div>").append(Tables.config(ConfigFlat.of(f.config)));
    b.append("</div><div>");
    if (f.provenance != null) b.append(Tables.provenance(f.provenance));
    b.append("</div></div></section>\n");
    b.append("<section id=\"checkpoints\"><h2>Checkpoints</h2>\n").append(Tables.checkpoints(f));
    b.append("</section>\n");
    if (!f.problems.isEmpty()) {
      b.append("<section id=\"problems\"><h2>Files that could not be read</h2><ul>");
      f.problems.forEach(p -> b.append("<li>").append(Html.esc(p)).append("</li>"));
      b.append("</ul></section>\n");
    }
    b.append("<footer>written ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" by convmirror; rewritten after every epoch and by <code>convmirror report ")
        .append(Html.esc(f.run.root().toString()))
        .append("</code></footer>\n");
    return Html.page(f.name + " — convmirror", b.toString());
  }

  private static void header(StringBuilder b, RunFacts f) {
    b.append("<header><h1>").append(Html.esc(f.name)).append("</h1>\n<p class=\"facts\">");
    b.append("<span class=\"status ").append(f.status.name().toLowerCase(Locale.ROOT)).append("\"");
    b.append(" id=\"status\">").append(f.status.label).append("</span> ");
    b.append(f.isGan() ? "GAN " : "VAE ").append(Html.esc(f.modelName == null ? "" : f.modelName));
    b.append(
        String.format(
            Locale.ROOT,
            " · epoch %d of %d · %,d iterations",
            f.epochsDone(),
            f.targetEpochs,
            f.iterationsDone()));
    double seconds = last(f.losses, "seconds");
    double images = last(f.losses, "images");
    if (seconds > 0) {
      b.append(
          String.format(
              Locale.ROOT,
              " · %s of training · %.1f images/s",
              duration(seconds),
              images / seconds));
    }
    b.append("</p></header>\n");
  }

  /** Why a run that stopped stopped, and where to go on from. */
  private static void stop(StringBuilder b, RunFacts f) {
    if (f.status == RunFacts.Status.FINISHED) return;
    if (f.status == RunFacts.Status.TRAINING) {
      b.append("<section id=\"stop\" class=\"note\"><p>Training now; this page is rewritten after")
          .append(" every epoch.</p></section>\n");
      return;
    }
    b.append("<section id=\"stop\" class=\"stopped\"><h2>")
        .append(f.status.label)
        .append("</h2>\n");
    if (f.status == RunFacts.Status.KILLED) {
      b.append("<p>The last training process left no end-of-run record: it was killed (or the")
          .append(
              " machine stopped, or the disk filled before it could write one) after iteration ")
          .append(f.iterationsDone())
          .append(".</p>\n");
    } else if (f.outcome != null && f.outcome.message() != null) {
      b.append("<pre class=\"message\" id=\"stop-message\">")
          .append(Html.esc(f.outcome.message()))
          .append("</pre>\n");
    }
    String kept =
        f.status == RunFacts.Status.DIVERGED && f.outcome.checkpoint() != null
            ? f.outcome.checkpoint()
            : f.latest == null ? null : f.relative(f.latest);
    String root = f.run.root().toString();
    if (kept == null) {
      b.append("<p>No checkpoint was committed: train the run again.</p>\n");
    } else if (f.status == RunFacts.Status.DIVERGED) {
      b.append("<p>Kept checkpoint, from before the trouble: <code id=\"stop-checkpoint\">")
          .append(Html.esc(kept))
          .append("</code> — <code>convmirror sample ")
          .append(Html.esc(f.run.root().resolve(kept).toString()))
          .append("</code></p>\n");
    } else {
      b.append("<p>Resume from <code id=\"stop-checkpoint\">")
          .append(Html.esc(kept))
          .append("</code>: <code>convmirror train --resume ")
          .append(Html.esc(root))
          .append("</code></p>\n");
    }
    b.append("</section>\n");
  }

  /** The fixed-noise grid of every epoch, one shown at a time, and a slider through them. */
  private static void samples(StringBuilder b, RunFacts f) throws IOException {
    List<Integer> epochs = f.gridEpochs;
    int last = epochs.size() - 1;
    b.append("<section id=\"samples\"><h2>Samples</h2>\n<p>");
    b.append(
        f.isGan()
            ? "The fixed noise, through the weight-averaged generator"
            : "The fixed noise decoded (prior samples)");
    Conditioning c = f.spec == null ? null : f.spec.conditioning();
    if (c != null) b.append("; one row per class, one latent vector per column");
    b.append(
        ".</p>\n<div class=\"slider\"><label for=\"epoch-slider\">epoch <b id=\"epoch-label\">");
    b.append(epochs.get(last)).append("</b> of ").append(epochs.get(last)).append("</label> ");
    b.append(
        String.format(
            Locale.ROOT,
            "<input type=\"range\" id=\"epoch-slider\" min=\"0\" max=\"%d\" step=\"1\" value=\"%d\"",
            last,
            last));
    b.append(" data-epochs=\"");
    for (int i = 0; i <= last; i++) b.append(i == 0 ? "" : ",").append(epochs.get(i));
    b.append("\"></div>\n<div class=\"grids\">");
    figure(
        b,
        f,
        epochs,
        "grid",
        "samples from fixed latent vectors",
        e -> f.run.layout().sampleFile(e),
        c);
    if (!f.isGan() && Files.isRegularFile(f.run.layout().reconstructionFile(epochs.get(last)))) {
      figure(
          b,
          f,
          epochs,
          "recon",
          "test images above their reconstructions",
          f.run.layout()::reconstructionFile,
          null);
    }
    b.append("</div></section>\n");
  }

  private static void figure(
      StringBuilder b,
      RunFacts f,
      List<Integer> epochs,
      String cls,
      String caption,
      java.util.function.IntFunction<Path> file,
      Conditioning classes)
      throws IOException {
    b.append("<figure class=\"by-epoch ").append(cls).append("\"><div class=\"labelled\">");
    if (classes != null && !classes.isAuto()) {
      b.append("<ol class=\"rows\" start=\"0\">");
      for (int k = 0; k < classes.classes(); k++) {
        b.append("<li>").append(Html.esc(classes.name(k))).append("</li>");
      }
      b.append("</ol>");
    }
    b.append("<div class=\"stack\">");
    for (int i = 0; i < epochs.size(); i++) {
      Path p = file.apply(epochs.get(i));
      if (!Files.isRegularFile(p)) continue;
      b.append("<img class=\"").append(cls).append("\" data-step=\"").append(i);
      b.append("\" data-epoch=\"").append(epochs.get(i)).append("\" alt=\"epoch ");
      b.append(epochs.get(i)).append("\"").append(i == epochs.size() - 1 ? "" : " hidden");
      b.append(" src=\"").append(Html.pngUri(p)).append("\">");
    }
    b.append("</div></div><figcaption>").append(Html.esc(caption)).append("</figcaption></figure>");
  }

  private static double last(MetricsTable t, String column) {
    if (t == null || t.size() == 0 || !t.columns().contains(column)) return 0;
    double[] v = t.column(column);
    return v[v.length - 1];
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) return s + " s";
    if (s < 3600) return String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
    return String.format(Locale.ROOT, "%d h %d min", s / 3600, s % 3600 / 60);
  }
}
