package dev.tollgate.core.runs.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.core.runs.exec.StepRunner;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.ShellStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog the steps of a JVM share ends with the JVM's shutdown hook, not with the JVM's
 * death, so that no thread is left waiting in native code for it (which makes a JVM's exit wait
 * about 0.3 s), and a step started afterwards is guarded by a new one.
 */
class SharedWatchdogTest {
  @TempDir Path dir;

  @Test
  void ending_the_shared_watchdogs_stops_an_idle_one_before_returning() {
    StepRunner runner = StepRunner.create();
    assumeTrue(runner.usesProcessGroups(), "needs setsid or perl");
    assertThat(run(runner, "true").succeeded()).isTrue();
    List<ProcessHandle> watchdogs = watchdogs();
    assertThat(watchdogs).as("the shared watchdog, a child of this JVM").isNotEmpty();

    ProcessSupervisor.endWatchdogs();

    assertThat(watchdogs).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void a_step_after_the_watchdogs_ended_is_guarded_by_a_new_one() {
    StepRunner runner = StepRunner.create();
    assumeTrue(runner.usesProcessGroups(), "needs setsid or perl");
    assertThat(run(runner, "true").succeeded()).isTrue();
    ProcessSupervisor.endWatchdogs();
    assertThat(watchdogs()).isEmpty();

    assertThat(run(runner, "echo again").succeeded()).isTrue();

    assertThat(watchdogs()).hasSize(1).allMatch(ProcessHandle::isAlive);
  }

  @Test
  void steps_of_runners_with_the_same_options_share_one_watchdog() {
    assumeTrue(StepRunner.create().usesProcessGroups(), "needs setsid or perl");
    ProcessSupervisor.endWatchdogs();

    assertThat(run(StepRunner.create(), "true").succeeded()).isTrue();
    assertThat(run(StepRunner.create(), "true").succeeded()).isTrue();

    assertThat(watchdogs()).hasSize(1);
  }

  @Test
  void a_watchdog_that_guards_a_running_step_is_left_to_the_jvms_death() throws Exception {
    StepRunner runner = StepRunner.create();
    assumeTrue(runner.usesProcessGroups(), "needs setsid or perl");
    Path pid = dir.resolve("step.pid");
    Thread step = new Thread(() -> run(runner, "echo $$ > step.pid; exec sleep 60"));
    step.start();
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (!(java.nio.file.Files.exists(pid) && java.nio.file.Files.size(pid) > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      long stepPid = Long.parseLong(java.nio.file.Files.readString(pid).trim());

      ProcessSupervisor.endWatchdogs();

      assertThat(ProcessHandle.of(stepPid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(watchdogs()).hasSize(1).allMatch(ProcessHandle::isAlive);
      ProcessHandle.of(stepPid).ifPresent(ProcessHandle::destroy);
    } finally {
      step.join(30_000);
    }
  }

  private StepOutcome run(StepRunner runner, String script) {
    return runner.run(
        ShellStep.of("step", Duration.ofMinutes(1), script),
        StepContext.builder(7, 1).workingDirectory(dir).events(e -> {}).build());
  }

  /** This JVM's children that run the shared watchdog's script. */
  private static List<ProcessHandle> watchdogs() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().arguments().stream()
                    .flatMap(java.util.Arrays::stream)
                    .anyMatch("tollgate-watchdog"::equals))
        .toList();
  }
}
