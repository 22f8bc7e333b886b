package dev.tollgate.actions.report;

import static dev.tollgate.actions.report.SampleReports.OPTIONS;

import dev.tollgate.core.report.Report;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format's output for the hand-made reports, compared byte for byte with {@code
 * src/test/resources/golden/}. Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {

  static Stream<Arguments> cases() {
    RenderOptions strict = OPTIONS.toBuilder().strict(true).maxFindings(50).build();
    RenderOptions capped = OPTIONS.toBuilder().strict(false).maxFindings(3).build();
    Report sample = SampleReports.sample();
    Report warnings = SampleReports.warningsOnly();
    Report clean = SampleReports.clean();
    return Stream.of(
        Arguments.of("sample.txt", ReportFormat.TEXT, sample, OPTIONS),
        Arguments.of("sample.json", ReportFormat.JSON, sample, OPTIONS),
        Arguments.of("sample.md", ReportFormat.MARKDOWN, sample, OPTIONS),
        Arguments.of("sample.sarif", ReportFormat.SARIF, sample, OPTIONS),
        Arguments.of("sample.github.txt", ReportFormat.GITHUB, sample, OPTIONS),
        Arguments.of("sample-capped.md", ReportFormat.MARKDOWN, sample, capped),
        Arguments.of("warnings.txt", ReportFormat.TEXT, warnings, OPTIONS),
        Arguments.of("warnings.md", ReportFormat.MARKDOWN, warnings, OPTIONS),
        Arguments.of("warnings-strict.txt", ReportFormat.TEXT, warnings, strict),
        Arguments.of("warnings-strict.md", ReportFormat.MARKDOWN, warnings, strict),
        Arguments.of("warnings-strict.json", ReportFormat.JSON, warnings, strict),
        Arguments.of("clean.txt", ReportFormat.TEXT, clean, OPTIONS),
        Arguments.of("clean.json", ReportFormat.JSON, clean, OPTIONS),
        Arguments.of("clean.md", ReportFormat.MARKDOWN, clean, OPTIONS),
        Arguments.of("clean.sarif", ReportFormat.SARIF, clean, OPTIONS),
        Arguments.of("clean.github.txt", ReportFormat.GITHUB, clean, OPTIONS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void output_matches_golden_file(
      String golden, ReportFormat format, Report report, RenderOptions options) {
    TestFiles.assertGolden(golden, ReportRenderer.of(format).render(report, options));
  }
}
