package dev.tollgate.actions.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionsEnvironmentTest {
  private static final String SHA = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

  static Map<String, String> step() {
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_EVENT_NAME", "pull_request");
    env.put("GITHUB_EVENT_PATH", "/home/runner/work/_temp/_github_workflow/event.json");
    env.put("GITHUB_REPOSITORY", "octo-org/shop");
    env.put("GITHUB_SHA", SHA);
    env.put("GITHUB_REF", "refs/pull/7/merge");
    env.put("GITHUB_API_URL", "https://api.github.com");
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_RUN_ID", "1658821493");
    env.put("GITHUB_WORKFLOW", "ci");
    env.put("GITHUB_JOB", "gate");
    env.put("GITHUB_OUTPUT", "/home/runner/work/_temp/_runner_file_commands/set_output_1");
    env.put("GITHUB_STEP_SUMMARY", "/home/runner/work/_temp/_runner_file_commands/step_summary_1");
    env.put("RUNNER_TEMP", "/home/runner/work/_temp");
    env.put("GITHUB_TOKEN", "ghs_secret");
    return env;
  }

  @Test
  void reads_every_variable_of_a_step() {
    ActionsEnvironment e = ActionsEnvironment.from(step());
    assertThat(e.eventName()).isEqualTo("pull_request");
    assertThat(e.eventPath())
        .isEqualTo(Path.of("/home/runner/work/_temp/_github_workflow/event.json"));
    assertThat(e.repository()).isEqualTo(new RepositoryName("octo-org", "shop"));
    assertThat(e.sha()).isEqualTo(SHA);
    assertThat(e.ref()).contains("refs/pull/7/merge");
    assertThat(e.apiUrl()).isEqualTo(URI.create("https://api.github.com"));
    assertThat(e.runId()).contains("1658821493");
    assertThat(e.workflow()).contains("ci");
    assertThat(e.job()).contains("gate");
    assertThat(e.outputFile()).isPresent();
    assertThat(e.summaryFile()).isPresent();
    assertThat(e.token().orElseThrow().value()).isEqualTo("ghs_secret");
    assertThat(e.runUrl()).contains("https://github.com/octo-org/shop/actions/runs/1658821493");
  }

  @Test
  void the_token_never_shows_in_the_environments_text() {
    assertThat(ActionsEnvironment.from(step()).toString())
        .doesNotContain("ghs_secret")
        .contains("***");
  }

  @Test
  void enterprise_server_urls_are_taken_as_given() {
    Map<String, String> env = step();
    env.put("GITHUB_API_URL", "https://ghe.example.com/api/v3");
    env.put("GITHUB_SERVER_URL", "https://ghe.example.com/");
    ActionsEnvironment e = ActionsEnvironment.from(env);
    assertThat(e.apiUrl()).isEqualTo(URI.create("https://ghe.example.com/api/v3"));
    assertThat(e.runUrl())
        .contains("https://ghe.example.com/octo-org/shop/actions/runs/1658821493");
  }

  @Test
  void unset_urls_default_to_github_com() {
    Map<String, String> env = step();
    env.remove("GITHUB_API_URL");
    env.remove("GITHUB_SERVER_URL");
    ActionsEnvironment e = ActionsEnvironment.from(env);
    assertThat(e.apiUrl()).isEqualTo(URI.create("https://api.github.com"));
    assertThat(e.serverUrl()).isEqualTo(URI.create("https://github.com"));
  }

  private static void rejects(String name, String value, String message) {
    Map<String, String> env = step();
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    assertThatThrownBy(() -> ActionsEnvironment.from(env))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT))
        .hasMessage(message);
  }

  @Test
  void missing_or_malformed_variables_are_bad_input_naming_the_variable() {
    rejects(
        "GITHUB_EVENT_NAME",
        null,
        "GITHUB_EVENT_NAME is not set; GitHub mode runs inside a GitHub Actions step, which sets it"
            + " (set it yourself to run elsewhere)");
    rejects("GITHUB_REPOSITORY", "shop", "GITHUB_REPOSITORY must be 'owner/name' but was 'shop'");
    rejects("GITHUB_SHA", "abc", "GITHUB_SHA must be a 40-character commit id but was 'abc'");
    rejects("GITHUB_RUN_ID", "run-1", "GITHUB_RUN_ID must be a number but was 'run-1'");
    rejects(
        "GITHUB_API_URL",
        "ftp://ghe",
        "GITHUB_API_URL must be an http(s) URL such as https://api.github.com but was 'ftp://ghe'");
  }

  @Test
  void the_default_comment_key_is_workflow_job_and_matrix_values() {
    Map<String, String> env = step();
    assertThat(ActionsEnvironment.from(env).defaultCommentKey().value()).isEqualTo("ci/gate");
    env.put("TOLLGATE_MATRIX", "{\n  \"java\": \"17\",\n  \"os\": \"ubuntu-latest\"\n}");
    assertThat(ActionsEnvironment.from(env).defaultCommentKey().value())
        .isEqualTo("ci/gate/java=17,os=ubuntu-latest");
    env.put("TOLLGATE_MATRIX", "null");
    assertThat(ActionsEnvironment.from(env).defaultCommentKey().value()).isEqualTo("ci/gate");
  }
}
