package dev.tollgate.core.runs.exec;

import static dev.tollgate.core.runs.exec.Processes.eventually;
import static dev.tollgate.core.runs.exec.Processes.pidIn;
import static dev.tollgate.core.runs.exec.Processes.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.step.CancellationSignal;
import dev.tollgate.core.runs.step.EventSink;
import dev.tollgate.core.runs.step.Secrets;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.ShellStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellStepRunnerTest {
  static final StepRunner RUNNER = StepRunner.builder().killGrace(Duration.ofMillis(500)).build();

  @TempDir Path dir;
  final Recorder events = new Recorder();

  static ShellStep shell(String script) {
    return ShellStep.of("script", Duration.ofMinutes(1), script);
  }

  StepContext.Builder context() {
    return StepContext.builder(42, 2).workingDirectory(dir).events(events);
  }

  StepOutcome run(String script) {
    return RUNNER.run(shell(script), context().build());
  }

  StepOutcome run(String script, ObjectNode params) {
    return RUNNER.run(shell(script), context().params(params).build());
  }

  static ObjectNode params(String name, String value) {
    ObjectNode p = new ObjectMapper().createObjectNode();
    p.put(name, value);
    return p;
  }

  /** Runs a script that writes the parameter's variable to a file, and returns the file's bytes. */
  byte[] echoBack(String value) throws Exception {
    Files.deleteIfExists(dir.resolve("out.bin"));
    StepOutcome o = run("printf '%s' \"$TOLLGATE_PARAM_VALUE\" > out.bin", params("value", value));
    assertThat(o).isInstanceOf(StepOutcome.Succeeded.class);
    return Files.readAllBytes(dir.resolve("out.bin"));
  }

  @Test
  void parameters_reach_the_script_unchanged_and_are_never_executed() throws Exception {
    List<String> attacks =
        List.of(
            "it's \"quoted\" and 'single'",
            "$(touch pwned)",
            "`touch pwned`",
            ";touch pwned;rm -rf nothing",
            "'; touch pwned; echo '",
            "\"; touch pwned; echo \"",
            "line one\nline two\n$(touch pwned)\n",
            "${IFS}touch${IFS}pwned",
            "&& touch pwned || touch pwned | touch pwned > pwned",
            "\\$(touch pwned)\\",
            "é ü 漢字 🚀 \t tab");
    for (String value : attacks) {
      assertThat(echoBack(value)).as(value).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
      assertThat(dir.resolve("pwned")).as(value).doesNotExist();
    }
  }

  @Test
  void unquoted_use_of_a_parameter_still_does_not_run_it() {
    StepOutcome o = run("echo $TOLLGATE_PARAM_VALUE; echo done", params("value", "$(touch pwned)"));
    assertThat(o.succeeded()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDOUT)).containsExactly("$(touch pwned)", "done");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void run_parameters_and_identity_arrive_as_variables() throws Exception {
    ObjectNode p = new ObjectMapper().createObjectNode();
    p.put("service", "checkout");
    p.put("replica-count", 3);
    p.put("drain", true);
    p.putArray("hosts").add("a").add("b");
    p.putNull("note");
    StepOutcome o =
        run(
            "echo \"$TOLLGATE_RUN_ID|$TOLLGATE_ATTEMPT|$TOLLGATE_STEP\"\n"
                + "echo \"$TOLLGATE_PARAM_SERVICE|$TOLLGATE_PARAM_REPLICA_COUNT|$TOLLGATE_PARAM_DRAIN\"\n"
                + "echo \"$TOLLGATE_PARAM_HOSTS|$TOLLGATE_PARAM_NOTE\"\n"
                + "echo \"$TOLLGATE_PARAMS\"\n",
            p);
    assertThat(o.succeeded()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDOUT))
        .containsExactly(
            "42|2|script",
            "checkout|3|true",
            "[\"a\",\"b\"]|null",
            "{\"service\":\"checkout\",\"replica-count\":3,\"drain\":true,\"hosts\":[\"a\",\"b\"],"
                + "\"note\":null}");
  }

  @Test
  void step_variables_are_set_and_the_workers_tollgate_variables_are_not() {
    Map<String, String> inherited = new HashMap<>(System.getenv());
    inherited.put("TOLLGATE_DATABASE_PASSWORD", "hunter2");
    inherited.put("WORKER_NAME", "w1");
    StepRunner runner = StepRunner.builder().shellEnvironment(inherited).build();
    ShellStep step =
        new ShellStep(
            "vars",
            Duration.ofMinutes(1),
            "echo \"${TOLLGATE_DATABASE_PASSWORD:-unset}|$WORKER_NAME|$MODE\"",
            Map.of("MODE", "fast"),
            Optional.empty());
    assertThat(runner.run(step, context().build()).succeeded()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDOUT)).containsExactly("unset|w1|fast");
  }

  @Test
  void workdir_is_resolved_against_the_working_directory() throws Exception {
    Files.createDirectories(dir.resolve("app/sub"));
    ShellStep step =
        new ShellStep("pwd", Duration.ofMinutes(1), "pwd", Map.of(), Optional.of("app/sub"));
    assertThat(RUNNER.run(step, context().build()).succeeded()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDOUT))
        .containsExactly(dir.resolve("app/sub").toRealPath().toString());
  }

  @Test
  void missing_workdir_is_a_failure_that_says_so() {
    ShellStep step =
        new ShellStep("pwd", Duration.ofMinutes(1), "pwd", Map.of(), Optional.of("nope"));
    StepOutcome o = RUNNER.run(step, context().build());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .isEqualTo("working directory " + dir.resolve("nope") + " does not exist");
  }

  @Test
  void stdout_and_stderr_are_streamed_as_ordered_line_events() {
    StepOutcome o =
        run("echo one; echo uno >&2; printf 'two\\r\\n'; echo dos >&2; echo; printf three");
    assertThat(o.succeeded()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDOUT)).containsExactly("one", "two", "", "three");
    assertThat(events.lines(StepEvent.Stream.STDERR)).containsExactly("uno", "dos");
    List<StepEvent> all = events.events();
    assertThat(all.get(0)).isInstanceOf(StepEvent.Started.class);
    assertThat(all.get(0).text()).isEqualTo("shell step script (timeout 1m)");
    assertThat(all.get(all.size() - 1)).isInstanceOf(StepEvent.Finished.class);
    assertThat(all.get(all.size() - 1).data())
        .containsEntry("status", "succeeded")
        .containsEntry("step", "script");
    assertThat(events.of(StepEvent.Output.class))
        .allSatisfy(
            e ->
                assertThat(e.data())
                    .containsEntry("stream", e.stream().label())
                    .containsEntry("step", "script"));
  }

  @Test
  void long_lines_are_split_into_several_events() {
    run("head -c 10000 /dev/zero | tr '\\0' x; echo; echo next");
    List<String> lines = events.lines(StepEvent.Stream.STDOUT);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).hasSize(4096);
    assertThat(lines.get(1)).hasSize(4096);
    assertThat(lines.get(2)).hasSize(10000 - 2 * 4096);
    assertThat(lines.get(3)).isEqualTo("next");
  }

  @Test
  void bash_reports_the_scripts_own_line_numbers() {
    StepOutcome o = run("true\necho \"line $LINENO\"\nno-such-command-here");

    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(events.lines(StepEvent.Stream.STDOUT)).containsExactly("line 2");
    assertThat(events.lines(StepEvent.Stream.STDERR))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .endsWith("line 3: no-such-command-here: command not found");
  }

  @Test
  void a_script_whose_first_line_does_not_parse_fails_with_bashs_exit_code_and_message() {
    // bash reads the whole first line before it runs any of it, the step's gate included; the
    // outcome must not depend on whether the worker's go arrived before bash gave up.
    for (int i = 0; i < 5; i++) {
      Recorder recorder = new Recorder();
      StepOutcome o =
          RUNNER.run(
              shell("echo never; if\necho nor-this"),
              StepContext.builder(42, 2).workingDirectory(dir).events(recorder).build());

      assertThat(o).isInstanceOf(StepOutcome.Failed.class);
      assertThat(((StepOutcome.Failed) o).exitCode()).isEqualTo(OptionalInt.of(2));
      assertThat(recorder.lines(StepEvent.Stream.STDOUT)).isEmpty();
      assertThat(String.join("\n", recorder.lines(StepEvent.Stream.STDERR)))
          .contains("syntax error");
    }
  }

  @Test
  void a_startup_file_named_by_bash_env_runs_after_the_gate_with_no_standard_input()
      throws Exception {
    // Run before the gate, it would read the worker's go, or run while the step is unguarded.
    Files.writeString(
        dir.resolve("startup.sh"), "IFS= read -r line; echo \"from-startup [$line]\"\n");
    StepOutcome o =
        RUNNER.run(
            new ShellStep(
                "script",
                Duration.ofMinutes(1),
                "echo from-script",
                Map.of("BASH_ENV", dir.resolve("startup.sh").toString()),
                Optional.empty()),
            context().build());

    assertThat(o.succeeded()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDOUT))
        .containsExactly("from-startup []", "from-script");
  }

  @Test
  void a_trace_turned_on_from_the_environment_shows_the_script_and_nothing_of_the_gate() {
    StepOutcome o =
        RUNNER.run(
            new ShellStep(
                "script",
                Duration.ofMinutes(1),
                "echo traced",
                Map.of("SHELLOPTS", "xtrace"),
                Optional.empty()),
            context().build());

    assertThat(o.succeeded()).isTrue();
    assertThat(events.lines(StepEvent.Stream.STDERR)).containsExactly("+ echo traced");
  }

  @Test
  void non_zero_exit_is_a_failure_with_the_code() {
    StepOutcome o = run("echo failing >&2; exit 3");
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    StepOutcome.Failed f = (StepOutcome.Failed) o;
    assertThat(f.exitCode()).isEqualTo(OptionalInt.of(3));
    assertThat(f.reason()).isEqualTo("exit code 3");
    StepEvent last = events.events().get(events.events().size() - 1);
    assertThat(last.data())
        .containsEntry("status", "failed")
        .containsEntry("exit_code", 3)
        .containsEntry("reason", "exit code 3");
    assertThat(last.text()).isEqualTo("step script failed: exit code 3");
  }

  @Test
  void timeout_stops_the_whole_process_tree() {
    ShellStep step =
        ShellStep.of(
            "slow",
            Duration.ofSeconds(1),
            "sleep 300 & echo $! > child.pid; sleep 301; echo never");
    StepOutcome o = RUNNER.run(step, context().build());
    assertThat(o).isInstanceOf(StepOutcome.TimedOut.class);
    assertThat(((StepOutcome.TimedOut) o).limit()).isEqualTo(Duration.ofSeconds(1));
    long child = pidIn(dir.resolve("child.pid"));
    eventually(Duration.ofSeconds(10), "sleep 300 is stopped", () -> !running(child));
    assertThat(events.lines(StepEvent.Stream.STDOUT)).doesNotContain("never");
    assertThat(events.kinds().get(events.kinds().size() - 1)).isEqualTo("step_finished");
    assertThat(events.events().get(events.events().size() - 1).data())
        .containsEntry("status", "timed_out");
  }

  @Test
  void timeout_stops_processes_whose_parent_is_gone() {
    assumeTrue(RUNNER.usesProcessGroups(), "needs setsid for a process group of its own");
    ShellStep step =
        ShellStep.of(
            "orphans", Duration.ofSeconds(1), "( sleep 300 & echo $! > orphan.pid ); sleep 301");
    assertThat(RUNNER.run(step, context().build())).isInstanceOf(StepOutcome.TimedOut.class);
    long orphan = pidIn(dir.resolve("orphan.pid"));
    eventually(Duration.ofSeconds(10), "the orphaned sleep is stopped", () -> !running(orphan));
  }

  @Test
  void context_time_limit_shorter_than_the_steps_timeout_wins() {
    StepOutcome o =
        RUNNER.run(shell("sleep 300"), context().timeLimit(Duration.ofMillis(300)).build());
    assertThat(o).isInstanceOf(StepOutcome.TimedOut.class);
    assertThat(((StepOutcome.TimedOut) o).limit()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void cancelling_stops_the_whole_process_tree() throws Exception {
    CancellationSignal signal = CancellationSignal.create();
    CompletableFuture<StepOutcome> outcome =
        CompletableFuture.supplyAsync(
            () ->
                RUNNER.run(
                    shell("sleep 300 & echo $! > child.pid; echo started; sleep 301"),
                    context().cancellation(signal).build()));
    long child = pidIn(dir.resolve("child.pid"));
    assertThat(running(child)).isTrue();
    signal.cancel("cancelled by alice");
    StepOutcome o = outcome.get(30, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(StepOutcome.Cancelled.class);
    assertThat(((StepOutcome.Cancelled) o).reason()).isEqualTo("cancelled by alice");
    eventually(Duration.ofSeconds(10), "sleep 300 is stopped", () -> !running(child));
    assertThat(events.events().get(events.events().size() - 1).data())
        .containsEntry("status", "cancelled")
        .containsEntry("reason", "cancelled by alice");
  }

  @Test
  void already_cancelled_signal_runs_nothing() {
    CancellationSignal signal = CancellationSignal.create();
    signal.cancel("shutting down");
    StepOutcome o = RUNNER.run(shell("touch ran"), context().cancellation(signal).build());
    assertThat(o).isInstanceOf(StepOutcome.Cancelled.class);
    assertThat(dir.resolve("ran")).doesNotExist();
    assertThat(events.kinds()).containsExactly("step_started", "step_finished");
  }

  @Test
  void processes_left_running_after_a_normal_exit_are_stopped() {
    StepOutcome o = run("sleep 300 & echo $! > child.pid; echo done");
    assertThat(o.succeeded()).isTrue();
    long child = pidIn(dir.resolve("child.pid"));
    eventually(Duration.ofSeconds(10), "the leftover sleep is stopped", () -> !running(child));
    assertThat(events.lines(StepEvent.Stream.STDOUT)).containsExactly("done");
  }

  @Test
  void secrets_are_masked_in_every_emitted_text() {
    StepRunner runner = RUNNER;
    StepOutcome o =
        runner.run(
            new ShellStep(
                "leak",
                Duration.ofMinutes(1),
                "echo \"token=$TOKEN\"; echo \"$TOKEN\" >&2; exit 4",
                Map.of("TOKEN", "s3cr3t-v4lue"),
                Optional.empty()),
            context().secrets(Secrets.of(List.of("s3cr3t-v4lue"))).build());
    assertThat(events.lines(StepEvent.Stream.STDOUT)).containsExactly("token=***");
    assertThat(events.lines(StepEvent.Stream.STDERR)).containsExactly("***");
    assertThat(events.events()).allSatisfy(e -> assertThat(e.text()).doesNotContain("s3cr3t"));
    assertThat(o.summary()).doesNotContain("s3cr3t");
  }

  @Test
  void a_secret_across_the_long_line_split_is_still_masked() {
    String secret = "ABCDEFGHIJKLMNOP";
    run2(
        "printf 'x%.0s' $(seq 4090); printf '%s' \"$S\"; printf 'y%.0s' $(seq 5000); echo", secret);
    List<String> lines = events.lines(StepEvent.Stream.STDOUT);
    assertThat(lines.size()).isGreaterThan(1);
    assertThat(String.join("", lines)).doesNotContain("ABC").doesNotContain("NOP").contains("***");
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("GHIJ"));
  }

  private void run2(String script, String secret) {
    RUNNER.run(
        new ShellStep("long", Duration.ofMinutes(1), script, Map.of("S", secret), Optional.empty()),
        context().secrets(Secrets.of(List.of(secret))).build());
  }

  @Test
  void parameter_with_a_nul_character_is_a_failure_that_names_it_but_not_its_value() {
    StepOutcome o = run("true", params("blob", "a\0b-secret"));
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .isEqualTo(
            "TOLLGATE_PARAM_BLOB contains a NUL character, which environment variables cannot hold");
  }

  @Test
  void missing_bash_is_a_failure_that_says_so() {
    StepRunner runner = StepRunner.builder().bash("/nonexistent/bash").build();
    StepOutcome o = runner.run(shell("true"), context().build());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .isEqualTo("cannot start bash: '/nonexistent/bash' does not exist or is not executable");
    assertThat(((StepOutcome.Failed) o).exitCode()).isEmpty();
  }

  @Test
  void sink_failure_is_rethrown_after_the_step_ended() {
    EventSink failing =
        e -> {
          if (e instanceof StepEvent.Output) {
            throw new IllegalStateException("database gone");
          }
        };
    assertThatThrownBy(
            () -> RUNNER.run(shell("echo a; touch finished"), context().events(failing).build()))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.COULD_NOT_FINISH))
        .hasMessage("the events of step script could not be recorded: database gone");
    assertThat(dir.resolve("finished")).exists();
  }

  @Test
  void interrupting_the_worker_thread_cancels_the_step() throws Exception {
    CompletableFuture<Thread> worker = new CompletableFuture<>();
    CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
    CompletableFuture<StepOutcome> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              worker.complete(Thread.currentThread());
              outcome.complete(
                  RUNNER.run(shell("echo $$ > shell.pid; sleep 300"), context().build()));
              flagKept.complete(Thread.currentThread().isInterrupted());
            });
    t.start();
    long shellPid = pidIn(dir.resolve("shell.pid"));
    t.interrupt();
    StepOutcome o = outcome.get(30, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(StepOutcome.Cancelled.class);
    assertThat(((StepOutcome.Cancelled) o).reason()).isEqualTo("the worker thread was interrupted");
    assertThat(flagKept.get(30, TimeUnit.SECONDS)).isTrue();
    eventually(Duration.ofSeconds(10), "the shell is stopped", () -> !running(shellPid));
  }

  /**
   * A sink that, on {@code step_started}, waits a while and then looks whether the step's script
   * has run: with the step's process already started (it is, while its start is recorded), only the
   * gate keeps the script from running meanwhile. {@code onStarted} runs after the look.
   */
  private EventSink lookingAtStart(Path marker, Map<String, Boolean> seen, Runnable onStarted) {
    return event -> {
      if (event instanceof StepEvent.Started) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        seen.put("ran before step_started", Files.exists(marker));
        onStarted.run();
      }
      events.emit(event);
    };
  }

  @Test
  void nothing_of_the_script_runs_before_its_step_started_is_recorded() {
    Path marker = dir.resolve("ran");
    Map<String, Boolean> seen = new HashMap<>();
    for (boolean groups : List.of(true, false)) {
      StepRunner runner = StepRunner.builder().processGroups(groups).build();
      StepOutcome o =
          runner.run(
              shell("touch ran"), context().events(lookingAtStart(marker, seen, () -> {})).build());

      assertThat(o.succeeded()).as("groups %s", groups).isTrue();
      assertThat(seen).as("groups %s", groups).containsEntry("ran before step_started", false);
      assertThat(marker).as("groups %s", groups).exists();
      marker.toFile().delete();
    }
    assertThat(events.kinds())
        .containsExactly("step_started", "step_finished", "step_started", "step_finished");
  }

  @Test
  void a_step_cancelled_while_its_start_is_recorded_never_runs_its_script() {
    // As when the record of the start finds the run's lease lost: the worker stops the step.
    Path marker = dir.resolve("ran");
    Map<String, Boolean> seen = new HashMap<>();
    for (boolean groups : List.of(true, false)) {
      CancellationSignal signal = CancellationSignal.create();
      StepRunner runner =
          StepRunner.builder().processGroups(groups).killGrace(Duration.ofMillis(500)).build();
      StepOutcome o =
          runner.run(
              shell("touch ran"),
              context()
                  .cancellation(signal)
                  .events(lookingAtStart(marker, seen, () -> signal.cancel("lease lost")))
                  .build());

      assertThat(o).as("groups %s", groups).isInstanceOf(StepOutcome.Cancelled.class);
      assertThat(((StepOutcome.Cancelled) o).reason()).isEqualTo("lease lost");
      assertThat(marker).as("groups %s", groups).doesNotExist();
    }
    assertThat(events.kinds())
        .containsExactly("step_started", "step_finished", "step_started", "step_finished");
  }

  @Test
  void a_step_that_cannot_start_still_records_its_start_first() {
    ShellStep step =
        new ShellStep("pwd", Duration.ofMinutes(1), "pwd", Map.of(), Optional.of("nope"));
    assertThat(RUNNER.run(step, context().build())).isInstanceOf(StepOutcome.Failed.class);
    assertThat(events.kinds()).containsExactly("step_started", "step_finished");
    StepRunner noBash = StepRunner.builder().bash("/no/such/bash").build();
    assertThat(noBash.run(shell("true"), context().build())).isInstanceOf(StepOutcome.Failed.class);
    assertThat(events.kinds())
        .containsExactly("step_started", "step_finished", "step_started", "step_finished");
  }
}
