package dev.tollgate.controlplane;

import dev.tollgate.core.testing.Chromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the console's browser tests here and the runner's end-to-end tests against {@code tollgate
 * serve} (through this module's test-jar) do with a headless Chromium ({@link Chromium}): start
 * one, save screenshots, wait for text, run axe-core. The tests skip, saying why, where Chromium or
 * its driver is missing ({@code .ci/run} installs both), through {@link Chromium.Required} on their
 * classes.
 */
public final class Browser {
  private Browser() {}

  /** A new headless browser with a fresh profile and a window of {@code width × height}. */
  public static ChromeDriver start(int width, int height) {
    return Chromium.start(width, height);
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
