package org.convmirror.internal.run;

import java.util.List;

/** The rows of a {@link MetricsLog} read back, addressable by column name. */
public record MetricsTable(List<String> columns, List<double[]> rows) {
  public MetricsTable {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** All values of column {@code name}, in row order. */
  public double[] column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column '" + name + "' in " + columns);
    }
    double[] out = new double[rows.size()];
    for (int r = 0; r < out.length; r++) {
      out[r] = rows.get(r)[i];
    }
    return out;
  }

  public int size() {
    return rows.size();
  }
}
