package dev.tollgate.core.runs.exec;

import static dev.tollgate.core.runs.exec.Processes.eventually;
import static dev.tollgate.core.runs.exec.Processes.pidIn;
import static dev.tollgate.core.runs.exec.Processes.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step never outlives the worker that runs it: the worker is a real child JVM, killed with
 * SIGKILL, alone or with its whole process group, and the step's processes must die within the kill
 * grace without any help from the dead JVM.
 */
class StepWatchdogTest {
  private static final String STEP =
      "sleep 300 & echo $! > child.pid; ( sleep 302 & echo $! > orphan.pid ) ; echo $$ > step.pid;"
          + " sleep 301";

  @TempDir Path dir;
  private final List<Process> hosts = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    hosts.forEach(Process::destroyForcibly);
  }

  @Test
  void a_step_dies_when_its_worker_is_killed_with_its_whole_process_group() throws Exception {
    assumeTrue(StepRunner.create().usesProcessGroups(), "needs setsid or perl");
    Process host = startHost("default", 500, STEP);
    List<Long> step = stepProcesses();
    signal("KILL", "-" + host.pid());
    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertAllStop(step, Duration.ofSeconds(10));
  }

  @Test
  void a_step_dies_when_only_its_worker_jvm_is_killed() throws Exception {
    assumeTrue(StepRunner.create().usesProcessGroups(), "needs setsid or perl");
    Process host = startHost("default", 500, STEP);
    List<Long> step = stepProcesses();
    signal("KILL", Long.toString(host.pid()));
    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertAllStop(step, Duration.ofSeconds(10));
  }

  @Test
  void every_step_of_a_killed_worker_dies_not_only_the_first() throws Exception {
    assumeTrue(StepRunner.create().usesProcessGroups(), "needs setsid or perl");
    Process host =
        startHost(
            "default",
            500,
            STEP,
            "echo $$ > second.pid; sleep 303 & echo $! > second-child.pid; sleep 304");
    List<Long> step = stepProcesses();
    step.add(pidIn(dir.resolve("second.pid")));
    step.add(pidIn(dir.resolve("second-child.pid")));
    signal("KILL", Long.toString(host.pid()));
    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertAllStop(step, Duration.ofSeconds(10));
  }

  @Test
  void a_step_that_ignores_sigterm_is_killed_once_the_grace_has_passed() throws Exception {
    assumeTrue(StepRunner.create().usesProcessGroups(), "needs setsid or perl");
    Process host = startHost("default", 1000, "trap '' TERM; " + STEP);
    List<Long> step = stepProcesses();
    signal("KILL", "-" + host.pid());
    Thread.sleep(300);
    // Still inside the grace: SIGTERM was sent and ignored.
    assertThat(running(step.get(0))).isTrue();
    assertAllStop(step, Duration.ofSeconds(10));
  }

  @Test
  void perl_sessions_give_the_same_guarantee_where_there_is_no_setsid() throws Exception {
    assumeTrue(
        onPath("perl") && onPath("setsid"),
        "needs perl, and setsid to start the host in a group of its own");
    Process host = startHost("perl", 500, STEP);
    List<Long> step = stepProcesses();
    signal("KILL", "-" + host.pid());
    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertAllStop(step, Duration.ofSeconds(10));
  }

  /** Starts the host JVM in a session of its own, so its whole group can be killed. */
  private Process startHost(String launcher, long graceMillis, String... scripts) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    if (onPath("setsid")) {
      command.add("setsid");
    }
    command.addAll(
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            StepHostMain.class.getName(),
            dir.toString(),
            launcher,
            Long.toString(graceMillis)));
    command.addAll(List.of(scripts));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("host.log").toFile())
            .start();
    hosts.add(p);
    return p;
  }

  private static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv("PATH").split(java.io.File.pathSeparator))
        .anyMatch(d -> java.nio.file.Files.isExecutable(Path.of(d.isEmpty() ? "." : d, program)));
  }

  private List<Long> stepProcesses() throws Exception {
    // A loaded machine may take a while to start the host JVM; a host that died says why.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.exists(dir.resolve("step.pid")) && System.nanoTime() < deadline) {
      if (hosts.stream().anyMatch(h -> !h.isAlive())) {
        throw new AssertionError(
            "the host JVM exited: " + Files.readString(dir.resolve("host.log")));
      }
      Thread.sleep(50);
    }
    List<Long> pids = new ArrayList<>();
    pids.add(pidIn(dir.resolve("step.pid")));
    pids.add(pidIn(dir.resolve("child.pid")));
    pids.add(pidIn(dir.resolve("orphan.pid")));
    pids.forEach(pid -> assertThat(running(pid)).as("process %d runs", pid).isTrue());
    return pids;
  }

  private static void assertAllStop(List<Long> pids, Duration patience) {
    eventually(
        patience,
        "every process of the step is stopped: " + pids,
        () -> pids.stream().noneMatch(Processes::running));
  }

  private static void signal(String signal, String target) throws Exception {
    Process kill =
        new ProcessBuilder("bash", "-c", "kill -s \"$1\" -- \"$2\"", "kill", signal, target)
            .inheritIO()
            .start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }
}
