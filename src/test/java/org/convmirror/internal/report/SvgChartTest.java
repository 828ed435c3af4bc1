package org.convmirror.internal.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** The chart's numbers: ticks, the moving average, thinning that keeps spikes, the log switch. */
@Tier.Pure
class SvgChartTest {

  @Test
  void ticksAreRoundAndCoverTheData() {
    Scale s = new Scale(0.13, 2.87, 300, 0, false);
    assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0), s.ticks());
    assertEquals(300, s.px(0), 1e-9);
    assertEquals(0, s.px(3), 1e-9);
    assertEquals("0.5", s.label(0.5));
    assertEquals(List.of(1.0, 2.0, 3.0), new Scale(1, 3, 0, 100, false, true).ticks(), "epochs");
    assertEquals(2, Scale.niceStep(1.7));
    assertEquals(0.05, Scale.niceStep(0.04), 1e-12);
  }

  @Test
  void movingAverageIsTheMeanOfTheFiniteValuesOfTheWindow() {
    double[] y = {1, 3, 5, Double.NaN, 9, 11};
    assertArrayEquals(
        new double[] {1, 2, 4, Double.NaN, 9, 10}, SvgChart.movingAverage(y, 2), 1e-12);
  }

  @Test
  void aLongSeriesIsThinnedButKeepsItsSpike() {
    int n = 100_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = Math.sin(i / 1000.0);
    }
    y[54_321] = 50; // one spike
    String svg = new SvgChart("c", "t", "iteration", "loss").add("d_loss", x, y).render();
    Matcher d =
        Pattern.compile("data-points=\"(\\d+)\" stroke=\"[^\"]+\" d=\"([^\"]+)\"").matcher(svg);
    assertTrue(d.find(), svg);
    assertEquals(String.valueOf(n), d.group(1));
    String[] points = d.group(2).split("[ML]");
    assertTrue(points.length <= 2 * 600 + 1, "thinned to " + points.length);
    double top = Double.MAX_VALUE;
    for (String p : points)
      if (!p.isBlank()) top = Math.min(top, Double.parseDouble(p.trim().split(" ")[1]));
    assertEquals(28.0, top, 0.5, "the spike reaches the top of the plot");
  }

  @Test
  void aBlowUpSwitchesToASymmetricLogAxis() {
    double[] x = new double[40];
    double[] y = new double[40];
    for (int i = 0; i < 40; i++) {
      x[i] = i;
      y[i] = i < 30 ? 1 + 0.01 * i : 1e20;
    }
    String svg = new SvgChart("c", "t", "iteration", "loss").add("d", x, y).render();
    assertTrue(svg.contains(">1e20<"), "powers of ten on the y axis");
    String plain =
        new SvgChart("c", "t", "iteration", "loss")
            .add("d", java.util.Arrays.copyOf(x, 30), java.util.Arrays.copyOf(y, 30))
            .render();
    assertTrue(!plain.contains("e20"), "an ordinary range stays linear");
  }

  @Test
  void textIsEscaped() {
    String svg =
        new SvgChart("c", "<b>", "x", "y").add("a&b", new double[] {1}, new double[] {2}).render();
    assertTrue(svg.contains("&lt;b&gt;") && svg.contains("a&amp;b") && !svg.contains("<b>"));
  }
}
