package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.NewRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Enqueuing from a template as the runner does it, without the runner: {@code RunTemplate#newRun}.
 */
class TemplateRunBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final RunTemplate ECHO =
      template(
          "name: echo\nlane: ops\nmax_attempts: 2\ntimeout: 5m\nbackoff: 1s\nmax_backoff: 1m\n"
              + "params:\n  type: object\n  additionalProperties: false\n  required: [message]\n"
              + "  properties:\n    message: {type: string}\n"
              + "    times: {type: integer, minimum: 1, maximum: 3, default: 1}\n"
              + "steps:\n  - name: say\n    shell: echo hi\n");

  private static final RunTemplate LOGIN =
      template(
          "name: login\nlane: sec\nparams:\n  type: object\n  properties:\n"
              + "    user: {type: string}\n"
              + "    token: {type: string, writeOnly: true, minLength: 8}\n"
              + "steps:\n  - name: use\n    shell: echo hi\n");

  private static RunTemplate template(String yaml) {
    String name = yaml.substring("name: ".length(), yaml.indexOf('\n'));
    return RunTemplate.parse(
        yaml.getBytes(StandardCharsets.UTF_8), ".tollgate/templates/" + name + ".yml");
  }

  private static ParamsCipher key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 3);
    return ParamsCipher.of(k);
  }

  private static RunParams params(String... assignments) {
    return RunParams.of(JSON.createObjectNode()).with(ECHO.parseParams(List.of(assignments)));
  }

  @Test
  void a_run_of_a_template_gets_its_defaults_definition_lane_attempts_backoff_and_timeout() {
    NewRun run = ECHO.newRun(params("message=hi")).build();

    assertThat(run.template()).isEqualTo("echo");
    assertThat(run.params())
        .isEqualTo(JSON.createObjectNode().put("message", "hi").put("times", 1));
    assertThat(run.sealedParams()).isNull();
    assertThat(run.templateHash()).isEqualTo(ECHO.contentHash());
    assertThat(run.templateDefinition()).isEqualTo(ECHO.source());
    assertThat(run.lane()).isEqualTo("ops");
    assertThat(run.maxAttempts()).isEqualTo(2);
    assertThat(run.backoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(run.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(run.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(run.priority()).isZero();
    assertThat(run.idempotencyKey()).isNull();
  }

  @Test
  void the_enqueuer_chooses_lane_priority_attempts_and_idempotency_key() {
    NewRun run =
        ECHO.newRun(params("message=hi", "times=3"))
            .lane("manual")
            .priority(7)
            .maxAttempts(4)
            .idempotencyKey("k1")
            .build();

    assertThat(run.lane()).isEqualTo("manual");
    assertThat(run.priority()).isEqualTo(7);
    assertThat(run.maxAttempts()).isEqualTo(4);
    assertThat(run.idempotencyKey()).isEqualTo("k1");
    assertThat(run.params().get("times").asInt()).isEqualTo(3);
  }

  @Test
  void every_parameter_problem_is_reported_at_once_one_line_each_before_any_other_check() {
    assertThatThrownBy(
            () ->
                ECHO.newRun(params("message=x", "times=9", "extra=1"))
                    .priority(5000)
                    .lane("NOT A LANE")
                    .build())
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "params: params.times must be <= 3 but was '9'\n"
                          + "params: unknown parameter 'extra' (Parameters: message, times.)");
              assertThat(e.diagnostics()).hasSize(2);
            });
  }

  @Test
  void a_value_the_queue_refuses_is_an_illegal_argument_naming_it() {
    assertThatThrownBy(() -> ECHO.newRun(params("message=x")).priority(5000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("priority must be in -1000..1000, got 5000");
    assertThatThrownBy(() -> ECHO.newRun(params("message=x")).lane("BAD LANE").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lane: expected lower-case letters");
  }

  @Test
  void a_write_only_value_is_sealed_apart_and_masked_where_it_is_shown() {
    ParamsCipher key = key();
    NewRun run =
        LOGIN
            .newRun(
                RunParams.of(JSON.createObjectNode().put("user", "ann").put("token", "sekrit-123")))
            .cipher(key)
            .build();

    assertThat(run.params())
        .isEqualTo(JSON.createObjectNode().put("user", "ann").put("token", "***"));
    assertThat(run.toString()).doesNotContain("sekrit-123");
    assertThat(key.open(run.sealedParams(), "login"))
        .isEqualTo(JSON.createObjectNode().put("token", "sekrit-123"));
  }

  @Test
  void a_write_only_value_without_a_key_is_bad_input_naming_the_variable_not_the_value() {
    assertThatThrownBy(
            () ->
                LOGIN
                    .newRun(
                        RunParams.of(
                            JSON.createObjectNode().put("user", "ann").put("token", "sekrit-123")))
                    .build())
        .isInstanceOf(TollgateException.class)
        .hasMessageStartingWith(
            "parameter 'token' is writeOnly (secret) in template login and stored encrypted, but"
                + " TOLLGATE_SECRET_KEY is not set")
        .hasMessageNotContaining("sekrit-123");
  }

  @Test
  void the_key_is_asked_for_once_after_the_parameters_pass_and_only_for_a_template_with_secrets() {
    AtomicInteger asked = new AtomicInteger();
    ECHO.newRun(params("message=hi"))
        .cipher(
            () -> {
              asked.incrementAndGet();
              throw TollgateException.badInput("malformed key");
            })
        .build();
    assertThat(asked).hasValue(0);

    RunParams tooShort = RunParams.of(JSON.createObjectNode().put("token", "short"));
    assertThatThrownBy(
            () ->
                LOGIN
                    .newRun(tooShort)
                    .cipher(
                        () -> {
                          asked.incrementAndGet();
                          return Optional.of(key());
                        })
                    .build())
        .hasMessageContaining("params.token must be at least 8 characters long but was ***");
    assertThat(asked).hasValue(0);

    LOGIN
        .newRun(RunParams.of(JSON.createObjectNode().put("user", "ann")))
        .cipher(
            () -> {
              asked.incrementAndGet();
              return Optional.empty();
            })
        .build();
    assertThat(asked).hasValue(1);
  }
}
