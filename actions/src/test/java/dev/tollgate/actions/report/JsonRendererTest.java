package dev.tollgate.actions.report;

import static dev.tollgate.actions.report.SampleReports.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.report.Report;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonRendererTest {

  static Stream<Report> reports() {
    return Stream.of(SampleReports.sample(), SampleReports.warningsOnly(), SampleReports.clean());
  }

  @ParameterizedTest
  @MethodSource("reports")
  void output_validates_against_the_documented_schema(Report report) {
    String json = ReportRenderer.of(ReportFormat.JSON).render(report, OPTIONS);
    assertThat(TestFiles.reportSchemaErrors(json)).isEmpty();
  }

  @Test
  void schema_rejects_output_that_breaks_the_contract() {
    String json =
        ReportRenderer.of(ReportFormat.JSON)
            .render(SampleReports.sample(), OPTIONS)
            .replace("\"severity\": \"error\"", "\"severity\": \"fatal\"");
    assertThat(TestFiles.reportSchemaErrors(json)).isNotEmpty();
  }

  @Test
  void unknown_line_column_hint_and_docs_are_null() {
    JsonNode findings =
        TestFiles.parse(
                ReportRenderer.of(ReportFormat.JSON).render(SampleReports.sample(), OPTIONS))
            .get("findings");
    JsonNode wholeFile = findings.get(0);
    assertThat(wholeFile.get("file").asText()).isEmpty();
    assertThat(wholeFile.get("line").isNull()).isTrue();
    assertThat(wholeFile.get("column").isNull()).isTrue();
    JsonNode lineOnly = findings.get(4);
    assertThat(lineOnly.get("rule").asText()).isEqualTo("SK020");
    assertThat(lineOnly.get("line").asInt()).isEqualTo(20);
    assertThat(lineOnly.get("column").isNull()).isTrue();
    assertThat(lineOnly.get("hint").isNull()).isTrue();
  }

  @Test
  void docs_link_is_the_rule_page_unless_the_finding_has_its_own() {
    JsonNode findings =
        TestFiles.parse(
                ReportRenderer.of(ReportFormat.JSON).render(SampleReports.sample(), OPTIONS))
            .get("findings");
    assertThat(findings.get(3).get("docs").asText())
        .isEqualTo(RenderOptions.DEFAULT_DOCS_BASE_URL + "docs/rules/SK019.md");
    assertThat(findings.get(5).get("docs").asText())
        .isEqualTo("https://example.com/rules/SK999 (draft)");
  }

  @Test
  void verdict_follows_strict_mode() {
    RenderOptions strict =
        RenderOptions.builder()
            .strict(true)
            .docsBaseUrl("")
            .toolVersion("1")
            .maxFindings(10)
            .build();
    JsonNode root =
        TestFiles.parse(
            ReportRenderer.of(ReportFormat.JSON).render(SampleReports.warningsOnly(), strict));
    assertThat(root.get("verdict").asText()).isEqualTo("fail");
    assertThat(root.get("strict").asBoolean()).isTrue();
  }

  @Test
  void is_pretty_printed_with_unix_newlines_and_a_trailing_newline() {
    String json = ReportRenderer.of(ReportFormat.JSON).render(SampleReports.clean(), OPTIONS);
    assertThat(json)
        .startsWith("{\n  \"schemaVersion\": 1,\n")
        .endsWith("}\n")
        .doesNotContain("\r");
  }
}
