package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.TollgateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunParamsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final RunTemplate TEMPLATE =
      RunTemplateTest.parse(
          "name: deploy\n"
              + "params:\n"
              + "  type: object\n"
              + "  additionalProperties: false\n"
              + "  required: [service]\n"
              + "  properties:\n"
              + "    service: {type: string, enum: [checkout, refunds]}\n"
              + "    replicas: {type: integer, minimum: 1, maximum: 10, default: 2}\n"
              + "    ratio: {type: number}\n"
              + "    dry_run: {type: boolean, default: false}\n"
              + "    note: {type: [string, 'null']}\n"
              + "    labels: {type: object}\n"
              + "    hosts: {type: array, items: {type: string, minLength: 1}}\n"
              + "    anything: {}\n"
              + "steps:\n  - name: a\n    shell: 'true'\n");

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  static List<String> problems(List<Diagnostic> ds) {
    return ds.stream().map(d -> d.location() + ": " + d.message()).toList();
  }

  @Test
  void empty_params_file_is_bad_input(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("params.yml"), "# nothing yet\n");
    assertThatThrownBy(() -> RunParams.read(file, "params.yml"))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            "params.yml:1:1: expected a mapping of names to values but the file holds only"
                + " comments");
  }

  @Test
  void valid_parameters_have_no_problems() throws Exception {
    assertThat(TEMPLATE.validateParams(json("{\"service\":\"checkout\",\"replicas\":3}")))
        .isEmpty();
  }

  @Test
  void problems_name_the_parameter_path_and_the_reason() throws Exception {
    assertThat(
            problems(
                TEMPLATE.validateParams(
                    json(
                        "{\"service\":\"billing\",\"replicas\":12,\"hosts\":[\"a\",\"\"],"
                            + "\"dry_run\":\"yes\"}"))))
        .containsExactly(
            "params: params.dry_run must be true or false but was 'yes'",
            "params: params.hosts[1] must not be empty but was ''",
            "params: params.replicas must be <= 10 but was '12'",
            "params: params.service must be one of checkout, refunds but was 'billing'");
  }

  @Test
  void missing_and_unknown_parameters_are_named_with_a_suggestion() throws Exception {
    List<Diagnostic> ds = TEMPLATE.validateParams(json("{\"replcas\": 2}"));
    assertThat(problems(ds))
        .containsExactly(
            "params: params is missing the required parameter 'service'",
            "params: unknown parameter 'replcas'; did you mean `replicas`?");
    assertThat(ds.get(1).hint())
        .contains("Parameters: anything, dry_run, hosts, labels, note, ratio, replicas, service.");
    assertThat(ds).allSatisfy(d -> assertThat(d.ruleId()).isEqualTo("params"));
  }

  @Test
  void template_without_params_accepts_none() throws Exception {
    RunTemplate t = RunTemplateTest.parse(RunTemplateTest.MINIMAL);
    assertThat(t.validateParams(json("{}"))).isEmpty();
    List<Diagnostic> ds = t.validateParams(json("{\"x\": 1}"));
    assertThat(problems(ds)).containsExactly("params: unknown parameter 'x'");
    assertThat(ds.get(0).hint()).contains("The template takes no parameters.");
  }

  @Test
  void params_that_are_not_an_object_are_a_problem() throws Exception {
    assertThat(problems(TEMPLATE.validateParams(json("[1]"))))
        .containsExactly("params: params must be a mapping of name to value but was a list");
  }

  @Test
  void problems_in_a_params_file_are_reported_at_their_line(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.yml");
    Files.writeString(file, "service: checkout\nreplicas: 0\n");
    RunParams params = RunParams.read(file, "params.yml");
    assertThat(problems(TEMPLATE.validateParams(params)))
        .containsExactly("params.yml:2:11: params.replicas must be >= 1 but was '0'");
  }

  @Test
  void params_file_may_be_json() {
    RunParams params = RunParams.parse("{\"service\": \"refunds\", \"replicas\": 4}", "p.json");
    assertThat(params.values().get("replicas").asInt()).isEqualTo(4);
    assertThat(TEMPLATE.validateParams(params)).isEmpty();
  }

  @Test
  void params_file_must_hold_a_mapping() {
    assertThatThrownBy(() -> RunParams.parse("- a\n- b\n", "p.yml"))
        .isInstanceOf(TollgateException.class)
        .hasMessage("p.yml:1:1: the document must be a mapping but was a list");
  }

  @Test
  void assignments_are_read_as_the_declared_type() {
    RunParams p =
        TEMPLATE.parseParams(
            List.of(
                "service=checkout",
                "replicas=3",
                "ratio=0.25",
                "dry_run=true",
                "note=null",
                "labels={\"team\":\"payments\"}",
                "hosts=[\"a\",\"b\"]",
                "anything=42"));
    assertThat(p.values().toString())
        .isEqualTo(
            "{\"service\":\"checkout\",\"replicas\":3,\"ratio\":0.25,\"dry_run\":true,"
                + "\"note\":null,\"labels\":{\"team\":\"payments\"},\"hosts\":[\"a\",\"b\"],"
                + "\"anything\":42}");
    assertThat(TEMPLATE.validateParams(p)).isEmpty();
  }

  @Test
  void string_parameters_keep_their_text_exactly() {
    RunParams p = TEMPLATE.parseParams(List.of("service=007", "note=a=b; $(x)", "anything=hi"));
    assertThat(p.values().get("service").isTextual()).isTrue();
    assertThat(p.values().get("service").asText()).isEqualTo("007");
    assertThat(p.values().get("note").asText()).isEqualTo("a=b; $(x)");
    assertThat(p.values().get("anything").asText()).isEqualTo("hi");
  }

  @Test
  void value_that_is_not_its_declared_type_stays_text_and_is_reported() {
    RunParams p = TEMPLATE.parseParams(List.of("service=checkout", "replicas=three"));
    assertThat(problems(TEMPLATE.validateParams(p)))
        .containsExactly("params: params.replicas must be an integer but was 'three'");
  }

  @Test
  void malformed_or_repeated_assignments_are_bad_input() {
    assertThatThrownBy(() -> TEMPLATE.parseParams(List.of("replicas")))
        .isInstanceOf(TollgateException.class)
        .hasMessage("params: parameter 'replicas' must be written NAME=VALUE");
    assertThatThrownBy(() -> TEMPLATE.parseParams(List.of("=3")))
        .hasMessage("params: parameter '=3' must be written NAME=VALUE");
    assertThatThrownBy(() -> TEMPLATE.parseParams(List.of("replicas=1", "replicas=2")))
        .hasMessage("params: parameter 'replicas' is given twice");
  }

  @Test
  void assignments_override_a_params_file_name_by_name() {
    RunParams file = RunParams.parse("service: checkout\nreplicas: 0\n", "p.yml");
    RunParams merged = file.with(TEMPLATE.parseParams(List.of("replicas=11")));
    assertThat(merged.values().toString()).isEqualTo("{\"service\":\"checkout\",\"replicas\":11}");
    assertThat(problems(TEMPLATE.validateParams(merged)))
        .containsExactly("params: params.replicas must be <= 10 but was '11'");
    assertThat(merged.locate("/service").toString()).isEqualTo("p.yml:1:10");
  }

  @Test
  void defaults_fill_in_parameters_not_given() throws Exception {
    assertThat(TEMPLATE.withDefaults(json("{\"service\":\"checkout\",\"replicas\":5}")).toString())
        .isEqualTo("{\"service\":\"checkout\",\"replicas\":5,\"dry_run\":false}");
  }
}
