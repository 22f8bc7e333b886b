package dev.tollgate.core.testing;

import dev.tollgate.core.util.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver: how every module's browser tests
 * start one (through this module's test-jar). Those tests skip, saying why, where either is missing
 * ({@code .ci/run} installs both): a class marked {@code @ExtendWith(Chromium.Required.class)} is
 * reported as skipped, with the reason, before anything of it runs.
 */
public final class Chromium {
  private static final List<String> BINARIES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final List<String> DRIVERS =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private Chromium() {}

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

  /**
   * Skips a test class, or a test, where {@link #missing} says why no browser test can run: the
   * build's summary then counts it as skipped, with the reason in its report, where an assumption
   * in a {@code @BeforeAll} left the class out of the count altogether.
   */
  public static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return missing()
          .map(why -> ConditionEvaluationResult.disabled("browser tests skipped: " + why))
          .orElseGet(() -> ConditionEvaluationResult.enabled("Chromium and its driver are here"));
    }
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(profile)));
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
}
