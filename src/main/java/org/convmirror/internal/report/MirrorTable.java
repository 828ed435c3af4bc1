package org.convmirror.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.convmirror.shape.LayerPlan;
import org.convmirror.shape.Plan;
import org.convmirror.shape.PlanTable;

/**
 * Both plans of a model side by side, so that the mirror shows: the declared half top-down (image
 * first), the derived half bottom-up (image first too), each derived layer on the row of the
 * declared layer it undoes. A transposed convolution undoes the convolution whose input has as many
 * values as its output, a dense layer the dense layer, an upsampling the max-pool; what has no
 * counterpart (a reshape, the label's rows, the latent's projection) gets a row of its own.
 */
final class MirrorTable {
  private static final Set<String> LEFT_PAIRED = Set.of("conv", "dense", "max_pool");
  private static final Set<String> RIGHT_PAIRED = Set.of("conv_transpose", "dense", "upsample");

  /** One row of the table: a declared layer, a derived layer, or a pair; -1 where absent. */
  record Row(int left, int right) {}

  private MirrorTable() {}

  /** The rows, in the order they are shown. */
  static List<Row> rows(Plan declared, Plan derived) {
    List<LayerPlan> l = declared.layers();
    List<LayerPlan> r = new ArrayList<>(derived.layers());
    List<Row> rows = new ArrayList<>();
    int j = r.size() - 1; // the derived half, walked from its output back to its input
    for (int i = 0; i < l.size(); i++) {
      long in = size(i == 0 ? declared.input() : l.get(i - 1).output());
      int match = -1;
      if (LEFT_PAIRED.contains(l.get(i).kind())) {
        for (int k = j; k >= 0; k--) {
          LayerPlan c = r.get(k);
          if (RIGHT_PAIRED.contains(c.kind())
              && counterpart(l.get(i).kind()).equals(c.kind())
              && size(c.output()) == in) {
            match = k;
            break;
          }
        }
      }
      if (match < 0) {
        rows.add(new Row(i, -1));
        continue;
      }
      for (; j > match; j--) rows.add(new Row(-1, j));
      rows.add(new Row(i, match));
      j = match - 1;
    }
    for (; j >= 0; j--) rows.add(new Row(-1, j));
    return rows;
  }

  private static String counterpart(String kind) {
    return switch (kind) {
      case "conv" -> "conv_transpose";
      case "max_pool" -> "upsample";
      default -> kind;
    };
  }

  private static long size(int[] shape) {
    long n = 1;
    for (int v : shape) n *= v;
    return n;
  }

  /** The table as HTML. */
  static String html(Plan declared, Plan derived) {
    StringBuilder s = new StringBuilder(4096);
    s.append("<table class=\"mirror\" id=\"plans\">\n<thead><tr>");
    s.append("<th colspan=\"4\" class=\"half\" id=\"plan-").append(Html.esc(declared.name()));
    s.append("\">").append(Html.esc(heading(declared))).append("</th><th></th>");
    s.append("<th colspan=\"4\" class=\"half\" id=\"plan-").append(Html.esc(derived.name()));
    s.append("\">").append(Html.esc(heading(derived))).append(" — read upward ↑</th></tr>\n");
    s.append("<tr><th>#</th><th>layer</th><th>output</th><th>params</th><th></th>");
    s.append("<th>#</th><th>layer</th><th>input</th><th>params</th></tr></thead>\n<tbody>\n");
    String image = PlanTable.shape(declared.input());
    s.append("<tr class=\"ends\"><td></td><td>image</td><td>").append(image);
    s.append("</td><td></td><td class=\"mid\">⇄</td><td></td><td>image</td><td>");
    s.append(PlanTable.shape(derived.output())).append("</td><td></td></tr>\n");
    for (Row row : rows(declared, derived)) {
      boolean pair = row.left >= 0 && row.right >= 0;
      s.append(pair ? "<tr class=\"pair\">" : "<tr>");
      LayerPlan left = row.left < 0 ? null : declared.layers().get(row.left);
      side(s, left, row.left, left == null ? null : left.output());
      s.append("<td class=\"mid\">").append(pair ? "⇄" : "").append("</td>");
      LayerPlan right = row.right < 0 ? null : derived.layers().get(row.right);
      int[] in = row.right <= 0 ? derived.input() : derived.layers().get(row.right - 1).output();
      side(s, right, row.right, in);
      s.append("</tr>\n");
    }
    s.append("<tr class=\"ends\"><td></td><td>")
        .append(declared.layers().isEmpty() ? "" : "out")
        .append("</td><td>")
        .append(PlanTable.shape(declared.output()))
        .append("</td><td></td><td class=\"mid\"></td><td></td><td>latent</td><td>")
        .append(PlanTable.shape(derived.input()))
        .append("</td><td></td></tr>\n");
    return s.append("</tbody></table>\n").toString();
  }

  private static String heading(Plan p) {
    return String.format(
        Locale.ROOT,
        "%s: %s → %s, %,d parameters",
        p.name(),
        PlanTable.shape(p.input()),
        PlanTable.shape(p.output()),
        p.parameters());
  }

  /** A layer's four cells, with {@code shape} (its output, or a derived layer's input). */
  private static void side(StringBuilder s, LayerPlan l, int index, int[] shape) {
    if (l == null) {
      s.append("<td></td><td></td><td></td><td></td>");
      return;
    }
    s.append("<td class=\"n\">").append(index).append("</td><td class=\"layer\"><b>");
    s.append(Html.esc(l.kind())).append("</b> ");
    if (l.inChannels() != null || l.outChannels() != null) {
      s.append(l.inChannels() == null ? "?" : l.inChannels()).append("→");
      s.append(l.outChannels() == null ? "?" : l.outChannels());
    }
    String geometry = geometry(l);
    if (!geometry.isEmpty()) s.append(" <span class=\"k\">").append(geometry).append("</span>");
    String extras = l.extras();
    if (!extras.isEmpty()) s.append("<div class=\"x\">").append(Html.esc(extras)).append("</div>");
    s.append("</td><td class=\"shape\">");
    s.append(PlanTable.shape(shape));
    s.append("</td><td class=\"num\">")
        .append(String.format(Locale.ROOT, "%,d", l.parameters()))
        .append("</td>");
  }

  private static String geometry(LayerPlan l) {
    if (l.kernel() == null) return "";
    StringBuilder g = new StringBuilder("k").append(pair(l.kernel()));
    if (l.stride() != null) g.append(" s").append(pair(l.stride()));
    if (l.padding() != null) g.append(" p").append(pair(l.padding()));
    if (l.outputPadding() != null) g.append(" op").append(pair(l.outputPadding()));
    if (l.dilation() != null && (l.dilation()[0] != 1 || l.dilation()[1] != 1)) {
      g.append(" d").append(pair(l.dilation()));
    }
    return g.toString();
  }

  private static String pair(int[] p) {
    return p[0] == p[1] ? Integer.toString(p[0]) : p[0] + "×" + p[1];
  }
}
