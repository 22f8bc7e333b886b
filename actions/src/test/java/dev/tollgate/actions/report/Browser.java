package dev.tollgate.actions.report;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver, the set-up of the console's browser
 * tests. The tests skip, saying why, where either is missing ({@code .ci/run} installs both).
 */
final class Browser {
  private static final List<String> BINARIES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final List<String> DRIVERS =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  /** A font family the layout is measured in, and the Debian package that has it. */
  private record Font(String family, String debianPackage) {}

  private static final List<Font> MEASURED_FONTS =
      List.of(
          new Font("Liberation Sans", "fonts-liberation"),
          new Font("Noto Color Emoji", "fonts-noto-color-emoji"));

  private Browser() {}

  /** Why no browser test can run here, or empty when Chromium and its driver are installed. */
  static Optional<String> missing() {
    if (binary().isEmpty()) {
      return Optional.of(
          "no Chromium at " + BINARIES + " (apt-get install chromium chromium-driver)");
    }
    if (driver().isEmpty()) {
      return Optional.of("no chromedriver at " + DRIVERS + " (apt-get install chromium-driver)");
    }
    return Optional.empty();
  }

  /**
   * Why the comment's layout cannot be measured here, or empty when the fonts it is measured in are
   * installed: Liberation Sans (Arial's and Helvetica's metrics, which GitHub's font stack names,
   * close to a phone's system font) and Noto Color Emoji. With other fonts the same comment wraps
   * differently (DejaVu Sans alone is about a tenth wider), so the figures would not be comparable.
   */
  static Optional<String> missingFonts() {
    List<String> families;
    try {
      Process fcList =
          new ProcessBuilder("fc-list", ":", "family").redirectErrorStream(true).start();
      families =
          new String(fcList.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .toList();
      fcList.waitFor();
    } catch (IOException e) {
      return Optional.of("no fc-list to look the fonts up with (apt-get install fontconfig)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while looking the fonts up");
    }
    List<Font> absent =
        MEASURED_FONTS.stream()
            .filter(font -> families.stream().noneMatch(f -> f.contains(font.family())))
            .toList();
    if (absent.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "the layout is measured in Liberation Sans and Noto Color Emoji; missing "
            + String.join(", ", absent.stream().map(Font::family).toList())
            + " (apt-get install "
            + String.join(" ", absent.stream().map(Font::debianPackage).toList())
            + ")");
  }

  private static Optional<String> binary() {
    return BINARIES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  private static Optional<String> driver() {
    return DRIVERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  /**
   * A new headless browser with a fresh profile and a viewport of exactly {@code width × height}
   * CSS px (the window's own bars would take some of it), as a phone when narrower than 600 px.
   */
  static ChromeDriver start(int width, int height) {
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
    chrome.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    return chrome;
  }
}
