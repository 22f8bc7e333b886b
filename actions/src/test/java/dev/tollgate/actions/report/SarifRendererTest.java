package dev.tollgate.actions.report;

import static dev.tollgate.actions.report.SampleReports.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.report.Report;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SarifRendererTest {

  static Stream<Report> reports() {
    return Stream.of(SampleReports.sample(), SampleReports.warningsOnly(), SampleReports.clean());
  }

  private static JsonNode run(Report report) {
    return TestFiles.parse(ReportRenderer.of(ReportFormat.SARIF).render(report, OPTIONS))
        .get("runs")
        .get(0);
  }

  @ParameterizedTest
  @MethodSource("reports")
  void output_validates_against_the_sarif210_schema(Report report) {
    String sarif = ReportRenderer.of(ReportFormat.SARIF).render(report, OPTIONS);
    assertThat(TestFiles.sarifSchemaErrors(sarif)).isEmpty();
  }

  @Test
  void schema_check_catches_an_invalid_log() {
    String sarif =
        ReportRenderer.of(ReportFormat.SARIF)
            .render(SampleReports.sample(), OPTIONS)
            .replace("\"level\": \"note\"", "\"level\": \"info\"");
    assertThat(TestFiles.sarifSchemaErrors(sarif)).isNotEmpty();
  }

  @Test
  void schema_check_catches_a_path_that_is_not_a_uri() {
    String sarif =
        ReportRenderer.of(ReportFormat.SARIF)
            .render(SampleReports.sample(), OPTIONS)
            .replace("specs/003-pay%20ship", "specs/003-pay ship");
    assertThat(TestFiles.sarifSchemaErrors(sarif)).isNotEmpty();
  }

  @Test
  void every_result_has_a_location_with_a_start_line_git_hub_accepts() {
    for (JsonNode result : run(SampleReports.sample()).get("results")) {
      JsonNode physical = result.get("locations").get(0).get("physicalLocation");
      assertThat(physical.get("artifactLocation").get("uriBaseId").asText()).isEqualTo("%SRCROOT%");
      assertThat(physical.get("region").get("startLine").asInt()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void whole_file_findings_point_at_line_one_without_a_column() {
    JsonNode results = run(SampleReports.sample()).get("results");
    JsonNode wholeFile = results.get(5).get("locations").get(0).get("physicalLocation");
    assertThat(wholeFile.get("artifactLocation").get("uri").asText())
        .isEqualTo("specs/003-pay%20ship/tasks%2Cv2.md");
    assertThat(wholeFile.get("region").get("startLine").asInt()).isEqualTo(1);
    assertThat(wholeFile.get("region").has("startColumn")).isFalse();
  }

  @Test
  void project_wide_findings_are_anchored_at_the_project_root() {
    JsonNode first = run(SampleReports.sample()).get("results").get(0);
    assertThat(first.get("ruleId").asText()).isEqualTo("SK004");
    assertThat(
            first
                .get("locations")
                .get(0)
                .get("physicalLocation")
                .get("artifactLocation")
                .get("uri")
                .asText())
        .isEqualTo(".");
  }

  @Test
  void rule_index_points_at_the_results_rule_even_for_rules_outside_the_catalog() {
    JsonNode run = run(SampleReports.sample());
    JsonNode rules = run.get("tool").get("driver").get("rules");
    for (JsonNode result : run.get("results")) {
      assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText())
          .isEqualTo(result.get("ruleId").asText());
    }
  }

  @Test
  void rules_carry_help_text_and_their_page() {
    JsonNode sk019 = run(SampleReports.sample()).get("tool").get("driver").get("rules").get(2);
    assertThat(sk019.get("id").asText()).isEqualTo("SK019");
    assertThat(sk019.get("name").asText()).isEqualTo("DuplicateTaskId");
    assertThat(sk019.get("helpUri").asText())
        .isEqualTo(RenderOptions.DEFAULT_DOCS_BASE_URL + "docs/rules/SK019.md");
    assertThat(sk019.get("help").get("markdown").asText()).contains("[SK019 documentation](");
    assertThat(sk019.get("defaultConfiguration").get("level").asText()).isEqualTo("error");
  }

  @Test
  void paths_become_percent_encoded_relative_uris() {
    assertThat(SarifRenderer.uri("specs/004-café/a b#c%.md"))
        .isEqualTo("specs/004-caf%C3%A9/a%20b%23c%25.md");
  }
}
