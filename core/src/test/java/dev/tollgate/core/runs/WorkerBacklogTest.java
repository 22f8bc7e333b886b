package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker with a backlog claims its next runs in its completions' transactions, one durable commit
 * per run, and never holds more runs than its slots and prefetch allow. Against a real PostgreSQL;
 * each test uses its own lane.
 */
class WorkerBacklogTest {

  private static Database db;
  private static RunQueue queue;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("backlog", 8);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static List<Long> enqueue(String lane, int count) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(queue.enqueue(NewRun.builder("noop").lane(lane).build()).run().id());
    }
    return ids;
  }

  @Test
  void a_worker_with_a_backlog_claims_each_next_run_in_the_previous_runs_completion()
      throws Exception {
    List<Long> ids = enqueue("backlog-one", 5);
    Worker worker =
        Worker.builder(queue, (run, ctx) -> RunOutcome.success())
            .options(
                WorkerOptions.builder()
                    .lanes(List.of("backlog-one"))
                    .concurrency(1)
                    .prefetch(0)
                    .sweep(false)
                    .build())
            .build();

    assertThat(worker.runUntilIdle()).isEqualTo(5);

    List<Run> runs = ids.stream().map(id -> queue.find(id).orElseThrow()).toList();
    assertThat(runs).extracting(Run::status).containsOnly(RunStatus.SUCCESS);
    assertThat(runs).extracting(Run::attempt).containsOnly(1);
    // now() is the transaction's start: each run after the first started in the transaction that
    // finished the one before it.
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).startedAt())
          .as("start of run %d", i + 1)
          .isEqualTo(runs.get(i - 1).finishedAt());
    }
  }

  @Test
  void claims_riding_on_completions_never_hold_more_than_the_slots_and_the_prefetch()
      throws Exception {
    String lane = "backlog-bound";
    enqueue(lane, 40);
    String workerId = "bound-worker";
    AtomicInteger most = new AtomicInteger();
    Worker worker =
        Worker.builder(
                queue,
                (run, ctx) -> {
                  int held =
                      queue
                          .list(new RunFilter(RunStatus.RUNNING, lane, null, null, null, 100))
                          .size();
                  most.accumulateAndGet(held, Math::max);
                  return RunOutcome.success();
                })
            .options(
                WorkerOptions.builder()
                    .workerId(workerId)
                    .lanes(List.of(lane))
                    .concurrency(3)
                    .prefetch(2)
                    .sweep(false)
                    .build())
            .build();

    assertThat(worker.runUntilIdle()).isEqualTo(40);

    assertThat(most.get()).isBetween(1, 5);
    List<Run> done = queue.list(new RunFilter(RunStatus.SUCCESS, lane, null, null, null, 100));
    assertThat(done).hasSize(40);
    assertThat(done.stream().max(Comparator.comparingInt(Run::attempt)).orElseThrow().attempt())
        .isEqualTo(1);
  }
}
