package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No run is lost when a worker process dies by SIGKILL: after its claim, in the middle of a step,
 * or while its completions commit; and a step's start is on record once the step may run. The
 * worker runs as a real child JVM.
 */
class WorkerKillTest {

  private static Database db;
  private static RunQueue queue;
  private final List<Process> children = new ArrayList<>();

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("kill", 6);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  private Process startChild(String lane, String mode) throws Exception {
    return startChild(lane, mode, ProcessBuilder.Redirect.DISCARD);
  }

  private Process startChild(String lane, String mode, ProcessBuilder.Redirect output)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                WorkerProcessMain.class.getName(),
                TestDatabase.settings().jdbcUrl(),
                String.valueOf(TestDatabase.settings().user()),
                db.schema(),
                lane,
                mode)
            .redirectErrorStream(true)
            .redirectOutput(output)
            .start();
    children.add(p);
    return p;
  }

  /** A worker in this JVM that sweeps with a short staleness bound and finishes what it gets. */
  private static Worker rescuer(String lane) {
    return Worker.builder(queue, (run, ctx) -> RunOutcome.success())
        .options(
            WorkerOptions.builder()
                .lanes(List.of(lane))
                .heartbeatInterval(Duration.ofMillis(200))
                .staleAfter(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(200))
                .build())
        .build();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting until " + what);
  }

  private static Run run(long id) {
    return queue.find(id).orElseThrow();
  }

  @Test
  void a_run_claimed_by_a_killed_worker_is_recovered_and_finished_elsewhere() throws Exception {
    Run run = queue.enqueue(NewRun.builder("noop").lane("kill-claim").build()).run();
    Process child = startChild("kill-claim", "block");
    await(() -> run(run.id()).status() == RunStatus.RUNNING, "the child claims the run");
    child.destroyForcibly().waitFor();

    try (Worker rescuer = rescuer("kill-claim")) {
      rescuer.start();
      await(() -> run(run.id()).status() == RunStatus.SUCCESS, "the run is recovered");
    }
    Run done = run(run.id());
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(queue.events(run.id(), 0, 100))
        .extracting(RunEvent::kind)
        .containsSubsequence("claimed", "swept", "claimed", "completed");
  }

  @Test
  void a_run_killed_mid_step_is_recovered_and_finished_elsewhere() throws Exception {
    Run run = queue.enqueue(NewRun.builder("noop").lane("kill-step").build()).run();
    Process child = startChild("kill-step", "block");
    await(
        () ->
            queue.events(run.id(), 0, 100).stream()
                .anyMatch(e -> "step started".equals(e.message())),
        "the child's step has started and logged");
    child.destroyForcibly().waitFor();

    try (Worker rescuer = rescuer("kill-step")) {
      rescuer.start();
      await(() -> run(run.id()).status() == RunStatus.SUCCESS, "the run is recovered");
    }
  }

  @Test
  void the_start_of_a_step_is_recorded_when_its_worker_is_killed_right_after() throws Exception {
    Run run = queue.enqueue(NewRun.builder("noop").lane("kill-started").build()).run();
    Process child = startChild("kill-started", "started", ProcessBuilder.Redirect.PIPE);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String said =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                      if (line.startsWith("step-started ")) {
                        return line;
                      }
                    }
                    return "the child exited";
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .get(60, TimeUnit.SECONDS);
    // The moment the step may start, before any periodic flush: the worker dies without cleanup.
    child.destroyForcibly().waitFor();

    assertThat(said).isEqualTo("step-started " + run.id());
    assertThat(queue.events(run.id(), 0, 100))
        .extracting(RunEvent::kind, RunEvent::message)
        .contains(org.assertj.core.groups.Tuple.tuple("step_started", "step one"));
  }

  @Test
  void killing_a_worker_while_it_completes_runs_loses_none() throws Exception {
    int count = 300;
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(queue.enqueue(NewRun.builder("noop").lane("kill-complete").build()).run().id());
    }
    Process child = startChild("kill-complete", "noop");
    Random random = new Random();
    long completedBefore =
        queue
            .list(new RunFilter(RunStatus.SUCCESS, "kill-complete", null, null, null, 1000))
            .size();
    await(
        () ->
            queue
                    .list(new RunFilter(RunStatus.SUCCESS, "kill-complete", null, null, null, 1000))
                    .size()
                > completedBefore + 5 + random.nextInt(20),
        "the child completes some runs");
    child.destroyForcibly().waitFor();

    try (Worker rescuer = rescuer("kill-complete")) {
      rescuer.start();
      await(
          () ->
              queue
                      .list(
                          new RunFilter(RunStatus.SUCCESS, "kill-complete", null, null, null, 1000))
                      .size()
                  == count,
          "every run succeeds");
    }
    for (long id : ids) {
      assertThat(run(id).status()).isEqualTo(RunStatus.SUCCESS);
    }
  }
}
