package dev.tollgate.core.runs.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.template.DockerStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerExecutorTest {
  static final DockerStep STEP =
      new DockerStep(
          "migrate",
          Duration.ofMinutes(5),
          "ghcr.io/acme/migrate:1.4",
          List.of("--target", "latest", "$(not a shell)"),
          Map.of("DB_PASSWORD", "hunter2"),
          Optional.of("/work"));

  @Test
  void command_runs_the_image_with_its_arguments_and_removes_the_container() {
    assertThat(
            DockerExecutor.command("docker", STEP, "tollgate-7-1-migrate-00ff", List.of("A", "B")))
        .containsExactly(
            "docker",
            "run",
            "--rm",
            "--name",
            "tollgate-7-1-migrate-00ff",
            "-e",
            "A",
            "-e",
            "B",
            "-w",
            "/work",
            "ghcr.io/acme/migrate:1.4",
            "--target",
            "latest",
            "$(not a shell)");
  }

  @Test
  void command_without_workdir_or_variables_has_neither() {
    DockerStep plain = DockerStep.of("hello", Duration.ofMinutes(1), "alpine:3.20", List.of());
    assertThat(DockerExecutor.command("/usr/bin/docker", plain, "n", List.of()))
        .containsExactly("/usr/bin/docker", "run", "--rm", "--name", "n", "alpine:3.20");
  }

  @Test
  void variable_values_never_appear_on_the_command_line() {
    StepContext ctx =
        StepContext.builder(7, 1)
            .params(
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode()
                    .put("token", "tok-123"))
            .build();
    Map<String, String> vars = new java.util.LinkedHashMap<>(STEP.env());
    vars.putAll(StepEnvironment.variables(ctx, STEP.name()));
    List<String> cmd = DockerExecutor.command("docker", STEP, "n", vars.keySet());
    assertThat(String.join(" ", cmd)).doesNotContain("hunter2").doesNotContain("tok-123");
    assertThat(cmd)
        .containsSubsequence("-e", "DB_PASSWORD")
        .containsSubsequence("-e", "TOLLGATE_PARAM_TOKEN")
        .containsSubsequence("-e", "TOLLGATE_PARAMS")
        .containsSubsequence("-e", "TOLLGATE_RUN_ID");
  }

  @Test
  void container_name_says_which_run_attempt_and_step_and_is_unique() {
    StepContext ctx = StepContext.builder(7, 2).build();
    String a = DockerExecutor.containerName(ctx, STEP);
    String b = DockerExecutor.containerName(ctx, STEP);
    assertThat(a).matches("tollgate-7-2-migrate-[0-9a-f]{8}");
    assertThat(a).isNotEqualTo(b);
  }
}
