package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Chromium;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web export in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium):
 * the canvas shows the generator's image for a given latent vector, within 1/255 of convmirror's,
 * and moving a slider changes it to the image of the moved vector.
 */
@Tier.Process
class WebExportTest {
  /** Where the test leaves its screenshot of the page. */
  static final Path SCREENSHOT = Path.of("target", "web-export.png");

  @Test
  void pageShowsTheGeneratorsImagesAndFollowsASlider(@TempDir Path tmp) throws Exception {
    ModelSpec spec = ModelFiles.builtIn("dcgan28");
    try (Fixtures f = new Fixtures()) {
      Fixtures.Built b = f.build(Network.GENERATOR, spec, 5);
      String version = WebExport.write(b.net(), tmp);
      assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
      float[] z = new float[spec.latent()];
      Random r = new Random(3);
      for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
      try (WebServer server = WebServer.start(tmp, 0)) {
        ChromeDriver driver = chromium(tmp.resolve("profile"));
        try {
          driver.get(server.url());
          awaitReady(driver);
          List<Long> shown = setLatent(driver, z);
          assertWithinOneLevel(b.reference().apply(z, 1)[0], shown, "the given latent");

          WebElement slider = driver.findElement(By.cssSelector("#sliders input[data-index='0']"));
          long renders = (Long) driver.executeScript("return convmirror.renders();");
          slider.sendKeys(Keys.END); // a user's key press: z0 jumps to the slider's maximum
          new WebDriverWait(driver, Duration.ofSeconds(30))
              .until(
                  d ->
                      (Boolean)
                          ((JavascriptExecutor) d)
                              .executeScript(
                                  "return convmirror.renders() > arguments[0] && convmirror.idle();",
                                  renders));
          @SuppressWarnings("unchecked")
          List<Long> moved = (List<Long>) driver.executeScript("return convmirror.pixels();");
          assertNotEquals(shown, moved, "moving slider z0 did not change the image");
          z[0] = 3;
          assertWithinOneLevel(b.reference().apply(z, 1)[0], moved, "z0 moved to 3");
          assertEquals(
              8L,
              (Long)
                  driver.executeScript("return document.querySelectorAll('#strip canvas').length;"),
              "the interpolation strip");
          Files.createDirectories(SCREENSHOT.getParent());
          Files.copy(
              driver.getScreenshotAs(OutputType.FILE).toPath(),
              SCREENSHOT,
              StandardCopyOption.REPLACE_EXISTING);
        } finally {
          driver.quit();
        }
      }
    }
  }

  /** Debian's headless Chromium with a fresh profile and nothing reaching for the network. */
  static ChromeDriver chromium(Path profile) {
    return Chromium.start(profile, false);
  }

  /** Waits until the page has loaded its model and drawn, or fails with what it reported. */
  public static void awaitReady(ChromeDriver driver) {
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d ->
                (Boolean)
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "return !!(window.convmirror && (convmirror.ready || convmirror.error));"));
    Object error = driver.executeScript("return convmirror.error || null;");
    assertEquals(null, error, "the page reported an error");
  }

  /** Sets the page's latent vector and returns the canvas's RGBA bytes once it is drawn. */
  @SuppressWarnings("unchecked")
  public static List<Long> setLatent(ChromeDriver driver, float[] z) {
    List<Double> v = new ArrayList<>();
    for (float x : z) v.add((double) x);
    return (List<Long>)
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "convmirror.setLatent(arguments[0]).then(() => done(convmirror.pixels()));",
            v);
  }

  /** Grey canvas pixels (RGBA, R = G = B) against pixels in [0, 1]: within one level of 255. */
  public static void assertWithinOneLevel(float[] expected, List<Long> rgba, String what) {
    assertEquals(expected.length * 4, rgba.size(), what + ": canvas size");
    double worst = 0;
    for (int p = 0; p < expected.length; p++) {
      for (int c = 0; c < 3; c++) {
        worst = Math.max(worst, Math.abs(rgba.get(4 * p + c) / 255.0 - expected[p]));
      }
      assertEquals(255L, rgba.get(4 * p + 3));
    }
    assertTrue(worst <= 1 / 255.0 + 1e-9, what + ": canvas differs by " + worst * 255 + "/255");
  }
}
