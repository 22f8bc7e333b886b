package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code action.yml} and every workflow of the repository (its own and the examples): valid against
 * GitHub's JSON Schemas from the shared corpus (skipped when absent), free of {@code ${{ }}} in
 * scripts, and pinned to commits.
 */
class WorkflowFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PINNED =
      Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}");

  static Stream<Path> workflows() {
    return WorkflowFiles.workflows().stream();
  }

  static Stream<Path> everyFile() {
    return Stream.concat(Stream.of(WorkflowFiles.action()), workflows());
  }

  private static JsonSchema schema(String name) throws IOException {
    Path file = Corpus.schemas().resolve(name);
    assumeTrue(Files.isRegularFile(file), "corpus absent: " + file);
    JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(node);
  }

  private static Set<ValidationMessage> errors(JsonSchema schema, Path file) {
    return schema.validate(JSON.valueToTree(WorkflowFiles.load(file)));
  }

  @Test
  void the_action_validates_against_githubs_action_schema() throws IOException {
    assertThat(errors(schema("github-action.json"), WorkflowFiles.action())).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void every_workflow_validates_against_githubs_workflow_schema(Path file) throws IOException {
    assertThat(errors(schema("github-workflow.json"), file)).as(file.toString()).isEmpty();
  }

  @Test
  void the_schema_check_catches_a_mistake() throws IOException {
    JsonSchema action = schema("github-action.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> broken = (Map<String, Object>) WorkflowFiles.load(WorkflowFiles.action());
    broken.remove("runs");
    assertThat(action.validate(JSON.valueToTree(broken))).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("everyFile")
  void no_run_block_contains_an_expression(Path file) {
    // ${{ }} in run: is pasted into the script before it runs: a PR title could inject commands.
    List<String> offending = new ArrayList<>();
    WorkflowFiles.walk(
        WorkflowFiles.load(file),
        (key, value) -> {
          if (key.equals("run") && value instanceof String script && script.contains("${{")) {
            offending.add(script);
          }
        });
    assertThat(offending).as(file.toString()).isEmpty();
  }

  @Test
  void the_actions_scripts_contain_no_expressions() throws IOException {
    try (Stream<Path> scripts = Files.list(WorkflowFiles.root().resolve("action"))) {
      for (Path s : scripts.toList()) {
        assertThat(Files.readString(s)).as(s.toString()).doesNotContain("${{");
      }
    }
  }

  @Test
  void the_run_step_gets_every_input_through_its_environment() {
    @SuppressWarnings("unchecked")
    Map<String, Object> action = (Map<String, Object>) WorkflowFiles.load(WorkflowFiles.action());
    @SuppressWarnings("unchecked")
    Map<String, Object> inputs = (Map<String, Object>) action.get("inputs");
    List<String> envValues = new ArrayList<>();
    WorkflowFiles.walk(
        action,
        (key, value) -> {
          if (key.equals("env") && value instanceof Map<?, ?> env) {
            env.values().forEach(v -> envValues.add(String.valueOf(v)));
          }
        });
    for (String input : inputs.keySet()) {
      if (Set.of("java-version", "setup-java").contains(input)) {
        continue; // used in with:/if: of the setup-java step, not by the script
      }
      assertThat(envValues).as(input).anyMatch(v -> v.contains("inputs." + input));
    }
  }

  @ParameterizedTest
  @MethodSource("everyFile")
  void every_third_party_action_is_pinned_to_a_commit(Path file) {
    List<String> unpinned = new ArrayList<>();
    WorkflowFiles.walk(
        WorkflowFiles.load(file),
        (key, value) -> {
          if (key.equals("uses") && value instanceof String uses) {
            boolean local = uses.startsWith("./");
            boolean ours = uses.startsWith("tollgate-dev/tollgate@"); // examples name a release
            if (!local && !ours && !PINNED.matcher(uses).matches()) {
              unpinned.add(uses);
            }
          }
        });
    assertThat(unpinned).as(file.toString()).isEmpty();
  }

  /** Every {@code args} value that interpolates a workflow input or the event's data. */
  private static List<String> argsFromInputsOrEvents(Object workflow) {
    List<String> offending = new ArrayList<>();
    WorkflowFiles.walk(
        workflow,
        (key, value) -> {
          if (key.equals("args")
              && value instanceof String args
              && (args.contains("inputs.") || args.contains("github.event"))) {
            offending.add(args);
          }
        });
    return offending;
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void no_workflow_interpolates_its_inputs_or_event_data_into_the_actions_args(Path file) {
    // args is split into arguments: a newline in an input would become an argument of its own,
    // such as --emergency or --force. Such values go in the action's explicit inputs; args may
    // carry only constants and step outputs that the workflow checked itself.
    assertThat(argsFromInputsOrEvents(WorkflowFiles.load(file))).as(file.toString()).isEmpty();
  }

  @Test
  void the_args_check_catches_an_input_or_event_value_in_args() {
    Object step =
        List.of(
            Map.of("with", Map.of("args", "production\n--ref=${{ inputs.ref }}")),
            Map.of("with", Map.of("args", "--head-sha ${{ github.event.workflow_run.head_sha }}")),
            Map.of("with", Map.of("args", "--wait=10m")));
    assertThat(argsFromInputsOrEvents(step)).hasSize(2);
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void every_workflow_declares_minimal_permissions_and_a_concurrency_group(Path file) {
    @SuppressWarnings("unchecked")
    Map<String, Object> workflow = (Map<String, Object>) WorkflowFiles.load(file);
    assertThat(workflow).as(file.toString()).containsKey("permissions").containsKey("concurrency");
    assertThat(workflow.get("permissions"))
        .as(file + ": permissions are listed, not write-all")
        .isInstanceOf(Map.class);
  }
}
