package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class LossPlotTest {
  @TempDir Path dir;

  @Test
  void writesPngOfRequestedSizeFromCsv() throws IOException {
    Path csv = dir.resolve("losses.csv");
    try (MetricsLog log = MetricsLog.create(csv, List.of("iteration", "d_loss", "g_loss"))) {
      for (int i = 1; i <= 5000; i++) {
        log.append(i, 0.7 + 0.1 * Math.sin(i), 2 + Math.cos(i / 10.0));
      }
    }
    Path png = dir.resolve("losses.png");
    LossPlot.of(MetricsLog.read(csv))
        .series("d_loss", "g_loss")
        .optSmoothing(50)
        .optTitle("run x")
        .optSize(640, 360)
        .write(png);
    byte[] bytes = Files.readAllBytes(png);
    assertEquals((byte) 0x89, bytes[0]);
    assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(640, img.getWidth());
    assertEquals(360, img.getHeight());
  }

  @Test
  void emptyTableStillRenders() {
    MetricsTable empty = new MetricsTable(List.of("iteration", "loss"), new ArrayList<>());
    BufferedImage img = LossPlot.of(empty).series("loss").render();
    assertEquals(900, img.getWidth());
  }

  @Test
  void unknownColumnIsNamed() {
    MetricsTable t = new MetricsTable(List.of("iteration", "loss"), List.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LossPlot.of(t).series("g_loss"));
    assertEquals("no column 'g_loss' in [iteration, loss]", e.getMessage());
  }

  @Test
  void movingAverageIsTrailingAndSkipsNaN() {
    assertArrayEquals(
        new double[] {1, 1.5, 2.5, 3.5, 4},
        LossPlot.movingAverage(new double[] {1, 2, 3, 4, Double.NaN}, 2));
  }
}
