package org.convmirror.internal.report;

import java.nio.file.Path;
import java.util.Map;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RunLayout;

/** The tables of a run's page: per-epoch numbers, evaluations, configuration, checkpoints. */
final class Tables {
  private Tables() {}

  /** {@code epochs.csv}: the epoch's mean of every step metric and the objective's numbers. */
  static String epochs(MetricsTable t) {
    StringBuilder s = new StringBuilder("<table class=\"numbers\" id=\"epochs\"><thead><tr>");
    for (String c : t.columns()) s.append("<th>").append(Html.esc(heading(c))).append("</th>");
    s.append("</tr></thead><tbody>\n");
    for (double[] row : t.rows()) {
      s.append("<tr>");
      for (double v : row) s.append("<td>").append(Html.num(v)).append("</td>");
      s.append("</tr>\n");
    }
    return s.append("</tbody></table>\n").toString();
  }

  private static String heading(String column) {
    return Curves.D_OUTPUTS.getOrDefault(column, column);
  }

  /**
   * {@code evaluation.csv}: the scores of every evaluation beside the real-data floor, the row of
   * {@code checkpoints/best} marked (or, with no best kept, none).
   */
  static String evaluations(MetricsTable t, Integer bestEpoch) {
    StringBuilder s = new StringBuilder("<table class=\"numbers\" id=\"metrics\"><thead><tr>");
    s.append("<th>epoch</th>");
    for (Scores.Column c : Scores.COLUMNS) {
      if (t.columns().contains(c.column())) s.append("<th>").append(c.heading()).append("</th>");
    }
    s.append("<th>images</th><th></th></tr></thead><tbody>\n");
    double[] epochs = t.column("epoch");
    for (int r = 0; r < t.size(); r++) {
      int epoch = (int) epochs[r];
      // The last row of the best epoch: an epoch evaluated again later keeps only one mark.
      boolean best = bestEpoch != null && epoch == bestEpoch && lastRowOf(epochs, r);
      s.append(best ? "<tr class=\"best\">" : "<tr>").append("<td>").append(epoch).append("</td>");
      for (Scores.Column c : Scores.COLUMNS) {
        if (!t.columns().contains(c.column())) continue;
        double v = t.rows().get(r)[t.columns().indexOf(c.column())];
        s.append("<td>").append(Scores.format(v));
        String floor = "floor_" + c.column();
        if (t.columns().contains(floor)) {
          s.append("<span class=\"floor\"> (floor ")
              .append(Scores.format(t.rows().get(r)[t.columns().indexOf(floor)]))
              .append(")</span>");
        }
        s.append("</td>");
      }
      s.append("<td>")
          .append(
              t.columns().contains("generated_count")
                  ? Html.num(value(t, r, "generated_count"))
                  : "")
          .append("</td><td>")
          .append(best ? "★ " + RunLayout.BEST_CHECKPOINT : "")
          .append("</td></tr>\n");
    }
    return s.append("</tbody></table>\n").toString();
  }

  private static boolean lastRowOf(double[] epochs, int r) {
    for (int k = r + 1; k < epochs.length; k++) if (epochs[k] == epochs[r]) return false;
    return true;
  }

  private static double value(MetricsTable t, int row, String column) {
    return t.rows().get(row)[t.columns().indexOf(column)];
  }

  /** Path → value lines, the model file's text left out (it has its own place). */
  static String config(Map<String, String> flat) {
    StringBuilder s = new StringBuilder("<table class=\"kv\" id=\"config\"><tbody>\n");
    flat.forEach(
        (k, v) -> {
          if (!k.endsWith(ConfigFlat.MODEL_TEXT)) row(s, k, v);
        });
    return s.append("</tbody></table>\n").toString();
  }

  static String provenance(Provenance p) {
    StringBuilder s = new StringBuilder("<table class=\"kv\" id=\"provenance\"><tbody>\n");
    row(s, "command", String.join(" ", p.commandLine()));
    row(s, "seed", Long.toString(p.seed()));
    row(s, "data", p.dataset());
    row(s, "convmirror", p.convmirrorVersion());
    row(s, "engine", "DJL " + p.djlVersion() + ", " + p.engineName() + " " + p.engineVersion());
    row(s, "Java", p.javaVersion() + " (" + p.javaVendor() + ")");
    row(s, "machine", p.os() + ", " + p.arch() + ", " + p.cpus() + " CPUs");
    row(s, "started", p.timestamp());
    return s.append("</tbody></table>\n").toString();
  }

  /** The checkpoints on disk, LATEST's and the best marked. */
  static String checkpoints(RunFacts f) {
    StringBuilder s = new StringBuilder("<ul class=\"checkpoints\">\n");
    for (Path c : f.checkpoints) {
      s.append("<li><code>").append(Html.esc(f.relative(c))).append("</code>");
      if (c.equals(f.latest)) s.append(" — LATEST");
      s.append("</li>\n");
    }
    if (f.best != null) {
      s.append("<li><code>")
          .append(RunLayout.BEST_CHECKPOINT)
          .append("</code> — the best by ")
          .append(Html.esc(f.best.path("metric").asText("score")))
          .append(" (")
          .append(Scores.format(f.best.path("score").asDouble()))
          .append(", epoch ")
          .append(f.best.path("epoch").asInt())
          .append(")</li>\n");
    }
    return s.append("</ul>\n").toString();
  }

  static void row(StringBuilder s, String key, String value) {
    s.append("<tr><th>").append(Html.esc(key)).append("</th><td>").append(Html.esc(value));
    s.append("</td></tr>\n");
  }
}
