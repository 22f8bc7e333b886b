package dev.tollgate.core.runs.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.core.runs.exec.StepRunner;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.ShellStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shell steps start in their session straight through the C library where it can, and through the
 * session launcher otherwise: the same guard either way. The launcher here is {@code setsid} behind
 * a script that counts its calls, so each test sees which way the steps went.
 */
class DirectSessionsTest {
  /** Prints the step's pid, process group and session, from its own {@code /proc} entry. */
  static final String WHO_AM_I =
      "read -r stat < /proc/$$/stat; rest=${stat##*) }; set -- $rest; echo \"$$ $3 $4\"";

  @TempDir Path dir;

  Path countingSetsid() throws Exception {
    Path calls = dir.resolve("calls");
    Files.createFile(calls);
    Path script = dir.resolve("setsid");
    String setsid = ProcessSupervisor.resolve("setsid").orElseThrow();
    Files.writeString(
        script, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nexec '" + setsid + "' \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  /** The launcher's calls (its arguments, the watchdog's script among them, span lines). */
  List<String> calls() throws Exception {
    return Files.readAllLines(dir.resolve("calls")).stream()
        .filter(l -> l.startsWith("--wait "))
        .collect(Collectors.toList());
  }

  List<String> runThree(StepRunner runner) {
    List<String> lines = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      StepOutcome outcome =
          runner.run(
              ShellStep.of("who", Duration.ofMinutes(1), WHO_AM_I),
              StepContext.builder(42, 2)
                  .workingDirectory(dir)
                  .events(
                      e -> {
                        if (e instanceof StepEvent.Output o) {
                          lines.add(o.line());
                        }
                      })
                  .build());
      assertThat(outcome).isInstanceOf(StepOutcome.Succeeded.class);
    }
    return lines;
  }

  static void eachLeadsItsOwnSession(List<String> lines) {
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      String[] f = line.split(" ");
      assertThat(f[1]).as("process group of %s", line).isEqualTo(f[0]);
      assertThat(f[2]).as("session of %s", line).isEqualTo(f[0]);
    }
  }

  @Test
  void where_the_c_library_can_a_step_starts_in_its_session_without_the_launcher()
      throws Exception {
    assumeTrue(
        SessionSpawn.available(), "no start through the C library: " + SessionSpawn.whyNot());
    Path setsid = countingSetsid();
    StepRunner runner =
        StepRunner.builder().setsid(setsid.toString()).killGrace(Duration.ofMillis(500)).build();

    eachLeadsItsOwnSession(runThree(runner));
    // Only the steps' shared watchdog went through the launcher.
    assertThat(calls()).hasSize(1);
    assertThat(runner.describeStarts())
        .isEqualTo("each in a session of its own, by the C library's posix_spawn");
  }

  @Test
  void without_process_groups_a_runner_says_its_steps_have_none() {
    assertThat(StepRunner.builder().processGroups(false).build().describeStarts())
        .startsWith("without a process group of their own");
  }

  @Test
  void without_direct_sessions_each_step_starts_through_the_launcher() throws Exception {
    Path setsid = countingSetsid();
    StepRunner runner =
        StepRunner.builder()
            .setsid(setsid.toString())
            .directSessions(false)
            .killGrace(Duration.ofMillis(500))
            .build();

    eachLeadsItsOwnSession(runThree(runner));
    assertThat(calls()).hasSize(1 + 3);
    assertThat(runner.describeStarts()).isEqualTo("each in a session of its own, by setsid");
  }
}
