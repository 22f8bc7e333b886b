package dev.tollgate.core.runs.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.DockerStep;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerStepRunnerTest {
  static final DockerStep HELLO =
      DockerStep.of("hello", Duration.ofMinutes(1), "alpine:3.20", List.of("echo", "hi"));

  @TempDir Path dir;
  final Recorder events = new Recorder();

  StepContext context() {
    return StepContext.builder(3, 1).workingDirectory(dir).events(events).build();
  }

  static boolean dockerOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "docker"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void unreachable_engine_is_a_failure_that_says_so() {
    assumeTrue(dockerOnPath(), "needs the docker command");
    StepRunner runner =
        StepRunner.builder()
            .dockerEnvironment(
                Map.of(
                    "PATH", System.getenv("PATH"),
                    "HOME", dir.toString(),
                    "DOCKER_HOST", "unix:///nonexistent.sock"))
            .build();
    StepOutcome o = runner.run(HELLO, context());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .startsWith("no Docker engine reachable: ")
        .contains("nonexistent.sock");
    assertThat(((StepOutcome.Failed) o).exitCode()).isEmpty();
    assertThat(events.kinds()).containsExactly("step_started", "step_finished");
    assertThat(events.events().get(0).text())
        .isEqualTo("docker step hello: alpine:3.20 (timeout 1m)");
  }

  @Test
  void missing_docker_command_is_a_failure_that_says_so() {
    StepRunner runner = StepRunner.builder().docker("/nonexistent/bin/docker").build();
    StepOutcome o = runner.run(HELLO, context());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .startsWith("no docker command found: cannot run '/nonexistent/bin/docker' (")
        .endsWith("); install the Docker CLI on the worker");
  }

  /**
   * A stand-in for the docker command: logs its arguments, answers {@code version}, and for {@code
   * run} prints each {@code -e} variable with the value it got from its environment, then runs the
   * container's "command" with bash.
   */
  Path fakeDocker() throws Exception {
    Path fake = dir.resolve("docker");
    Files.writeString(
        fake,
        "#!/usr/bin/env bash\n"
            + "printf '%s\\n' \"$*\" >> \"$CALLS\"\n"
            + "case \"$1\" in\n"
            + "  version) echo 27.3.1 ;;\n"
            + "  rm) ;;\n"
            + "  run) shift\n"
            + "    while [ $# -gt 0 ]; do\n"
            + "      case \"$1\" in\n"
            + "        --rm) shift ;;\n"
            + "        --name|-w) shift 2 ;;\n"
            + "        -e) echo \"$2=${!2}\"; shift 2 ;;\n"
            + "        *) image=$1; shift; break ;;\n"
            + "      esac\n"
            + "    done\n"
            + "    echo \"image $image\"; exec bash -c \"$*\" ;;\n"
            + "esac\n");
    fake.toFile().setExecutable(true);
    return fake;
  }

  StepRunner fakeRunner(Path fake) {
    return StepRunner.builder()
        .docker(fake.toString())
        .killGrace(Duration.ofMillis(300))
        .dockerEnvironment(
            Map.of("PATH", System.getenv("PATH"), "CALLS", dir.resolve("calls.log").toString()))
        .build();
  }

  @Test
  void variables_reach_the_container_by_name_and_their_values_stay_off_the_command_line()
      throws Exception {
    Path fake = fakeDocker();
    DockerStep step =
        new DockerStep(
            "box",
            Duration.ofMinutes(1),
            "alpine:3.20",
            List.of("echo done"),
            Map.of("GREETING", "hello there"),
            java.util.Optional.empty());
    StepContext ctx =
        StepContext.builder(3, 1)
            .workingDirectory(dir)
            .events(events)
            .params(
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode()
                    .put("token", "tok-123"))
            .build();
    StepOutcome o = fakeRunner(fake).run(step, ctx);
    assertThat(o.succeeded()).as(o.summary()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDOUT))
        .contains("GREETING=hello there", "TOLLGATE_PARAM_TOKEN=tok-123", "TOLLGATE_RUN_ID=3")
        .contains("image alpine:3.20", "done");
    String calls = Files.readString(dir.resolve("calls.log"));
    assertThat(calls)
        .startsWith("version --format {{.Server.Version}}\nrun --rm --name tollgate-3-1-box-");
    assertThat(calls).doesNotContain("tok-123").doesNotContain("hello there");
  }

  @Test
  void timed_out_container_is_removed() throws Exception {
    Path fake = fakeDocker();
    DockerStep step =
        DockerStep.of("sleepy", Duration.ofMillis(500), "alpine:3.20", List.of("sleep 300"));
    StepOutcome o = fakeRunner(fake).run(step, context());
    assertThat(o).isInstanceOf(StepOutcome.TimedOut.class);
    assertThat(Files.readString(dir.resolve("calls.log")))
        .containsPattern("\\nrm --force tollgate-3-1-sleepy-[0-9a-f]{8}\\n");
  }

  @Test
  void failing_container_is_a_failure_with_its_exit_code() throws Exception {
    Path fake = fakeDocker();
    DockerStep step = DockerStep.of("bad", Duration.ofMinutes(1), "alpine:3.20", List.of("exit 7"));
    StepOutcome o = fakeRunner(fake).run(step, context());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).exitCode()).hasValue(7);
  }
}
