package org.convmirror.internal.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium (chromium, chromium-driver) driven by Selenium, for page tests. */
public final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /**
   * A fresh headless browser with its profile in {@code profile}. With {@code offline}, every
   * request to a host goes to a proxy on a closed port and fails: only the page's own bytes load.
   */
  public static ChromeDriver start(Path profile, boolean offline) {
    assertTrue(
        Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
        "Debian's chromium and chromium-driver are required (apt-get install chromium"
            + " chromium-driver; tools/test does this)");
    Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    if (offline) {
      options.addArguments(
          "--proxy-server=http://127.0.0.1:9",
          "--proxy-bypass-list=<-loopback>",
          "--allow-file-access-from-files");
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER.toString()))
            .build();
    return new ChromeDriver(service, options);
  }
}
