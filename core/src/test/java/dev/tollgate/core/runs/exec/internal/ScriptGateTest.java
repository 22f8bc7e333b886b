package dev.tollgate.core.runs.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate a shell step's own bash runs before its script: no command of the script runs until the
 * JVM has written {@code go}, which it does only once the step's group is guarded. A JVM that dies
 * first closes the pipe, and the shell exits with 125 having run nothing. Real bash processes.
 */
class ScriptGateTest {
  private static final ProcessSupervisor.Options OPTIONS =
      new ProcessSupervisor.Options("bash", List.of("setsid", "--wait"), Duration.ofMillis(500));

  @TempDir Path dir;

  @Test
  void a_script_whose_gate_sees_end_of_input_runs_none_of_it() throws Exception {
    Process bash = gated("echo ran > ran.txt");
    bash.getOutputStream().close();

    assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).isEqualTo(125);
    assertThat(dir.resolve("ran.txt")).doesNotExist();
  }

  @Test
  void a_script_whose_gate_reads_another_word_runs_none_of_it() throws Exception {
    Process bash = gated("echo ran > ran.txt");
    try (OutputStream in = bash.getOutputStream()) {
      in.write("going\n".getBytes(StandardCharsets.US_ASCII));
    }

    assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).isEqualTo(125);
    assertThat(dir.resolve("ran.txt")).doesNotExist();
  }

  @Test
  void a_script_past_its_gate_has_no_standard_input_and_no_gate_variable() throws Exception {
    Process bash =
        gated(
            "if read -r line; then echo \"read $line\"; else echo no-input; fi > out.txt;"
                + " echo \"${TOLLGATE_GATE-unset}\" >> out.txt");
    OutputStream in = bash.getOutputStream();
    // The pipe stays open with more to read: only the gate's redirection makes the script see none.
    in.write("go\nmore\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();

    assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
    in.close();
    assertThat(bash.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("out.txt"))).isEqualTo("no-input\nunset\n");
  }

  @Test
  void a_shell_that_gave_up_on_a_first_line_that_does_not_parse_ended_before_its_gate()
      throws Exception {
    Process bash = gated("echo never; if");
    assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(ProcessSupervisor.endedBeforeItsGate(bash, OPTIONS)).isTrue();
    assertThat(bash.exitValue()).isEqualTo(2);
  }

  @Test
  void a_shell_still_waiting_at_its_gate_did_not_end_before_it_and_runs_nothing() throws Exception {
    Process bash = gated("echo ran > ran.txt");

    assertThat(ProcessSupervisor.endedBeforeItsGate(bash, OPTIONS)).isFalse();
    assertThat(bash.exitValue()).isEqualTo(125);
    assertThat(dir.resolve("ran.txt")).doesNotExist();
  }

  @Test
  void what_bash_runs_or_shows_before_a_script_keeps_the_gate_outside_the_shell() {
    assertThat(ProcessSupervisor.inlineGateFits(Map.of("PATH", "/usr/bin", "HOME", "/root")))
        .isTrue();
    for (String name :
        new String[] {"BASH_ENV", "SHELLOPTS", "BASHOPTS", "TMOUT", "BASH_FUNC_read%%"}) {
      assertThat(ProcessSupervisor.inlineGateFits(Map.of("PATH", "/usr/bin", name, "x")))
          .as(name)
          .isFalse();
    }
  }

  private Process gated(String script) throws Exception {
    return new ProcessBuilder("bash", "-c", ProcessSupervisor.inlineGated(script))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("bash.log").toFile())
        .start();
  }
}
