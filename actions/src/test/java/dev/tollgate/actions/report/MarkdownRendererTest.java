package dev.tollgate.actions.report;

import static dev.tollgate.actions.report.SampleReports.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

  private static String render(Report report, RenderOptions options) {
    return ReportRenderer.of(ReportFormat.MARKDOWN).render(report, options);
  }

  @Test
  void escapes_table_breaking_html_and_markdown_characters_in_cells() {
    assertThat(MarkdownRenderer.escape("a|b <i>x</i> `c` *d* _e_ [f] $g$ & @team\r\nnext\tend"))
        .isEqualTo(
            "a\\|b &lt;i&gt;x&lt;/i&gt; \\`c\\` \\*d\\* \\_e\\_ \\[f\\] \\$g\\$ &amp; @\u2060team"
                + "<br>next end");
  }

  @Test
  void project_level_section_without_findings_is_not_listed_as_a_passing_feature() {
    Report report =
        new Report(
            "spec-kit",
            "Spec Kit validation",
            List.of(
                new Section("project", "", List.of()),
                new Section("001-cart", "specs/001-cart", List.of())),
            List.of(),
            3);
    String out = render(report, OPTIONS);
    assertThat(out).contains("1 feature passes: 001-cart").doesNotContain("project");
  }

  @Test
  void rows_never_span_lines_whatever_the_message() {
    String out =
        render(
            SampleReports.of(
                List.of(
                    SampleReports.finding(
                        Severity.ERROR,
                        "SK019",
                        "one\ntwo\rthree|four",
                        Location.of("a.md", 1, 1),
                        "h\n|"))),
            OPTIONS);
    assertThat(out.lines().filter(l -> l.startsWith("| ❌ error")))
        .containsExactly(
            "| ❌ error | a.md:1:1 | [SK019]("
                + RenderOptions.DEFAULT_DOCS_BASE_URL
                + "docs/rules/SK019.md) | one<br>two<br>three\\|four<br>**Hint:** h<br>\\| |");
  }

  @Test
  void capped_list_shows_errors_first_and_counts_the_rest() {
    List<Diagnostic> findings = new ArrayList<>();
    findings.addAll(SampleReports.many(Severity.INFO, 5, "i"));
    findings.addAll(SampleReports.many(Severity.ERROR, 3, "e"));
    String out =
        render(
            SampleReports.of(findings),
            RenderOptions.builder().docsBaseUrl("").toolVersion("1").maxFindings(3).build());
    assertThat(out)
        .contains("e finding 0", "e finding 1", "e finding 2")
        .doesNotContain("i finding");
    assertThat(out)
        .contains(
            "**5 more findings not shown** (5 infos in 1 feature): the list stops at 3 findings.");
  }

  @Test
  void passing_sections_are_summarised_on_one_line() {
    List<Section> sections = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      sections.add(new Section(String.format("%03d-f", i), "specs/" + i, List.of()));
    }
    String out =
        render(new Report("spec-kit", "Spec Kit validation", sections, List.of(), 9), OPTIONS);
    assertThat(out).startsWith("### ✅ Spec Kit validation passed: 0 errors");
    assertThat(out.lines().filter(l -> l.startsWith("✅ 25 features pass: ")))
        .singleElement()
        .satisfies(l -> assertThat(l).endsWith(" and 5 more"));
  }

  @Test
  void huge_report_stays_under_git_hubs_comment_limit_and_says_why() {
    List<Diagnostic> findings = new ArrayList<>();
    String longMessage = "x|<@`".repeat(400);
    for (int i = 0; i < 5_000; i++) {
      findings.add(
          SampleReports.finding(
              Severity.ERROR,
              "SK019",
              longMessage + i,
              Location.of("f.md", i + 1, 1),
              "y&".repeat(300)));
    }
    String out =
        render(
            SampleReports.of(findings),
            RenderOptions.builder().docsBaseUrl("").toolVersion("1").maxFindings(100_000).build());
    assertThat(RenderSupport.utf8Length(out)).isLessThanOrEqualTo(MarkdownRenderer.MAX_BYTES);
    assertThat(out).contains("this comment would exceed GitHub's size limit");
  }
}
