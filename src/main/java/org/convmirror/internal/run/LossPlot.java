package org.convmirror.internal.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws chosen columns of a {@link MetricsTable} as line charts against iteration ({@code
 * losses.png}), optionally with a moving average over the noisy per-batch values.
 *
 * <p>Use: {@code LossPlot.of(table).series("d_loss", "g_loss").optSmoothing(50).write(png)}.
 */
public final class LossPlot {
  private static final int MAX_POINTS = 2000; // more than a 1000-px chart can show
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
    new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)
  };

  private final MetricsTable table;
  private String x = "iteration";
  private List<String> series = List.of();
  private int smoothing = 1;
  private String title = "Training losses";
  private String xLabel = "iteration";
  private String yLabel = "loss";
  private int width = 900;
  private int height = 500;

  private LossPlot(MetricsTable table) {
    this.table = table;
  }

  public static LossPlot of(MetricsTable table) {
    return new LossPlot(table);
  }

  /** Columns to draw, one line each (required). */
  public LossPlot series(String... columns) {
    for (String c : columns) {
      table.column(c); // fail now, naming the column, rather than at render time
    }
    this.series = List.of(columns);
    return this;
  }

  /** Column for the x axis; default {@code iteration}. */
  public LossPlot optX(String column) {
    table.column(column);
    this.x = column;
    this.xLabel = column;
    return this;
  }

  /**
   * Trailing moving average over {@code window} rows; raw values stay visible, faded, behind the
   * average. 1 (default) draws raw values only.
   */
  public LossPlot optSmoothing(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("smoothing window must be ≥ 1, was " + window);
    }
    this.smoothing = window;
    return this;
  }

  public LossPlot optTitle(String title) {
    this.title = title;
    return this;
  }

  public LossPlot optAxisLabels(String xLabel, String yLabel) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    return this;
  }

  public LossPlot optSize(int width, int height) {
    if (width < 50 || height < 50) {
      throw new IllegalArgumentException("plot size must be ≥ 50×50, was " + width + "×" + height);
    }
    this.width = width;
    this.height = height;
    return this;
  }

  /** Builds the chart (headless-safe: nothing here needs a display). */
  public JFreeChart chart() {
    if (series.isEmpty()) {
      throw new IllegalStateException("choose at least one column with series(...)");
    }
    double[] xs = table.column(x);
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    int index = 0;
    for (int s = 0; s < series.size(); s++) {
      String name = series.get(s);
      double[] ys = table.column(name);
      Color color = PALETTE[s % PALETTE.length];
      if (smoothing > 1) {
        data.addSeries(xySeries(name + " (raw)", xs, ys));
        renderer.setSeriesPaint(index, new Color(color.getRGB() & 0xFFFFFF | 0x40 << 24, true));
        renderer.setSeriesVisibleInLegend(index++, false);
        ys = movingAverage(ys, smoothing);
        name = name + " (avg " + smoothing + ")";
      }
      data.addSeries(xySeries(name, xs, ys));
      renderer.setSeriesPaint(index, color);
      renderer.setSeriesStroke(index++, new BasicStroke(1.5f));
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  public BufferedImage render() {
    return chart().createBufferedImage(width, height);
  }

  /** Renders and atomically writes the chart as a PNG. */
  public void write(Path png) throws IOException {
    JFreeChart chart = chart();
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
  }

  /** Mean of the last {@code window} values at each row (fewer at the start); NaNs skipped. */
  static double[] movingAverage(double[] ys, int window) {
    double[] out = new double[ys.length];
    double sum = 0;
    int count = 0;
    for (int i = 0; i < ys.length; i++) {
      if (!Double.isNaN(ys[i])) {
        sum += ys[i];
        count++;
      }
      if (i >= window && !Double.isNaN(ys[i - window])) {
        sum -= ys[i - window];
        count--;
      }
      out[i] = count > 0 ? sum / count : Double.NaN;
    }
    return out;
  }

  private static XYSeries xySeries(String name, double[] xs, double[] ys) {
    // autoSort off: rows are already in x order; duplicates allowed for resumed runs.
    XYSeries s = new XYSeries(name, false, true);
    int step = Math.max(1, (xs.length + MAX_POINTS - 1) / MAX_POINTS);
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < xs.length; i += step) {
      keep.add(i);
    }
    if (xs.length > 0 && keep.get(keep.size() - 1) != xs.length - 1) {
      keep.add(xs.length - 1); // always show the latest value
    }
    for (int i : keep) {
      s.add(xs[i], ys[i], false);
    }
    return s;
  }
}
