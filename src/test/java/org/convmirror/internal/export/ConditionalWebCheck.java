package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.testing.Chromium;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page of a conditional model in headless Chromium: the class in the URL, the class picker
 * and the "every class" rows each show convmirror's pixels for the same latent vector and class
 * within 1/255, and an unknown class in the URL is one line naming the classes.
 */
public final class ConditionalWebCheck {
  private ConditionalWebCheck() {}

  /**
   * Exports {@code run}'s page into {@code dir} and checks it.
   *
   * @param sampled {@code sample --class cls}'s pixels for the latent vectors {@code z}
   * @param cls the class index the sample was drawn as
   */
  public static void check(
      Path run, Path dir, float[] sampled, float[] z, int latent, int cls, int imageSize)
      throws Exception {
    Exporter.export(new Exporter.Request(run, "web", null, false, dir), System.err);
    float[] z0 = Arrays.copyOf(z, latent);
    try (WebServer server = WebServer.start(dir, 0);
        LoadedModel model = SavedModel.open(run).forSampling(false, System.err)) {
      ChromeDriver driver = Chromium.start(dir.resolve("profile"), false);
      try {
        driver.get(server.url() + "?class=" + cls);
        WebExportTest.awaitReady(driver);
        assertEquals((long) cls, driver.executeScript("return convmirror.label();"));
        List<Long> shown = WebExportTest.setLatent(driver, z0);
        WebExportTest.assertWithinOneLevel(
            Arrays.copyOf(sampled, imageSize), shown, "class " + cls + " from the URL");

        // The picker: another class redraws the image and the strip.
        int other = (cls + 1) % model.conditioning().classes();
        new Select(driver.findElement(By.id("class"))).selectByValue(Integer.toString(other));
        awaitShown(driver, other);
        @SuppressWarnings("unchecked")
        List<Long> picked = (List<Long>) driver.executeScript("return convmirror.pixels();");
        WebExportTest.assertWithinOneLevel(
            model.decode(z0, new int[] {other}, 1), picked, "class " + other + " picked");

        // Every class: one row per class, frame k of row y is strip frame k drawn as class y.
        int classes = model.conditioning().classes();
        assertEquals(
            (long) classes,
            driver.executeScript("return document.querySelectorAll('#every-rows .row').length;"));
        @SuppressWarnings("unchecked")
        List<List<Double>> strip =
            (List<List<Double>>) driver.executeScript("return convmirror.strip();");
        int k = strip.size() - 1;
        float[] frame = new float[latent];
        for (int i = 0; i < latent; i++) frame[i] = strip.get(k).get(i).floatValue();
        for (int y = 0; y < classes; y++) {
          @SuppressWarnings("unchecked")
          List<Long> cell =
              (List<Long>)
                  driver.executeScript(
                      "return convmirror.everyPixels(arguments[0], arguments[1]);", y, k);
          WebExportTest.assertWithinOneLevel(
              model.decode(frame, new int[] {y}, 1), cell, "every class, row " + y);
        }

        // A class the model does not have, in the URL: one line naming the classes.
        driver.get(server.url() + "?class=owl");
        new WebDriverWait(driver, Duration.ofSeconds(60))
            .until(
                d ->
                    (Boolean)
                        ((JavascriptExecutor) d)
                            .executeScript("return !!(window.convmirror && convmirror.error);"));
        String error = (String) driver.executeScript("return convmirror.error;");
        assertTrue(
            error.startsWith("class 'owl' in the URL: no such class; the classes are 0 "), error);
        assertEquals(error, driver.findElement(By.id("status")).getText());
      } finally {
        driver.quit();
      }
    }
  }

  private static void awaitShown(ChromeDriver driver, int label) {
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d ->
                (Boolean)
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "return convmirror.shown() === arguments[0] && convmirror.idle();",
                            label));
  }
}
