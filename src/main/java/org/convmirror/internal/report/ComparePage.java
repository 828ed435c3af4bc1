package org.convmirror.internal.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.RunDirectory;

/**
 * One page comparing runs: where their configurations differ (and only there), their curves
 * overlaid, their last grids side by side, and the last evaluation of each with mean ± std over
 * each group of runs that differ only in their seed — the numbers of {@code train --seeds}'s table,
 * character for character.
 */
public final class ComparePage {
  /** Configuration paths that tell seeds of one recipe apart, not recipes. */
  private static final List<String> SEED_PATHS = List.of("train.seed", "seed");

  private final List<RunFacts> runs;
  private final List<Map<String, String>> configs = new ArrayList<>();

  private ComparePage(List<RunFacts> runs) {
    this.runs = runs;
    for (RunFacts f : runs) configs.add(ConfigFlat.of(f.config));
  }

  /** Writes the page comparing {@code runs} to {@code out}. */
  public static void write(List<RunDirectory> runs, Path out) throws IOException {
    List<RunFacts> facts = new ArrayList<>();
    for (RunDirectory r : runs) facts.add(RunFacts.read(r, null));
    AtomicFiles.writeString(out, new ComparePage(facts).html());
  }

  String html() throws IOException {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<header><h1>").append(runs.size()).append(" runs compared</h1>\n<p class=\"facts\">");
    for (RunFacts f : runs) {
      b.append("<span class=\"status ")
          .append(f.status.name().toLowerCase(Locale.ROOT))
          .append("\">");
      b.append(Html.esc(f.name)).append("</span> ");
    }
    b.append("</p></header>\n");
    differences(b);
    scores(b);
    b.append("<section id=\"curves\"><h2>Curves</h2>\n<div class=\"charts\">");
    for (String chart : charts()) b.append(chart).append('\n');
    b.append("</div></section>\n");
    grids(b);
    return Html.page(runs.size() + " runs — convmirror", b.toString());
  }

  private void differences(StringBuilder b) {
    List<String> paths = ConfigFlat.differences(configs);
    b.append("<section id=\"differences\"><h2>Configuration: the differences</h2>\n");
    if (paths.isEmpty()) {
      b.append("<p>The runs' configurations are identical.</p></section>\n");
      return;
    }
    b.append("<table class=\"numbers\" id=\"config-diff\"><thead><tr><th>run</th>");
    for (String p : paths) {
      b.append("<th title=\"").append(Html.esc(p)).append("\">");
      b.append(
          Html.esc(p.endsWith(ConfigFlat.MODEL_TEXT) ? "model file" : ConfigFlat.shortName(p)));
      b.append("</th>");
    }
    b.append("</tr></thead><tbody>\n");
    List<String> texts = new ArrayList<>(); // model files, numbered in order of appearance
    for (int i = 0; i < runs.size(); i++) {
      b.append("<tr><th>").append(Html.esc(runs.get(i).name)).append("</th>");
      for (String p : paths) {
        String v = configs.get(i).get(p);
        if (p.endsWith(ConfigFlat.MODEL_TEXT) && v != null) {
          if (!texts.contains(v)) texts.add(v);
          v = "text " + (texts.indexOf(v) + 1);
        }
        b.append("<td>").append(Html.esc(v == null ? "—" : v)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table></section>\n");
  }

  /** Runs whose configurations differ in their seed at most, in order of first appearance. */
  List<List<Integer>> groups() {
    Map<String, List<Integer>> byRecipe = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      Map<String, String> c = new LinkedHashMap<>(configs.get(i));
      SEED_PATHS.forEach(c::remove);
      byRecipe.computeIfAbsent(c.toString(), k -> new ArrayList<>()).add(i);
    }
    return new ArrayList<>(byRecipe.values());
  }

  private void scores(StringBuilder b) {
    b.append("<section id=\"scores\"><h2>Last evaluation of each run</h2>\n");
    b.append("<table class=\"numbers\" id=\"metrics\"><thead><tr><th>run</th><th>epoch</th>");
    for (Scores.Column c : Scores.COLUMNS) b.append("<th>").append(c.heading()).append("</th>");
    b.append("</tr></thead><tbody>\n");
    boolean any = false;
    for (List<Integer> group : groups()) {
      List<double[]> scored = new ArrayList<>();
      for (int i : group) {
        RunFacts f = runs.get(i);
        b.append("<tr><th>").append(Html.esc(f.name)).append("</th>");
        double[] last = last(f.evaluations);
        if (last == null) {
          b.append("<td colspan=\"").append(Scores.COLUMNS.size() + 1);
          b.append("\">not evaluated: <code>convmirror evaluate ");
          b.append(Html.esc(f.run.root().toString())).append("</code></td></tr>\n");
          continue;
        }
        any = true;
        scored.add(last);
        b.append("<td>").append((int) last[0]).append("</td>");
        for (int c = 0; c < Scores.COLUMNS.size(); c++) {
          b.append("<td>").append(Scores.format(last[c + 1])).append("</td>");
        }
        b.append("</tr>\n");
      }
      if (scored.size() < 2) continue;
      b.append("<tr class=\"mean\"><th>mean±std</th><td>")
          .append(scored.size())
          .append(" runs</td>");
      for (int c = 0; c < Scores.COLUMNS.size(); c++) {
        double[] v = new double[scored.size()];
        for (int k = 0; k < v.length; k++) v[k] = scored.get(k)[c + 1];
        b.append("<td class=\"meanstd\">").append(Scores.meanStd(v)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table>\n");
    if (!any) b.append("<p>No run has been evaluated yet.</p>\n");
    b.append("<p>Runs whose configurations differ only in their seed are grouped, with the mean")
        .append(" and sample standard deviation (n − 1) of the group below them.</p></section>\n");
  }

  /** Epoch, then the scores of {@link Scores#COLUMNS} of the last evaluation; null if none. */
  private static double[] last(MetricsTable t) {
    if (t == null || t.size() == 0) return null;
    double[] row = t.rows().get(t.size() - 1);
    double[] out = new double[Scores.COLUMNS.size() + 1];
    out[0] = row[t.columns().indexOf("epoch")];
    for (int c = 0; c < Scores.COLUMNS.size(); c++) {
      int i = t.columns().indexOf(Scores.COLUMNS.get(c).column());
      out[c + 1] = i < 0 ? Double.NaN : row[i];
    }
    return out;
  }

  /** One chart per loss column, every run's moving average on it; FD and −ELBO per epoch. */
  private List<String> charts() {
    Map<String, SvgChart> byColumn = new LinkedHashMap<>();
    for (RunFacts f : runs) {
      MetricsTable t = f.losses;
      if (t == null || t.size() == 0) continue;
      double[] x = t.column("iteration");
      for (String c : t.columns()) {
        if (!Curves.isMetric(c)) continue;
        String label = Curves.D_OUTPUTS.getOrDefault(c, c);
        byColumn
            .computeIfAbsent(
                c, k -> new SvgChart("chart-" + k, label + " per iteration", "iteration", label))
            .add(f.name, x, SvgChart.movingAverage(t.column(c), Curves.smoothing(f)));
      }
    }
    List<String> out = new ArrayList<>();
    perEpoch(out, "evaluation", "frechet", "chart-frechet", "Fréchet distance per evaluation");
    perEpoch(out, "epochs", "test_nelbo", "chart-elbo", "test −ELBO per epoch (nats/image)");
    byColumn.values().forEach(c -> out.add(c.render()));
    return out;
  }

  private void perEpoch(List<String> out, String file, String column, String id, String title) {
    SvgChart chart = new SvgChart(id, title, "epoch", column);
    boolean any = false;
    for (RunFacts f : runs) {
      MetricsTable t = file.equals("evaluation") ? f.evaluations : f.epochs;
      if (t == null || t.size() == 0 || !t.columns().contains(column)) continue;
      chart.add(f.name, t.column("epoch"), t.column(column));
      any = true;
    }
    if (any) out.add(chart.render());
  }

  private void grids(StringBuilder b) throws IOException {
    b.append("<section id=\"grids\"><h2>Last samples</h2>\n<div class=\"compare-grids\">");
    for (RunFacts f : runs) {
      if (f.gridEpochs.isEmpty()) continue;
      int epoch = f.gridEpochs.get(f.gridEpochs.size() - 1);
      b.append("<figure><img class=\"grid\" alt=\"").append(Html.esc(f.name)).append("\" src=\"");
      b.append(Html.pngUri(f.run.layout().sampleFile(epoch))).append("\"><figcaption>");
      b.append(Html.esc(f.name)).append(", epoch ").append(epoch).append("</figcaption></figure>");
    }
    b.append("</div></section>\n");
  }
}
