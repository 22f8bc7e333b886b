package dev.tollgate.actions.report;

import static dev.tollgate.actions.report.SampleReports.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GithubRendererTest {

  private static List<String> lines(List<Diagnostic> findings) {
    return ReportRenderer.of(ReportFormat.GITHUB)
        .render(SampleReports.of(findings), OPTIONS)
        .lines()
        .toList();
  }

  private static long count(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }

  @Test
  void writes_one_annotation_per_finding_with_location_and_title() {
    List<String> out =
        lines(
            List.of(
                SampleReports.finding(
                    Severity.ERROR,
                    "SK019",
                    "duplicate task id T004",
                    Location.of("specs/001-x/tasks.md", 14, 3),
                    null)));
    assertThat(out.get(0))
        .isEqualTo(
            "::error file=specs/001-x/tasks.md,line=14,col=3,title=SK019 duplicate task id"
                + "::duplicate task id T004%0A%0ADocs: "
                + RenderOptions.DEFAULT_DOCS_BASE_URL
                + "docs/rules/SK019.md");
    assertThat(out.get(1))
        .isEqualTo("1 error, 0 warnings, 0 infos in 1 feature (1 file); verdict: fail");
  }

  @Test
  void maps_info_to_notice_and_leaves_out_unknown_line_and_column() {
    List<String> out =
        lines(
            List.of(
                SampleReports.finding(Severity.INFO, "SK029", "m", Location.ofFile("a.md"), null)));
    assertThat(out.get(0)).startsWith("::notice file=a.md,title=SK029 absolute local path::m");
  }

  @Test
  void shows_at_most_ten_annotations_per_level_counting_the_overflow_line() {
    List<Diagnostic> findings = new ArrayList<>();
    findings.addAll(SampleReports.many(Severity.ERROR, 25, "e"));
    findings.addAll(SampleReports.many(Severity.WARNING, 25, "w"));
    findings.addAll(SampleReports.many(Severity.INFO, 25, "i"));
    List<String> out = lines(findings);
    assertThat(count(out, "::error ")).isEqualTo(10);
    assertThat(count(out, "::warning")).isEqualTo(10);
    assertThat(count(out, "::notice ")).isEqualTo(10);
    assertThat(out)
        .contains(
            "::warning::46 more findings (15 errors, 16 warnings, 15 infos) not shown as"
                + " annotations; see the job summary");
  }

  @Test
  void prints_no_overflow_line_when_everything_fits() {
    List<String> out = lines(SampleReports.many(Severity.WARNING, 10, "w"));
    assertThat(count(out, "::warning ")).isEqualTo(10);
    assertThat(out).noneMatch(l -> l.startsWith("::warning::"));
  }
}
