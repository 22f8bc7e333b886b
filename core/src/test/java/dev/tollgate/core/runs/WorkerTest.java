package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkerTest {

  private static Database db;
  private static RunQueue queue;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("worker", 12);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static WorkerOptions.Builder fast(String lane) {
    return WorkerOptions.builder()
        .lanes(List.of(lane))
        .heartbeatInterval(Duration.ofMillis(200))
        .staleAfter(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .sweep(false);
  }

  private static Run enqueue(String lane) {
    return queue.enqueue(NewRun.builder("noop").lane(lane).build()).run();
  }

  private static Run awaitStatus(long id, RunStatus status) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Run run = queue.find(id).orElseThrow();
      if (run.status() == status) {
        return run;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "run " + id + " never became " + status + ": " + queue.find(id).orElseThrow());
  }

  @Test
  void once_executes_every_runnable_run_and_records_each_outcome() throws Exception {
    Run ok = queue.enqueue(NewRun.builder("ok").lane("once").build()).run();
    Run bad = queue.enqueue(NewRun.builder("bad").lane("once").build()).run();
    Run boom = queue.enqueue(NewRun.builder("boom").lane("once").build()).run();
    RunExecutor executor =
        (run, ctx) -> {
          ctx.emit(NewEvent.output("stdout", "running " + run.template()));
          return switch (run.template()) {
            case "ok" -> RunOutcome.success();
            case "bad" -> RunOutcome.error("step failed");
            default -> throw new IllegalStateException("kaput");
          };
        };
    Worker worker =
        Worker.builder(queue, executor).options(fast("once").concurrency(2).build()).build();
    assertThat(worker.runUntilIdle()).isEqualTo(3);

    assertThat(queue.find(ok.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(queue.find(bad.id()).orElseThrow().message()).isEqualTo("step failed");
    assertThat(queue.find(boom.id()).orElseThrow().message()).contains("kaput");
    assertThat(queue.events(ok.id(), 0, 100)).extracting(RunEvent::message).contains("running ok");
  }

  @Test
  void a_cancelled_running_run_is_stopped_and_ends_cancelled() throws Exception {
    Run run = enqueue("cancel");
    CountDownLatch started = new CountDownLatch(1);
    RunExecutor executor =
        (r, ctx) -> {
          started.countDown();
          if (ctx.awaitStop(Duration.ofSeconds(60))) {
            return RunOutcome.cancelled(ctx.stopReason());
          }
          return RunOutcome.success();
        };
    try (Worker worker = Worker.builder(queue, executor).options(fast("cancel").build()).build()) {
      worker.start();
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(queue.cancel(run.id(), "operator said so"))
          .isEqualTo(CancelResult.CANCEL_REQUESTED);
      Run cancelled = awaitStatus(run.id(), RunStatus.CANCELLED);
      assertThat(cancelled.cancelReason()).isEqualTo("operator said so");
    }
  }

  @Test
  void a_run_over_its_timeout_is_stopped_and_ends_in_error() throws Exception {
    Run run =
        queue
            .enqueue(NewRun.builder("slow").lane("timeout").timeout(Duration.ofMillis(300)).build())
            .run();
    RunExecutor executor =
        (r, ctx) -> {
          ctx.awaitStop(Duration.ofSeconds(60));
          return RunOutcome.cancelled(ctx.stopReason());
        };
    Worker worker = Worker.builder(queue, executor).options(fast("timeout").build()).build();
    worker.runUntilIdle();
    Run done = queue.find(run.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.ERROR);
    assertThat(done.message()).contains("timed out");
  }

  @Test
  void workers_pick_up_work_by_polling_when_no_notification_arrives() throws Exception {
    RunQueue deaf = new DeafQueue(queue);
    Run run = enqueue("deaf");
    try (Worker worker =
        Worker.builder(deaf, (r, ctx) -> RunOutcome.success())
            .options(fast("deaf").build())
            .build()) {
      worker.start();
      Thread.sleep(300);
      Run later = enqueue("deaf");
      awaitStatus(run.id(), RunStatus.SUCCESS);
      awaitStatus(later.id(), RunStatus.SUCCESS);
    }
  }

  @Test
  void a_worker_keeps_working_after_its_listening_connection_is_killed() throws Exception {
    try (Worker worker =
        Worker.builder(queue, (r, ctx) -> RunOutcome.success())
            .options(fast("relisten").pollInterval(Duration.ofMillis(300)).build())
            .build()) {
      worker.start();
      Run first = enqueue("relisten");
      awaitStatus(first.id(), RunStatus.SUCCESS);
      TestDatabase.execute(
          db.dataSource(),
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN "
              + db.schema()
              + "%'");
      Run second = enqueue("relisten");
      awaitStatus(second.id(), RunStatus.SUCCESS);
    }
  }

  @Test
  void shutdown_releases_unfinished_runs_without_charging_an_attempt() throws Exception {
    Run run = queue.enqueue(NewRun.builder("slow").lane("shutdown").maxAttempts(1).build()).run();
    CountDownLatch started = new CountDownLatch(1);
    RunExecutor executor =
        (r, ctx) -> {
          started.countDown();
          ctx.awaitStop(Duration.ofSeconds(60));
          return RunOutcome.cancelled(ctx.stopReason());
        };
    Worker worker =
        Worker.builder(queue, executor)
            .options(fast("shutdown").gracePeriod(Duration.ofMillis(200)).build())
            .build();
    worker.start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    worker.shutdown();

    Run released = queue.find(run.id()).orElseThrow();
    assertThat(released.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(released.chargedAttempts()).isZero();
    assertThat(queue.events(run.id(), 0, 100)).extracting(RunEvent::kind).contains("released");
  }

  @Test
  void a_worker_whose_run_was_swept_stops_it_and_writes_nothing_more() throws Exception {
    Run run = enqueue("swept");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    RunExecutor executor =
        (r, ctx) -> {
          started.countDown();
          ctx.awaitStop(Duration.ofSeconds(60));
          stopped.countDown();
          return RunOutcome.success();
        };
    try (Worker worker = Worker.builder(queue, executor).options(fast("swept").build()).build()) {
      worker.start();
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      TestDatabase.execute(
          db.dataSource(),
          "UPDATE "
              + db.schema()
              + ".runs SET heartbeat_at = now() - interval '1 hour' WHERE id = "
              + run.id());
      queue.sweep(Duration.ofSeconds(30), 100);
      assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
    }
    Run after = queue.find(run.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(queue.events(run.id(), 0, 100))
        .extracting(RunEvent::kind)
        .doesNotContain("completed");
  }

  @Test
  void a_worker_that_batches_completions_claims_a_batch_ahead_unless_told_otherwise()
      throws Exception {
    for (int i = 0; i < 40; i++) {
      enqueue("ahead");
    }
    List<Integer> limits = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunQueue recording =
        new ForwardingQueue(queue) {
          @Override
          public List<Run> claim(String workerId, Collection<String> lanes, int limit) {
            limits.add(limit);
            return super.claim(workerId, lanes, limit);
          }
        };
    // Slots are free at the first claim: it asks for the slots and the prefetch.
    Worker batched =
        Worker.builder(recording, (r, ctx) -> RunOutcome.success())
            .options(fast("ahead").concurrency(2).completionBatch(25).build())
            .build();
    assertThat(batched.runUntilIdle()).isEqualTo(40);
    assertThat(limits.get(0)).isEqualTo(2 + 25);

    for (int i = 0; i < 10; i++) {
      enqueue("ahead");
    }
    limits.clear();
    Worker told =
        Worker.builder(recording, (r, ctx) -> RunOutcome.success())
            .options(fast("ahead").concurrency(2).completionBatch(25).prefetch(1).build())
            .build();
    assertThat(told.runUntilIdle()).isEqualTo(10);
    assertThat(limits.get(0)).isEqualTo(2 + 1);

    for (int i = 0; i < 10; i++) {
      enqueue("ahead");
    }
    limits.clear();
    Worker unbatched =
        Worker.builder(recording, (r, ctx) -> RunOutcome.success())
            .options(fast("ahead").concurrency(3).build())
            .build();
    assertThat(unbatched.runUntilIdle()).isEqualTo(10);
    assertThat(limits.get(0)).isEqualTo(3 + 3);
  }

  @Test
  void many_workers_execute_each_run_exactly_once() throws Exception {
    int runs = 600;
    for (int i = 0; i < runs; i++) {
      enqueue("fleet");
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Set<String> duplicates = ConcurrentHashMap.newKeySet();
    RunExecutor executor =
        (r, ctx) -> {
          if (!seen.add(r.id() + "/" + r.attempt())) {
            duplicates.add(r.id() + "/" + r.attempt());
          }
          return RunOutcome.success();
        };
    try (Database second = Database.connect(TestDatabase.settings(), db.schema(), 6)) {
      RunQueue otherPool = PostgresRunQueue.open(second.dataSource(), db.schema());
      List<Worker> workers =
          List.of(
              Worker.builder(queue, executor).options(fast("fleet").concurrency(4).build()).build(),
              Worker.builder(queue, executor)
                  .options(fast("fleet").concurrency(4).completionBatch(20).build())
                  .build(),
              Worker.builder(otherPool, executor)
                  .options(fast("fleet").concurrency(4).build())
                  .build(),
              Worker.builder(otherPool, executor)
                  .options(fast("fleet").concurrency(4).completionBatch(20).build())
                  .build());
      workers.forEach(Worker::start);
      try {
        for (int i = 0; i < 600 && countSuccess("fleet") < runs; i++) {
          Thread.sleep(100);
        }
      } finally {
        workers.forEach(Worker::shutdown);
      }
    }
    assertThat(duplicates).isEmpty();
    assertThat(seen).hasSize(runs);
    assertThat(countSuccess("fleet")).isEqualTo(runs);
  }

  @Test
  void a_completion_that_fails_to_reach_the_database_is_retried_not_left_to_the_sweeper()
      throws Exception {
    Run run = enqueue("blip-complete");
    java.util.concurrent.atomic.AtomicInteger failures =
        new java.util.concurrent.atomic.AtomicInteger(2);
    RunQueue flaky =
        new ForwardingQueue(queue) {
          @Override
          public CompletionResult complete(Completion completion) {
            if (failures.getAndDecrement() > 0) {
              throw dropped("complete");
            }
            return super.complete(completion);
          }
        };
    List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<CompletionResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    Worker worker =
        Worker.builder(flaky, (r, ctx) -> RunOutcome.success())
            .options(fast("blip-complete").build())
            .listener(
                new WorkerListener() {
                  @Override
                  public void completed(Run r, RunOutcome outcome, CompletionResult result) {
                    results.add(result);
                  }

                  @Override
                  public void problem(String what, Exception e) {
                    problems.add(what);
                  }
                })
            .build();
    assertThat(worker.runUntilIdle()).isEqualTo(1);
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(results).singleElement().extracting(CompletionResult::lost).isEqualTo(false);
    assertThat(problems).singleElement().asString().contains("complete run " + run.id());
  }

  @Test
  void a_batched_completion_writes_the_runs_last_events_in_the_same_transaction() throws Exception {
    List<Run> runs = List.of(enqueue("batch-last"), enqueue("batch-last"), enqueue("batch-last"));
    Worker worker =
        Worker.builder(
                queue,
                (r, ctx) -> {
                  ctx.emit(NewEvent.output("stdout", "last words of " + r.id()));
                  return RunOutcome.success();
                })
            .options(fast("batch-last").concurrency(3).completionBatch(10).build())
            .build();
    assertThat(worker.runUntilIdle()).isEqualTo(3);
    for (Run run : runs) {
      assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(queue.events(run.id(), 0, 100))
          .extracting(RunEvent::message)
          .contains("last words of " + run.id());
      // The output and the completion were written by one transaction: the rows carry its id.
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM "
                      + db.schema()
                      + ".run_event_rows WHERE run_id = ? AND kind = 'output'"
                      + " UNION ALL SELECT xmin::text FROM "
                      + db.schema()
                      + ".run_history WHERE id = ?) t")) {
        ps.setLong(1, run.id());
        ps.setLong(2, run.id());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("transactions that wrote run " + run.id()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void a_batched_completion_that_committed_but_lost_its_answer_is_reported_completed()
      throws Exception {
    Run run = enqueue("blip-batch");
    java.util.concurrent.atomic.AtomicBoolean dropAnswer =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    RunQueue flaky =
        new ForwardingQueue(queue) {
          @Override
          public List<CompletionResult> completeAll(String workerId, List<Completion> all) {
            List<CompletionResult> results = super.completeAll(workerId, all);
            if (dropAnswer.getAndSet(false)) {
              throw dropped("complete");
            }
            return results;
          }
        };
    List<CompletionResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    Worker worker =
        Worker.builder(flaky, (r, ctx) -> RunOutcome.success())
            .options(fast("blip-batch").completionBatch(10).build())
            .listener(
                new WorkerListener() {
                  @Override
                  public void completed(Run r, RunOutcome outcome, CompletionResult result) {
                    results.add(result);
                  }
                })
            .build();
    assertThat(worker.runUntilIdle()).isEqualTo(1);
    assertThat(results)
        .singleElement()
        .extracting(CompletionResult::finalStatus)
        .isEqualTo(java.util.Optional.of(RunStatus.SUCCESS));
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void events_that_fail_to_reach_the_database_are_kept_and_written_in_order() throws Exception {
    Run run = enqueue("blip-events");
    java.util.concurrent.atomic.AtomicInteger failures =
        new java.util.concurrent.atomic.AtomicInteger(3);
    RunQueue flaky =
        new ForwardingQueue(queue) {
          @Override
          public boolean appendEvents(Lease lease, List<NewEvent> events) {
            if (failures.getAndDecrement() > 0) {
              throw dropped("append events");
            }
            return super.appendEvents(lease, events);
          }
        };
    Worker worker =
        Worker.builder(
                flaky,
                (r, ctx) -> {
                  for (int i = 0; i < 5; i++) {
                    ctx.emit(NewEvent.output("stdout", "line " + i));
                    Thread.sleep(60);
                  }
                  return RunOutcome.success();
                })
            .options(fast("blip-events").build())
            .build();
    assertThat(worker.runUntilIdle()).isEqualTo(1);
    assertThat(queue.events(run.id(), 0, 100))
        .extracting(RunEvent::message)
        .filteredOn(m -> m != null && m.startsWith("line "))
        .containsExactly("line 0", "line 1", "line 2", "line 3", "line 4");
  }

  @Test
  void a_worker_that_cannot_register_at_start_up_retries_until_the_database_answers()
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger failures =
        new java.util.concurrent.atomic.AtomicInteger(3);
    RunQueue flaky =
        new ForwardingQueue(queue) {
          @Override
          public void registerWorker(String workerId, Collection<String> lanes) {
            if (failures.getAndDecrement() > 0) {
              throw dropped("register the worker");
            }
            super.registerWorker(workerId, lanes);
          }
        };
    Run run = enqueue("blip-start");
    Worker worker =
        Worker.builder(flaky, (r, ctx) -> RunOutcome.success())
            .options(fast("blip-start").build())
            .build();
    assertThat(worker.runUntilIdle()).isEqualTo(1);
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void a_write_is_given_up_once_the_database_retry_is_spent() {
    RunQueue down =
        new ForwardingQueue(queue) {
          @Override
          public void registerWorker(String workerId, Collection<String> lanes) {
            throw dropped("register the worker");
          }
        };
    Worker worker =
        Worker.builder(down, (r, ctx) -> RunOutcome.success())
            .options(fast("blip-down").databaseRetry(Duration.ofMillis(300)).build())
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(worker::runUntilIdle)
        .isInstanceOf(dev.tollgate.core.TollgateException.class)
        .hasMessageContaining("connection refused");
  }

  @Test
  void a_template_run_is_executed_from_the_definition_its_claim_carries_without_reading_it_back()
      throws Exception {
    String definition = "name: hello\nsteps:\n  - name: greet\n    shell: echo hello\n";
    Run run =
        queue
            .enqueue(
                NewRun.builder("hello")
                    .lane("claimed-template")
                    .templateDefinition("a".repeat(64), definition)
                    .build())
            .run();
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    RunQueue counting =
        new ForwardingQueue(queue) {
          @Override
          public java.util.Optional<String> templateDefinition(String sha256) {
            reads.incrementAndGet();
            return super.templateDefinition(sha256);
          }
        };
    // An empty catalog: without the recorded definition the run could not start.
    Worker worker =
        Worker.builder(
                counting,
                new dev.tollgate.core.runs.exec.TemplateRunExecutor(
                    dev.tollgate.core.runs.template.TemplateCatalog.of(List.of())))
            .options(fast("claimed-template").build())
            .build();
    assertThat(worker.runUntilIdle()).isEqualTo(1);
    assertThat(reads).hasValue(0);
    Run done = queue.find(run.id()).orElseThrow();
    assertThat(done.status()).as(String.valueOf(done.message())).isEqualTo(RunStatus.SUCCESS);
    assertThat(queue.steps(run.id()))
        .singleElement()
        .satisfies(
            step -> {
              assertThat(step.name()).isEqualTo("greet");
              assertThat(step.status()).isEqualTo("success");
              assertThat(step.attempt()).isEqualTo(1);
            });
  }

  /** A template run whose first attempt fails (or times out) and whose later ones succeed. */
  private static Run flaky(String lane, String hash, String retryOn, String firstAttempt)
      throws Exception {
    java.nio.file.Path marker =
        java.nio.file.Files.createTempDirectory("flaky").resolve("tried-once");
    String definition =
        "name: flaky\n"
            + retryOn
            + "steps:\n  - name: try\n    timeout: 2s\n"
            + "    shell: 'if [ -e \"$M\" ]; then exit 0; fi; touch \"$M\"; "
            + firstAttempt
            + "'\n    env:\n      M: '"
            + marker
            + "'\n";
    return queue
        .enqueue(
            NewRun.builder("flaky")
                .lane(lane)
                .maxAttempts(3)
                .backoff(Duration.ZERO, Duration.ZERO)
                .templateDefinition(hash, definition)
                .build())
        .run();
  }

  private static Worker templateWorker(String lane) {
    return Worker.builder(
            queue,
            new dev.tollgate.core.runs.exec.TemplateRunExecutor(
                dev.tollgate.core.runs.template.TemplateCatalog.of(List.of())))
        .options(fast(lane).build())
        .build();
  }

  @Test
  void without_retry_on_a_failed_step_ends_the_run_at_its_first_attempt() throws Exception {
    Run run = flaky("no-retry-on", "c".repeat(64), "", "exit 1");

    assertThat(templateWorker("no-retry-on").runUntilIdle()).isEqualTo(1);

    Run done = queue.find(run.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.ERROR);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.message()).isEqualTo("step try failed: exit code 1");
  }

  @Test
  void a_failure_retry_on_names_is_tried_again_and_the_run_succeeds_on_the_next_attempt()
      throws Exception {
    Run run = flaky("retry-on-error", "d".repeat(64), "retry_on: [error]\n", "exit 1");

    assertThat(templateWorker("retry-on-error").runUntilIdle()).isEqualTo(2);

    Run done = queue.find(run.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(queue.events(run.id(), 0, 100))
        .filteredOn(e -> e.kind().equals("retrying"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("step try failed: exit code 1");
              assertThat(e.data().get("attempts_used").asInt()).isEqualTo(1);
              assertThat(e.data().get("max_attempts").asInt()).isEqualTo(3);
            });
  }

  @Test
  void a_timeout_is_tried_again_only_when_retry_on_names_timeout() throws Exception {
    Run errorOnly = flaky("timeout-not-named", "e".repeat(64), "retry_on: [error]\n", "sleep 30");
    Run timeout = flaky("timeout-named", "f".repeat(64), "retry_on: [timeout]\n", "sleep 30");

    templateWorker("timeout-not-named").runUntilIdle();
    templateWorker("timeout-named").runUntilIdle();

    Run notRetried = queue.find(errorOnly.id()).orElseThrow();
    assertThat(notRetried.status()).isEqualTo(RunStatus.ERROR);
    assertThat(notRetried.attempt()).isEqualTo(1);
    assertThat(notRetried.message()).startsWith("step try timed out");
    Run retried = queue.find(timeout.id()).orElseThrow();
    assertThat(retried.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(retried.attempt()).isEqualTo(2);
  }

  @Test
  void a_run_that_keeps_failing_ends_in_error_when_its_attempts_are_used() throws Exception {
    String definition =
        "name: broken\nretry_on: [error, timeout]\nsteps:\n  - name: fail\n    shell: exit 3\n";
    Run run =
        queue
            .enqueue(
                NewRun.builder("broken")
                    .lane("retry-exhausted")
                    .maxAttempts(2)
                    .backoff(Duration.ZERO, Duration.ZERO)
                    .templateDefinition("9".repeat(64), definition)
                    .build())
            .run();

    assertThat(templateWorker("retry-exhausted").runUntilIdle()).isEqualTo(2);

    Run done = queue.find(run.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.ERROR);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.message()).isEqualTo("step fail failed: exit code 3");
  }

  @Test
  void a_template_run_over_its_timeout_is_stopped_by_its_worker_and_ends_in_error()
      throws Exception {
    String definition = "name: slow\nsteps:\n  - name: nap\n    shell: sleep 30\n";
    Run run =
        queue
            .enqueue(
                NewRun.builder("slow")
                    .lane("run-timeout")
                    .timeout(Duration.ofSeconds(1))
                    .templateDefinition("b".repeat(64), definition)
                    .build())
            .run();
    Worker worker =
        Worker.builder(
                queue,
                new dev.tollgate.core.runs.exec.TemplateRunExecutor(
                    dev.tollgate.core.runs.template.TemplateCatalog.of(List.of())))
            .options(fast("run-timeout").build())
            .build();
    assertThat(worker.runUntilIdle()).isEqualTo(1);
    Run done = queue.find(run.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.ERROR);
    assertThat(done.message()).startsWith("run timed out after");
    // The worker's stop and the step's limit (what was left of the run's time) fall together.
    assertThat(queue.steps(run.id()))
        .singleElement()
        .extracting(RunStep::status)
        .isIn("timeout", "cancelled");
  }

  /** What the JDBC queue throws when its connection is gone. */
  private static dev.tollgate.core.TollgateException dropped(String what) {
    return new dev.tollgate.core.TollgateException(
        dev.tollgate.core.TollgateException.Kind.COULD_NOT_FINISH,
        "could not " + what + ": connection refused",
        new java.sql.SQLTransientConnectionException("connection refused", "08001"));
  }

  private static long countSuccess(String lane) {
    return queue.list(new RunFilter(RunStatus.SUCCESS, lane, null, null, null, 1000)).size();
  }

  /** A queue whose notifications never arrive, as if the listening connection were dead. */
  private static final class DeafQueue extends ForwardingQueue {
    DeafQueue(RunQueue delegate) {
      super(delegate);
    }

    @Override
    public AutoCloseable listen(Consumer<String> onRunnable, LongConsumer onCancel) {
      return () -> {};
    }
  }

  /** Forwards everything to another queue. */
  abstract static class ForwardingQueue implements RunQueue {
    private final RunQueue d;

    ForwardingQueue(RunQueue delegate) {
      this.d = delegate;
    }

    @Override
    public Enqueued enqueue(NewRun run) {
      return d.enqueue(run);
    }

    @Override
    public List<Run> claim(String workerId, Collection<String> lanes, int limit) {
      return d.claim(workerId, lanes, limit);
    }

    @Override
    public Heartbeat heartbeat(Lease lease) {
      return d.heartbeat(lease);
    }

    @Override
    public java.util.Map<Long, Heartbeat> heartbeat(String workerId, Collection<Lease> leases) {
      return d.heartbeat(workerId, leases);
    }

    @Override
    public List<RunStep> steps(long runId) {
      return d.steps(runId);
    }

    @Override
    public CompletionResult complete(Completion completion) {
      return d.complete(completion);
    }

    @Override
    public List<CompletionResult> completeAll(String workerId, List<Completion> completions) {
      return d.completeAll(workerId, completions);
    }

    @Override
    public boolean release(Lease lease) {
      return d.release(lease);
    }

    @Override
    public CancelResult cancel(long runId, String reason) {
      return d.cancel(runId, reason);
    }

    @Override
    public Run retry(long runId) {
      return d.retry(runId);
    }

    @Override
    public boolean appendEvents(Lease lease, List<NewEvent> events) {
      return d.appendEvents(lease, events);
    }

    @Override
    public List<SweepDecision> sweep(Duration staleAfter, int limit) {
      return d.sweep(staleAfter, limit);
    }

    @Override
    public java.util.Optional<Run> find(long runId) {
      return d.find(runId);
    }

    @Override
    public java.util.Optional<String> templateDefinition(String sha256) {
      return d.templateDefinition(sha256);
    }

    @Override
    public List<Run> list(RunFilter filter) {
      return d.list(filter);
    }

    @Override
    public java.util.Map<String, Run> lastFinished(java.util.Collection<String> lanes) {
      return d.lastFinished(lanes);
    }

    @Override
    public List<RunEvent> events(long runId, int afterSeq, int limit) {
      return d.events(runId, afterSeq, limit);
    }

    @Override
    public boolean putArtifact(Lease lease, String name, byte[] content) {
      return d.putArtifact(lease, name, content);
    }

    @Override
    public List<Artifact> artifacts(long runId) {
      return d.artifacts(runId);
    }

    @Override
    public java.util.Optional<byte[]> artifactContent(long runId, String name) {
      return d.artifactContent(runId, name);
    }

    @Override
    public String manifest(long runId) {
      return d.manifest(runId);
    }

    @Override
    public QueueStats stats() {
      return d.stats();
    }

    @Override
    public AutoCloseable listen(Consumer<String> onRunnable, LongConsumer onCancel) {
      return d.listen(onRunnable, onCancel);
    }

    @Override
    public void registerWorker(String workerId, Collection<String> lanes) {
      d.registerWorker(workerId, lanes);
    }

    @Override
    public void unregisterWorker(String workerId) {
      d.unregisterWorker(workerId);
    }
  }
}
