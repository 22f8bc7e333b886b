package dev.tollgate.controlplane;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver, for the console's browser tests here
 * and the runner's end-to-end tests against {@code tollgate serve} (through this module's
 * test-jar). The tests skip, saying why, where neither is installed ({@code .ci/run} installs
 * both).
 */
public final class Browser {
  private static final List<String> BINARIES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final List<String> DRIVERS =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private Browser() {}

  /** Why no browser test can run here, or empty when Chromium and its driver are installed. */
  public static Optional<String> missing() {
    if (binary().isEmpty()) {
      return Optional.of(
          "no Chromium at " + BINARIES + " (apt-get install chromium chromium-driver)");
    }
    if (driver().isEmpty()) {
      return Optional.of("no chromedriver at " + DRIVERS + " (apt-get install chromium-driver)");
    }
    return Optional.empty();
  }

  private static Optional<String> binary() {
    return BINARIES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  private static Optional<String> driver() {
    return DRIVERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  /** A new headless browser with a fresh profile and a window of {@code width × height}. */
  public static ChromeDriver start(int width, int height) {
    Path profile;
    try {
      profile = Files.createTempDirectory("tollgate-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Chromium leaves its profile behind when it quits: remove it when the tests' JVM ends.
    Path leftover = profile;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> dev.tollgate.core.util.FileTrees.deleteQuietly(leftover)));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary().orElseThrow());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driver().orElseThrow()))
            .build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().window().setSize(new Dimension(width, height));
    return chrome;
  }

  /**
   * Saves what {@code chrome} shows as {@code name.png} in {@code target/screenshots}, or in {@code
   * docs/images} with {@code -Dtollgate.screenshots=docs}.
   */
  public static void screenshot(ChromeDriver chrome, String name) throws IOException {
    byte[] png = chrome.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    Path target = Path.of("target", "screenshots");
    if ("docs".equals(System.getProperty("tollgate.screenshots"))) {
      target = Path.of("..", "docs", "images");
    }
    Files.createDirectories(target);
    Files.write(target.resolve(name + ".png"), png);
  }

  /** Waits up to {@code seconds} for the first element found {@code by} to show {@code text}. */
  public static void awaitText(
      ChromeDriver chrome, org.openqa.selenium.By by, String text, int seconds)
      throws InterruptedException {
    String last = "";
    for (int i = 0; i < seconds * 10; i++) {
      List<org.openqa.selenium.WebElement> found = chrome.findElements(by);
      if (!found.isEmpty()) {
        try {
          last = found.get(0).getText();
        } catch (org.openqa.selenium.WebDriverException e) {
          // The page reloaded under us (the promotion page does when a deploy starts and ends).
          last = "";
        }
        if (last.contains(text)) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "'" + text + "' did not appear in " + by + " within " + seconds + " s; it shows: " + last);
  }

  /** The ids of the serious and critical axe-core violations on the page {@code chrome} shows. */
  public static List<String> seriousViolations(ChromeDriver chrome) {
    return new com.deque.html.axecore.selenium.AxeBuilder()
        .analyze(chrome).getViolations().stream()
            .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
            .map(com.deque.html.axecore.results.Rule::getId)
            .toList();
  }
}
