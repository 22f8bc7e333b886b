package dev.tollgate.actions.report;

import static dev.tollgate.actions.report.SampleReports.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextRendererTest {

  private static String render(Location location, String message) {
    return ReportRenderer.of(ReportFormat.TEXT)
        .render(
            SampleReports.of(
                List.of(SampleReports.finding(Severity.ERROR, "SK019", message, location, null))),
            OPTIONS);
  }

  @Test
  void prints_only_the_known_parts_of_a_location() {
    assertThat(render(Location.of("a.md", 3, 7), "m")).startsWith("a.md:3:7: error SK019 m\n");
    assertThat(render(Location.of("a.md", 3, 0), "m")).startsWith("a.md:3: error SK019 m\n");
    assertThat(render(Location.ofFile("a.md"), "m")).startsWith("a.md: error SK019 m\n");
  }

  @Test
  void indents_the_hint_under_its_finding() {
    String out =
        ReportRenderer.of(ReportFormat.TEXT)
            .render(
                SampleReports.of(
                    List.of(
                        SampleReports.finding(
                            Severity.ERROR, "SK019", "dup", Location.of("t.md", 1, 1), "fix it"))),
                OPTIONS);
    assertThat(out).startsWith("t.md:1:1: error SK019 dup\n    hint: fix it\n\n");
  }

  @Test
  void keeps_each_finding_on_one_line_and_escapes_terminal_control_characters() {
    String out = render(Location.of("a\nb.md", 1, 1), "red \u001B[31m\r\nnext \u202Eevil");
    assertThat(out.lines().findFirst().orElseThrow())
        .isEqualTo("a\\nb.md:1:1: error SK019 red \\u001B[31m\\r\\nnext \\u202Eevil");
  }

  @Test
  void ends_with_counts_and_verdict() {
    assertThat(render(Location.ofFile("a.md"), "m"))
        .endsWith("\n\n1 error, 0 warnings, 0 infos in 1 feature (1 file)\nverdict: fail\n");
  }

  @Test
  void strict_mode_says_warnings_fail_the_check() {
    RenderOptions strict =
        RenderOptions.builder()
            .strict(true)
            .docsBaseUrl("")
            .toolVersion("1")
            .maxFindings(10)
            .build();
    String out = ReportRenderer.of(ReportFormat.TEXT).render(SampleReports.warningsOnly(), strict);
    assertThat(out).endsWith("verdict: fail (strict: warnings fail the check)\n");
    assertThat(ReportRenderer.of(ReportFormat.TEXT).render(SampleReports.warningsOnly(), OPTIONS))
        .endsWith("verdict: pass\n");
  }
}
