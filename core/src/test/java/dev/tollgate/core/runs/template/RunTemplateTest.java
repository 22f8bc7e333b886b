package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunTemplateTest {
  static final String FILE = ".tollgate/templates/deploy.yml";

  static RunTemplate parse(String yaml) {
    return RunTemplate.parse(yaml.getBytes(StandardCharsets.UTF_8), FILE);
  }

  /** The {@code file:line:column: message} lines of the failure {@code yaml} must cause. */
  static List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (TollgateException e) {
      assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
      assertThat(e.diagnostics()).isNotEmpty();
      return e.diagnostics().stream().map(d -> d.location() + ": " + d.message()).toList();
    }
    throw new AssertionError("expected the template to be rejected:\n" + yaml);
  }

  static final String MINIMAL = "name: deploy\nsteps:\n  - name: hello\n    shell: echo hi\n";

  @Test
  void write_only_params_are_listed_and_their_values_never_appear_in_problems() {
    RunTemplate t =
        parse(
            "name: deploy\nparams:\n  type: object\n  properties:\n"
                + "    token: {type: string, writeOnly: true, minLength: 12, pattern: '^ghp_'}\n"
                + "    pin: {type: integer, writeOnly: true, maximum: 10}\n"
                + "    user: {type: string, minLength: 12}\n"
                + "steps:\n  - name: hello\n    shell: echo hi\n");
    assertThat(t.writeOnlyParams()).containsExactly("token", "pin");
    List<String> problems =
        t
            .validateParams(t.parseParams(List.of("token=sekrit-ab", "pin=4242", "user=plain-ann")))
            .stream()
            .map(d -> d.message())
            .toList();
    assertThat(problems)
        .contains(
            "params.token must be at least 12 characters long but was ***",
            "params.token must match ^ghp_ but was ***",
            "params.pin must be <= 10 but was ***",
            "params.user must be at least 12 characters long but was 'plain-ann'");
    assertThat(String.join("\n", problems)).doesNotContain("sekrit-ab").doesNotContain("4242");
  }

  @Test
  void reads_the_demo_template_with_every_kind_of_value() throws Exception {
    Path file =
        Path.of("..")
            .toAbsolutePath()
            .normalize()
            .resolve("examples/demo/.tollgate/templates/restart-service.yml");
    RunTemplate t = RunTemplate.read(file, ".tollgate/templates/restart-service.yml");
    assertThat(t.name()).isEqualTo("restart-service");
    assertThat(t.description()).contains("Restart a service and wait until it is healthy again");
    assertThat(t.lane()).isEqualTo("ops");
    assertThat(t.maxAttempts()).isEqualTo(2);
    assertThat(t.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(t.backoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.maxBackoff()).isEqualTo(Duration.ofMinutes(2));
    assertThat(t.paramsSchema().path("required").get(0).asText()).isEqualTo("service");
    assertThat(t.steps()).hasSize(2);
    ShellStep restart = (ShellStep) t.steps().get(0);
    assertThat(restart.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(restart.env()).isEqualTo(Map.of("NAMESPACE", "shopfront"));
    assertThat(restart.script()).startsWith("set -euo pipefail\n");
    HttpStep health = (HttpStep) t.steps().get(1);
    assertThat(health.url()).isEqualTo("https://shopfront.example/${params.service}/health");
    assertThat(health.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(health.expectStatus().matches(200)).isTrue();
    assertThat(health.expectStatus().matches(204)).isFalse();
    assertThat(health.retries()).isEqualTo(20);
    assertThat(health.retryInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(health.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(health.headers()).containsEntry("Accept", "application/json");
    assertThat(t.source()).isEqualTo(Files.readString(file));
  }

  @Test
  void left_out_keys_take_the_documented_defaults() {
    RunTemplate t =
        parse(
            MINIMAL
                + "  - name: ping\n    http:\n      url: http://localhost/health\n"
                + "  - name: box\n    docker:\n      image: alpine:3.20\n");
    assertThat(t.description()).isEmpty();
    assertThat(t.lane()).isEqualTo("default");
    assertThat(t.maxAttempts()).isEqualTo(3);
    assertThat(t.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(t.backoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(t.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
    assertThat(t.paramsSchema().path("properties").size()).isZero();
    assertThat(t.paramsSchema().path("additionalProperties").asBoolean(true)).isFalse();

    ShellStep shell = (ShellStep) t.steps().get(0);
    assertThat(shell.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(shell.env()).isEmpty();
    assertThat(shell.workdir()).isEmpty();

    HttpStep http = (HttpStep) t.steps().get(1);
    assertThat(http.method()).isEqualTo("GET");
    assertThat(http.headers()).isEmpty();
    assertThat(http.body()).isEmpty();
    assertThat(http.expectStatus()).isEqualTo(HttpStep.ExpectedStatus.ANY_2XX);
    assertThat(http.expectStatus().matches(200)).isTrue();
    assertThat(http.expectStatus().matches(299)).isTrue();
    assertThat(http.expectStatus().matches(300)).isFalse();
    assertThat(http.retries()).isZero();
    assertThat(http.retryInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(http.requestTimeout()).isEqualTo(Duration.ofSeconds(10));

    DockerStep docker = (DockerStep) t.steps().get(2);
    assertThat(docker.args()).isEmpty();
    assertThat(docker.env()).isEmpty();
    assertThat(docker.workdir()).isEmpty();
  }

  @Test
  void reads_every_step_option() {
    RunTemplate t =
        parse(
            "name: deploy\n"
                + "params:\n  properties:\n    id: {type: string}\n"
                + "steps:\n"
                + "  - name: build\n    timeout: 1h30m\n    shell: make\n    workdir: app\n"
                + "    env:\n      MODE: fast\n      A_B: '2'\n"
                + "  - name: call\n    http:\n      method: POST\n"
                + "      url: https://api.example/items/${params.id}?x=$${literal}\n"
                + "      headers: {X-Id: '${params.id}'}\n      body: '{\"id\": \"${params.id}\"}'\n"
                + "      expect_status: [200, 201]\n      retries: 2\n"
                + "      retry_interval: 500ms\n      timeout: 3s\n"
                + "  - name: box\n    docker:\n      image: alpine:3.20\n      args: [sh, -c, 'echo hi']\n"
                + "      env: {GREETING: hello}\n      workdir: /tmp\n");
    ShellStep shell = (ShellStep) t.steps().get(0);
    assertThat(shell.timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(shell.workdir()).contains("app");
    assertThat(shell.env()).containsExactly(Map.entry("MODE", "fast"), Map.entry("A_B", "2"));
    HttpStep http = (HttpStep) t.steps().get(1);
    assertThat(http.method()).isEqualTo("POST");
    assertThat(http.body()).contains("{\"id\": \"${params.id}\"}");
    assertThat(http.expectStatus().codes()).containsExactly(200, 201);
    assertThat(http.expectStatus()).hasToString("200, 201");
    assertThat(http.retries()).isEqualTo(2);
    assertThat(http.retryInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(http.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    DockerStep docker = (DockerStep) t.steps().get(2);
    assertThat(docker.args()).containsExactly("sh", "-c", "echo hi");
    assertThat(docker.env()).containsEntry("GREETING", "hello");
    assertThat(docker.workdir()).contains("/tmp");
    assertThat(t.step("call")).containsSame(http);
    assertThat(t.step("nope")).isEmpty();
  }

  @Test
  void unknown_top_level_key_suggests_the_closest_key() {
    assertThat(errors(MINIMAL + "max_attempt: 2\n"))
        .containsExactly(FILE + ":5:1: unknown key 'max_attempt'; did you mean `max_attempts`?");
  }

  @Test
  void unknown_step_key_suggests_the_closest_key() {
    assertThat(errors("name: deploy\nsteps:\n  - name: a\n    shell: x\n    workdri: app\n"))
        .containsExactly(FILE + ":5:5: unknown key 'workdri' in steps[0]; did you mean `workdir`?");
  }

  @Test
  void unknown_http_key_suggests_the_closest_key() {
    assertThat(
            errors(
                "name: deploy\nsteps:\n  - name: a\n    http:\n      url: http://x/\n"
                    + "      expect: 200\n"))
        .containsExactly(FILE + ":6:7: unknown key 'expect' in steps[0].http");
    assertThat(
            errors(
                "name: deploy\nsteps:\n  - name: a\n    http:\n      url: http://x/\n"
                    + "      retrys: 2\n"))
        .containsExactly(
            FILE + ":6:7: unknown key 'retrys' in steps[0].http; did you mean `retries`?");
  }

  @Test
  void retry_on_names_the_failures_to_try_again_and_is_empty_by_default() {
    assertThat(parse(MINIMAL).retryOn()).isEmpty();
    assertThat(parse(MINIMAL + "retry_on: [timeout, error]\n").retryOn())
        .containsExactlyInAnyOrder(RetryOn.ERROR, RetryOn.TIMEOUT);
    assertThat(parse(MINIMAL + "retry_on: []\n").retryOn()).isEmpty();
    assertThat(errors(MINIMAL + "retry_on: [error, failure]\n"))
        .singleElement()
        .asString()
        .startsWith(FILE + ":5:19: retry_on[1] must be one of");
    assertThat(errors(MINIMAL + "retry_on: [error, error]\n")).hasSize(1);
  }

  @Test
  void unknown_docker_key_suggests_the_key_docker_users_mean() {
    String step = "name: deploy\nsteps:\n  - name: a\n    docker:\n      image: alpine\n";
    assertThat(errors(step + "      command: [echo, hi]\n"))
        .containsExactly(
            FILE + ":6:7: unknown key 'command' in steps[0].docker; did you mean `args`?");
    assertThat(errors(step + "      environment: {A: b}\n"))
        .containsExactly(
            FILE + ":6:7: unknown key 'environment' in steps[0].docker; did you mean `env`?");
    assertThat(errors(step + "      imag: alpine\n"))
        .containsExactly(
            FILE + ":6:7: unknown key 'imag' in steps[0].docker; did you mean `image`?");
    assertThat(errors(step + "      volumes: [x]\n"))
        .containsExactly(FILE + ":6:7: unknown key 'volumes' in steps[0].docker");
  }

  @Test
  void step_with_two_kinds_is_rejected_at_the_second_kind() {
    assertThat(
            errors(
                "name: deploy\nsteps:\n  - name: both\n    shell: echo\n"
                    + "    http: {url: 'http://x/'}\n"))
        .containsExactly(
            FILE
                + ":5:5: steps[0] ('both') has both 'shell' and 'http'; a step does exactly one of"
                + " 'shell', 'http' or 'docker'");
  }

  @Test
  void step_without_kind_is_rejected() {
    assertThat(errors("name: deploy\nsteps:\n  - name: idle\n    timeout: 5s\n"))
        .containsExactly(
            FILE
                + ":3:5: steps[0] ('idle') has no step kind: add one of 'shell', 'http' or"
                + " 'docker'");
  }

  @Test
  void bad_durations_say_what_a_duration_looks_like() {
    assertThat(errors(MINIMAL + "timeout: 5 minutes\n"))
        .containsExactly(
            FILE
                + ":5:10: timeout must be a duration like 500ms, 2s, 5m or 1h30m but was '5"
                + " minutes'");
    assertThat(errors(MINIMAL + "backoff: 30\n"))
        .containsExactly(
            FILE + ":5:10: backoff must be a duration with a unit, like 30s or 5m, but was '30'");
    assertThat(errors(MINIMAL + "timeout: 0s\n"))
        .containsExactly(FILE + ":5:10: timeout must be longer than 0 but was '0s'");
    assertThat(errors("name: deploy\nsteps:\n  - name: a\n    timeout: 1.5h\n    shell: x\n"))
        .containsExactly(
            FILE
                + ":4:14: steps[0].timeout must be a duration like 500ms, 2s, 5m or 1h30m but was"
                + " '1.5h'");
  }

  @Test
  void bad_duration_carries_the_reason_as_hint() {
    try {
      parse(MINIMAL + "timeout: 5mins\n");
    } catch (TollgateException e) {
      assertThat(e.diagnostics().get(0).hint())
          .contains(
              "'5mins' is not a duration: 'mins' is not a unit; use ms, s, m or h; e.g. 500ms,"
                  + " 2s, 5m, 1h or 1h30m.");
      return;
    }
    throw new AssertionError("not rejected");
  }

  @Test
  void backoff_longer_than_max_backoff_is_rejected() {
    assertThat(errors(MINIMAL + "backoff: 10m\n"))
        .containsExactly(FILE + ":5:10: backoff 10m must not be longer than max_backoff 5m");
  }

  @Test
  void a_max_backoff_over_24_days_is_rejected_where_it_is_written() {
    assertThat(errors(MINIMAL + "max_backoff: 600h\n"))
        .containsExactly(FILE + ":5:14: max_backoff must be at most 576h (24 days) but was 600h");
    assertThat(parse(MINIMAL + "max_backoff: 576h\n").maxBackoff())
        .isEqualTo(java.time.Duration.ofDays(24));
  }

  @Test
  void invalid_params_schema_is_reported_where_it_is_written() {
    assertThat(
            errors(
                MINIMAL
                    + "params:\n  type: object\n  properties:\n    replicas:\n      type: strnig\n"))
        .containsExactly(
            FILE
                + ":9:13: params.properties.replicas.type must be one of array, boolean, integer,"
                + " null, number, object, string but was 'strnig'");
    assertThat(errors(MINIMAL + "params:\n  properties:\n    replicas:\n      minimum: ten\n"))
        .containsExactly(
            FILE + ":8:16: params.properties.replicas.minimum must be a number but was 'ten'");
    assertThat(errors(MINIMAL + "params:\n  type: array\n"))
        .containsExactly(
            FILE
                + ":6:9: params.type must be 'object' (parameters are always an object of name to"
                + " value) but was \"array\"");
  }

  @Test
  void params_schema_of_another_draft_is_rejected() {
    assertThat(errors(MINIMAL + "params:\n  $schema: http://json-schema.org/draft-07/schema#\n"))
        .containsExactly(
            FILE
                + ":6:12: params.$schema must be https://json-schema.org/draft/2020-12/schema (the"
                + " only draft Tollgate reads) but was \"http://json-schema.org/draft-07/schema#\"");
  }

  @Test
  void params_schema_with_dangling_or_remote_reference_is_rejected() {
    assertThat(errors(MINIMAL + "params:\n  properties:\n    a: {$ref: '#/$defs/nope'}\n"))
        .singleElement()
        .asString()
        .startsWith(FILE + ":6:3: params cannot be used: ")
        .contains("/$defs/nope");
    assertThat(
            errors(
                MINIMAL + "params:\n  properties:\n    a: {$ref: 'https://example.com/a.json'}\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            FILE
                + ":6:3: params cannot be used: Tollgate does not fetch schemas from elsewhere"
                + " ('https://example.com/a.json' was referenced)");
  }

  @Test
  void name_must_equal_the_file_name() {
    assertThat(errors("name: deploy-prod\nsteps:\n  - name: a\n    shell: x\n"))
        .containsExactly(FILE + ":1:7: name 'deploy-prod' must equal the file name 'deploy'");
  }

  @Test
  void name_must_be_lower_case_kebab() {
    assertThat(errors("name: Deploy\nsteps:\n  - name: a\n    shell: x\n"))
        .contains(FILE + ":1:7: name must match ^[a-z0-9][a-z0-9-]*$ but was 'Deploy'");
  }

  @Test
  void step_names_must_be_unique() {
    assertThat(errors(MINIMAL + "  - name: hello\n    shell: echo again\n"))
        .containsExactly(
            FILE + ":5:11: steps[1].name 'hello' is already used by steps[0] (line 3)");
  }

  @Test
  void steps_must_not_be_empty() {
    assertThat(errors("name: deploy\nsteps: []\n"))
        .containsExactly(FILE + ":2:8: steps must have at least 1 items");
    assertThat(errors("name: deploy\n"))
        .containsExactly(FILE + ":1:1: the document is missing the required key 'steps'");
  }

  @Test
  void env_and_workdir_belong_to_shell_steps() {
    assertThat(
            errors(
                "name: deploy\nsteps:\n  - name: a\n    http: {url: 'http://x/'}\n"
                    + "    env: {A: b}\n"))
        .containsExactly(
            FILE + ":5:5: steps[0].env applies to shell steps only; a http step does not take it");
    assertThat(
            errors(
                "name: deploy\nsteps:\n  - name: a\n    docker: {image: alpine}\n"
                    + "    workdir: /x\n"))
        .containsExactly(
            FILE
                + ":5:5: steps[0].workdir applies to shell steps only; a docker step takes it"
                + " under docker.workdir");
  }

  @Test
  void tollgate_variables_are_reserved() {
    assertThat(
            errors(
                "name: deploy\nsteps:\n  - name: a\n    shell: x\n"
                    + "    env: {TOLLGATE_RUN_ID: '7'}\n"))
        .containsExactly(
            FILE
                + ":5:11: steps[0].env.TOLLGATE_RUN_ID: names starting with TOLLGATE_ are reserved"
                + " for the variables Tollgate sets");
  }

  @Test
  void placeholders_must_name_declared_parameters() {
    String head = "name: deploy\nparams:\n  properties:\n    service: {type: string}\nsteps:\n";
    assertThat(errors(head + "  - name: a\n    http:\n      url: http://x/${params.servce}\n"))
        .containsExactly(
            FILE
                + ":8:12: steps[0].http.url uses ${params.servce} but the template declares no"
                + " parameter 'servce'; did you mean `service`?");
    assertThat(
            errors(
                head
                    + "  - name: a\n    http:\n      url: http://x/\n"
                    + "      headers: {X-Home: '${env.HOME}'}\n"))
        .containsExactly(
            FILE
                + ":9:25: steps[0].http.headers.X-Home: '${env.HOME}' is not a placeholder"
                + " Tollgate knows; write ${params.NAME}, or $${ for a literal ${");
  }

  @Test
  void url_must_start_with_an_http_scheme() {
    assertThat(
            errors(
                "name: deploy\nparams:\n  properties:\n    url: {type: string}\nsteps:\n"
                    + "  - name: a\n    http: {url: '${params.url}'}\n"))
        .containsExactly(
            FILE
                + ":7:17: steps[0].http.url must start with http:// or https:// but was"
                + " '${params.url}'");
  }

  @Test
  void parameters_that_would_share_an_environment_variable_are_rejected() {
    assertThat(
            errors(
                MINIMAL
                    + "params:\n  properties:\n    dry-run: {type: boolean}\n"
                    + "    dry_run: {type: boolean}\n"))
        .containsExactly(
            FILE
                + ":8:5: parameters 'dry-run' and 'dry_run' would both reach shell steps as"
                + " TOLLGATE_PARAM_DRY_RUN");
  }

  @Test
  void expect_status_must_be_a_status_code() {
    assertThat(
            errors(
                "name: deploy\nsteps:\n  - name: a\n    http:\n      url: http://x/\n"
                    + "      expect_status: 700\n"))
        .containsExactly(FILE + ":6:22: steps[0].http.expect_status must be <= 599 but was '700'");
  }

  @Test
  void content_hash_is_the_sha256_of_the_file_bytes() {
    // sha256 of MINIMAL, computed with sha256sum.
    assertThat(parse(MINIMAL).contentHash())
        .isEqualTo("3681d5d5442c8c39aae811efe661a1a6bda337056fa2979f6326e52facf42746");
  }

  @Test
  void content_hash_is_stable_and_changes_with_any_byte() {
    assertThat(parse(MINIMAL).contentHash()).isEqualTo(parse(MINIMAL).contentHash());
    assertThat(parse(MINIMAL + "# a comment\n").contentHash())
        .isNotEqualTo(parse(MINIMAL).contentHash());
    assertThat(parse(MINIMAL).source()).isEqualTo(MINIMAL);
  }

  @Test
  void records_reject_inconsistent_values_with_precise_messages() {
    ShellStep a = ShellStep.of("a", Duration.ofSeconds(1), "true");
    assertThatThrownBy(
            () ->
                new RunTemplate(
                    "deploy",
                    Optional.empty(),
                    "default",
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                    3,
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(2),
                    Duration.ofMinutes(1),
                    List.of(a),
                    "0".repeat(64),
                    ""))
        .hasMessage("backoff of template deploy (2m) must not be longer than maxBackoff (1m)");
    assertThatThrownBy(
            () ->
                new RunTemplate(
                    "deploy",
                    Optional.empty(),
                    "default",
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                    3,
                    Duration.ofMinutes(1),
                    Duration.ZERO,
                    Duration.ZERO,
                    List.of(a, a),
                    "0".repeat(64),
                    ""))
        .hasMessage("template deploy has two steps named 'a'");
    assertThatThrownBy(() -> ShellStep.of("a b", Duration.ofSeconds(1), "true"))
        .hasMessageContaining("step name must start with a letter or digit");
    assertThatThrownBy(() -> HttpStep.builder("h", Duration.ofSeconds(1), "ftp://x").build())
        .hasMessage("url of step h must start with http:// or https:// but was 'ftp://x'");
    assertThatThrownBy(() -> HttpStep.builder("h", Duration.ofSeconds(1), "http://x").retries(-1))
        .hasMessage("retries must be >= 0 but was -1");
    assertThatThrownBy(
            () ->
                new ShellStep(
                    "s",
                    Duration.ofSeconds(1),
                    "true",
                    Map.of("TOLLGATE_X", "1"),
                    Optional.empty()))
        .hasMessage(
            "env of step s name 'TOLLGATE_X' starts with TOLLGATE_, which Tollgate reserves for"
                + " its own variables");
  }
}
