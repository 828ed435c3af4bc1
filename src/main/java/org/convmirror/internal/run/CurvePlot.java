package org.convmirror.internal.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Several named curves on their own x grids in one chart, e.g. each run's Fréchet distance per
 * epoch; a line with a marker per point, since such curves have few points.
 */
public final class CurvePlot {
  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<XYSeries> curves = new ArrayList<>();

  private CurvePlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  public static CurvePlot of(String title, String xLabel, String yLabel) {
    return new CurvePlot(title, xLabel, yLabel);
  }

  /** Adds curve {@code name} through the points (x[i], y[i]). */
  public CurvePlot add(String name, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(name + ": " + x.length + " x values, " + y.length + " y");
    }
    XYSeries s = new XYSeries(name, false, true);
    for (int i = 0; i < x.length; i++) s.add(x[i], y[i]);
    curves.add(s);
    return this;
  }

  /** Builds the chart (headless-safe). */
  public JFreeChart chart() {
    XYSeriesCollection data = new XYSeriesCollection();
    curves.forEach(data::addSeries);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < curves.size(); i++) renderer.setSeriesStroke(i, new BasicStroke(1.5f));
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Renders and atomically writes the chart as a PNG. */
  public void write(Path png, int width, int height) throws IOException {
    var image = chart().createBufferedImage(width, height);
    AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
  }
}
