package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** What holds for every report, whatever its messages and paths contain. */
class RendererProperties {

  @Provide
  Arbitrary<Report> reports() {
    return ReportArbitraries.report();
  }

  @Provide
  Arbitrary<RenderOptions> options() {
    return ReportArbitraries.options();
  }

  @Provide
  Arbitrary<Report> hugeReports() {
    return ReportArbitraries.report(6, 600, 3_000);
  }

  @Provide
  Arbitrary<Report> manyFindings() {
    return ReportArbitraries.report(5, 60, 40);
  }

  @Property(tries = 200)
  void every_renderer_produces_newline_terminated_output_without_throwing(
      @ForAll("reports") Report report, @ForAll("options") RenderOptions options) {
    for (ReportFormat format : ReportFormat.values()) {
      String out = ReportRenderer.of(format).render(report, options);
      assertThat(out).as(format.label()).endsWith("\n");
    }
  }

  @Property(tries = 100)
  void json_output_always_matches_the_schema_and_the_counts(
      @ForAll("reports") Report report, @ForAll("options") RenderOptions options) {
    String json = ReportRenderer.of(ReportFormat.JSON).render(report, options);
    assertThat(TestFiles.reportSchemaErrors(json)).isEmpty();
    JsonNode root = TestFiles.parse(json);
    assertThat(root.get("findings").size()).isEqualTo(report.findings().size());
    assertThat(root.get("summary").get("errors").asInt()).isEqualTo(report.summary().errors());
  }

  @Property(tries = 60)
  @AddLifecycleHook(SarifCorpusRequired.class)
  void sarif_output_always_matches_the_sarif_schema(
      @ForAll("reports") Report report, @ForAll("options") RenderOptions options) {
    String sarif = ReportRenderer.of(ReportFormat.SARIF).render(report, options);
    assertThat(TestFiles.sarifSchemaErrors(sarif)).isEmpty();
  }

  @Property(tries = 25)
  void markdown_stays_under_git_hubs_comment_limit(
      @ForAll("hugeReports") Report report, @ForAll("options") RenderOptions options) {
    RenderOptions uncapped = options.toBuilder().maxFindings(100_000).build();
    String out = ReportRenderer.of(ReportFormat.MARKDOWN).render(report, uncapped);
    assertThat(out.length()).isLessThan(65_536);
    assertThat(RenderSupport.utf8Length(out)).isLessThanOrEqualTo(MarkdownRenderer.MAX_BYTES);
  }

  @Property(tries = 200)
  void github_output_never_exceeds_the_annotation_caps(
      @ForAll("manyFindings") Report report, @ForAll("options") RenderOptions options) {
    var lines = ReportRenderer.of(ReportFormat.GITHUB).render(report, options).lines().toList();
    long errors = lines.stream().filter(l -> l.startsWith("::error")).count();
    long warnings = lines.stream().filter(l -> l.startsWith("::warning")).count();
    long notices = lines.stream().filter(l -> l.startsWith("::notice")).count();
    long overflow = lines.stream().filter(l -> l.startsWith("::warning::")).count();
    assertThat(errors).isLessThanOrEqualTo(GithubRenderer.MAX_PER_LEVEL);
    assertThat(warnings).isLessThanOrEqualTo(GithubRenderer.MAX_PER_LEVEL);
    assertThat(notices).isLessThanOrEqualTo(GithubRenderer.MAX_PER_LEVEL);
    long total = report.findings().size();
    assertThat(overflow).isEqualTo(errors + warnings + notices - overflow < total ? 1 : 0);
    // Every line is a command or the one plain summary line, never a stray fragment.
    assertThat(lines.stream().filter(l -> !l.startsWith("::"))).hasSize(1);
    assertThat(errors)
        .isEqualTo(Math.min(GithubRenderer.MAX_PER_LEVEL, count(report, Severity.ERROR)));
  }

  private static long count(Report report, Severity severity) {
    return report.findings().stream().filter(d -> d.severity() == severity).count();
  }
}
