package org.convmirror.internal.train;

import java.util.Arrays;
import java.util.List;

/**
 * One step's numbers with their names: the values an {@link Objective#step} returned, in the order
 * of its {@link Objective#metrics()}, read by column name so that no rule depends on that order.
 *
 * @param columns the objective's metrics
 * @param values their values, one per metric
 */
public record Metrics(List<Objective.Metric> columns, double[] values) {

  public Metrics {
    if (columns.size() != values.length) {
      throw new IllegalArgumentException(
          columns.size() + " metrics but " + values.length + " values: " + Arrays.toString(values));
    }
  }

  /** The value of metric {@code column}, e.g. {@code d_loss}. */
  public double get(String column) {
    return values[index(columns, column)];
  }

  /** Sets metric {@code column} in {@code values}, the values of {@code columns}. */
  public static void put(
      List<Objective.Metric> columns, double[] values, String column, double value) {
    values[index(columns, column)] = value;
  }

  private static int index(List<Objective.Metric> columns, String column) {
    for (int i = 0; i < columns.size(); i++) if (columns.get(i).column().equals(column)) return i;
    throw new IllegalArgumentException("no metric " + column + " among " + columns);
  }
}
