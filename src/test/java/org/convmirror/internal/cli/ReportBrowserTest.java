package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.testing.Chromium;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 22: the report of a finished tiny run and the comparison page of a three-seed group, opened
 * from {@code file://} in headless Chromium with no network to reach.
 */
@Tier.Process
class ReportBrowserTest {
  /** Where the test leaves its screenshot of a report. */
  static final Path SCREENSHOT = Path.of("target", "report.png");

  private static final Pattern MEAN_STD = Pattern.compile("<td class=\"meanstd\">([^<]*)</td>");

  @TempDir Path tmp;

  @Test
  void aFinishedRunsReportShowsPlansGridsCurvesAndMetricsAndFollowsTheSlider() throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--data",
            "synthetic:64",
            "--batch-size",
            "16",
            "--epochs",
            "3",
            "--eval-every",
            "1",
            "--eval-count",
            "32",
            "--runs",
            tmp.toString(),
            "--name",
            "tiny",
            "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    Path run = tmp.resolve("tiny");
    Path html = run.resolve("report.html");
    assertTrue(Files.isRegularFile(html), "training wrote report.html");
    int rows = MetricsLog.read(run.resolve("losses.csv")).size();

    ChromeDriver driver = Chromium.start(tmp.resolve("profile"), true);
    try {
      driver.get(html.toUri().toString());
      assertOffline(driver);
      assertEquals("finished", driver.findElement(By.id("status")).getText());

      WebElement plans = driver.findElement(By.id("plans"));
      assertTrue(plans.getText().contains("discriminator: 1×28×28 → 1×1×1"), plans.getText());
      assertTrue(plans.getText().contains("generator: 100×1×1 → 1×28×28"), plans.getText());
      assertEquals(
          3, plans.findElements(By.cssSelector("tr.pair")).size(), "each conv ⇄ its mirror");

      List<WebElement> grids = driver.findElements(By.cssSelector("img.grid"));
      assertEquals(3, grids.size(), "a grid per epoch");
      for (int i = 0; i < 3; i++) {
        assertEquals(String.valueOf(i + 1), grids.get(i).getAttribute("data-epoch"));
        Long width = (Long) driver.executeScript("return arguments[0].naturalWidth;", grids.get(i));
        assertTrue(width > 0, "epoch " + (i + 1) + "'s grid decodes");
      }
      assertEquals("3", visibleGrid(driver).getAttribute("data-epoch"), "the last epoch first");

      WebElement loss =
          driver.findElement(
              By.cssSelector("#chart-losses path.series:not(.raw)[data-name='d_loss']"));
      assertEquals(String.valueOf(rows), loss.getAttribute("data-points"), "every iteration drawn");
      assertTrue(loss.getAttribute("d").split("L").length > 2, "a line, not a dot");
      assertEquals(1, driver.findElements(By.id("chart-d-outputs")).size());

      List<WebElement> metricRows = driver.findElements(By.cssSelector("#metrics tbody tr"));
      assertEquals(3, metricRows.size(), "an evaluation per epoch");
      List<WebElement> best = driver.findElements(By.cssSelector("#metrics tr.best"));
      assertEquals(1, best.size());
      String bestEpoch =
          Files.readString(run.resolve("checkpoints/best.json"))
              .replaceAll(".*\"epoch\":(\\d+).*", "$1")
              .strip();
      assertEquals(bestEpoch, best.get(0).findElement(By.cssSelector("td")).getText());
      assertTrue(best.get(0).getText().contains("checkpoints/best"), best.get(0).getText());

      WebElement slider = driver.findElement(By.id("epoch-slider"));
      String last = visibleGrid(driver).getAttribute("src");
      slider.sendKeys(Keys.HOME);
      assertEquals("1", visibleGrid(driver).getAttribute("data-epoch"));
      assertEquals("1", driver.findElement(By.id("epoch-label")).getText());
      String first = visibleGrid(driver).getAttribute("src");
      assertNotEquals(last, first, "the slider changed the picture");
      slider.sendKeys(Keys.ARROW_RIGHT);
      assertEquals("2", visibleGrid(driver).getAttribute("data-epoch"));
      assertEquals(1, driver.findElements(By.cssSelector("img.grid:not([hidden])")).size());

      Files.createDirectories(SCREENSHOT.getParent());
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          SCREENSHOT,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      driver.quit();
    }
  }

  @Test
  void theComparisonOfThreeSeedsShowsTheSeedsTablesMeanAndStd() throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--data",
            "synthetic:64",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--runs",
            tmp.toString(),
            "--name",
            "s",
            "--quiet",
            "--seeds",
            "1,2,3",
            "--score-count",
            "16");
    assertEquals(0, r.code(), r.err() + r.out());
    String meanLine =
        r.out().lines().filter(l -> l.startsWith("mean±std")).findFirst().orElseThrow();
    List<String> expected =
        Arrays.asList(meanLine.substring("mean±std".length()).trim().split("\\s+"));
    assertEquals(7, expected.size(), meanLine);
    Path html = tmp.resolve("s-seeds.html");
    Matcher written = MEAN_STD.matcher(Files.readString(html));
    List<String> byTraining = new ArrayList<>();
    while (written.find()) byTraining.add(written.group(1));
    assertEquals(expected, byTraining, "train --seeds wrote the page too");

    PlanCommandTest.Result page =
        PlanCommandTest.run("report", tmp.resolve("s-seeds.csv").toString());
    assertEquals(0, page.code(), page.err());
    assertTrue(page.out().contains("3 runs compared"), page.out());
    PlanCommandTest.Result listed =
        PlanCommandTest.run(
            "report",
            tmp.resolve("s-seed1").toString(),
            tmp.resolve("s-seed2").toString(),
            tmp.resolve("s-seed3").toString(),
            "--out",
            tmp.resolve("listed.html").toString());
    assertEquals(0, listed.code(), listed.err());

    ChromeDriver driver = Chromium.start(tmp.resolve("profile"), true);
    try {
      for (Path p : List.of(html, tmp.resolve("listed.html"))) {
        driver.get(p.toUri().toString());
        assertOffline(driver);
        List<String> shown =
            driver.findElements(By.cssSelector("#metrics td.meanstd")).stream()
                .map(WebElement::getText)
                .toList();
        assertEquals(expected, shown, "the page's mean ± std is train --seeds's");
        List<String> differing =
            driver.findElements(By.cssSelector("#config-diff thead th")).stream()
                .map(WebElement::getText)
                .toList();
        assertEquals(List.of("run", "seed"), differing, "only the seed differs");
        assertEquals(3, driver.findElements(By.cssSelector("#grids img.grid")).size());
        WebElement chart = driver.findElement(By.id("chart-d_loss"));
        assertEquals(3, chart.findElements(By.cssSelector("path.series")).size(), "overlaid");
      }
    } finally {
      driver.quit();
    }
  }

  private static WebElement visibleGrid(ChromeDriver driver) {
    List<WebElement> shown = driver.findElements(By.cssSelector("img.grid:not([hidden])"));
    assertEquals(1, shown.size(), "one grid at a time");
    return shown.get(0);
  }

  /** The page loaded nothing from a host: no links or scripts out, every resource its own. */
  @SuppressWarnings("unchecked")
  private static void assertOffline(ChromeDriver driver) {
    assertEquals(
        0L,
        driver.executeScript(
            "return document.querySelectorAll('link[href], script[src], iframe').length;"));
    List<String> loaded =
        (List<String>)
            driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
    for (String url : loaded) assertTrue(url.startsWith("data:"), "the page fetched " + url);
    List<String> images =
        (List<String>)
            driver.executeScript(
                "return Array.from(document.images).map(i => i.src.slice(0, 15));");
    for (String src : images) assertEquals("data:image/png;", src);
  }
}
