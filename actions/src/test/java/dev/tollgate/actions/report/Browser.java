package dev.tollgate.actions.report;

import dev.tollgate.core.testing.Chromium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A headless Chromium ({@link Chromium}) set up to measure the comment's layout: a viewport of
 * exact size, and the fonts it is measured in. The tests skip, saying why, where Chromium, its
 * driver or a font is missing ({@code .ci/run} installs them).
 */
final class Browser {
  /** A font family the layout is measured in, and the Debian package that has it. */
  private record Font(String family, String debianPackage) {}

  private static final List<Font> MEASURED_FONTS =
      List.of(
          new Font("Liberation Sans", "fonts-liberation"),
          new Font("Noto Color Emoji", "fonts-noto-color-emoji"));

  private Browser() {}

  /**
   * Skips a test class, or a test, where {@link #missingFonts} says why the layout cannot be
   * measured: the build's summary counts it as skipped, with the reason in its report.
   */
  static final class MeasuredFonts implements ExecutionCondition {
    /** Looked up once per test JVM: the fonts do not come and go while the tests run. */
    private static final Optional<String> MISSING = missingFonts();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return MISSING
          .map(why -> ConditionEvaluationResult.disabled("comment layout tests skipped: " + why))
          .orElseGet(() -> ConditionEvaluationResult.enabled("the measured fonts are here"));
    }
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

  /**
   * A new headless browser with a fresh profile and a viewport of exactly {@code width × height}
   * CSS px (the window's own bars would take some of it), as a phone when narrower than 600 px.
   */
  static ChromeDriver start(int width, int height) {
    ChromeDriver chrome = Chromium.start(width, height);
    chrome.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    return chrome;
  }
}
