package org.convmirror.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a plan as a fixed-width table: the shape comments of pytorch/examples' dcgan, generated,
 * one row per layer.
 */
public final class PlanTable {
  private static final String[] HEAD = {
    "#", "layer", "in→out", "kernel", "stride", "pad", "out_pad", "dil", "output", "params", "MACs",
    ""
  };

  private PlanTable() {}

  public static String render(Plan plan) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    int i = 0;
    for (LayerPlan l : plan.layers()) {
      rows.add(
          new String[] {
            Integer.toString(i++),
            l.kind(),
            channels(l),
            pair(l.kernel()),
            pair(l.stride()),
            pair(l.padding()),
            pair(l.outputPadding()),
            pair(l.dilation()),
            shape(l.output()),
            l.parameters() == 0 ? "" : group(l.parameters()),
            l.macs() == 0 ? "" : group(l.macs()),
            l.extras()
          });
    }
    int[] width = new int[HEAD.length];
    for (String[] r : rows)
      for (int c = 0; c < r.length; c++) width[c] = Math.max(width[c], r[c].length());
    StringBuilder sb = new StringBuilder();
    Plan.Label label = plan.label();
    String perClass =
        label == null || label.classes() > 0 || label.parametersPerClass() == 0
            ? ""
            : " + " + group(label.parametersPerClass()) + " per class";
    sb.append(
        String.format(
            Locale.ROOT,
            "%s: %s%s → %s, %s parameters%s, %s MACs per image%n",
            plan.name(),
            shape(plan.input()),
            label == null
                ? ""
                : " + label ("
                    + (label.classes() > 0 ? label.classes() + " classes" : "classes: auto")
                    + ")",
            shape(plan.output()),
            group(plan.parameters()),
            perClass,
            human(plan.macs())));
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int c = 0; c < r.length; c++) {
        boolean right = c == 0 || c == 9 || c == 10;
        String cell =
            right
                ? " ".repeat(width[c] - r[c].length()) + r[c]
                : r[c] + " ".repeat(width[c] - r[c].length());
        line.append(cell).append(c + 1 < r.length ? "  " : "");
      }
      sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return sb.toString();
  }

  /** {@code 64→128}; {@code →50} for a label embedding whose class count waits for the data. */
  private static String channels(LayerPlan l) {
    if (l.inChannels() == null) return l.outChannels() == null ? "" : "?→" + l.outChannels();
    return l.inChannels() + "→" + l.outChannels();
  }

  /** {@code 4} for a square pair, {@code 3x5} otherwise, blank when absent. */
  static String pair(int[] p) {
    if (p == null) return "";
    return p[0] == p[1] ? Integer.toString(p[0]) : p[0] + "x" + p[1];
  }

  /** {@code 64×14×14}. */
  public static String shape(int[] s) {
    StringBuilder b = new StringBuilder();
    for (int v : s) b.append(b.length() == 0 ? "" : "×").append(v);
    return b.toString();
  }

  static String group(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  static String human(long v) {
    if (v >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2f G", v / 1e9);
    if (v >= 1_000_000L) return String.format(Locale.ROOT, "%.2f M", v / 1e6);
    if (v >= 1_000L) return String.format(Locale.ROOT, "%.1f k", v / 1e3);
    return Long.toString(v);
  }
}
