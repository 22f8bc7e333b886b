package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /** Forwards to the queue, holding each completion until {@code hold} lets it through. */
  private static final class HeldCompletions extends WorkerTest.ForwardingQueue {
    private final java.util.function.Consumer<Completion> hold;

    HeldCompletions(java.util.function.Consumer<Completion> hold) {
      super(queue);
      this.hold = hold;
    }

    @Override
    public CompletedAndClaimed completeAndClaim(
        Completion completion, List<NewEvent> events, Collection<String> lanes, int limit) {
      hold.accept(completion);
      return queue.completeAndClaim(completion, events, lanes, limit);
    }

    @Override
    public boolean appendEventsUnflushed(Lease lease, List<NewEvent> events) {
      return queue.appendEventsUnflushed(lease, events);
    }
  }

  @Test
  void the_next_run_starts_while_the_completion_of_the_one_before_it_commits() throws Exception {
    String lane = "backlog-overlap";
    List<Long> ids = enqueue(lane, 3);
    CountDownLatch secondStarted = new CountDownLatch(1);
    AtomicBoolean overlapped = new AtomicBoolean();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    RunQueue held =
        new HeldCompletions(
            completion -> {
              if (completion.lease().runId() == ids.get(0)) {
                try {
                  // With the completion in the run's slot, the second run could not start.
                  overlapped.set(secondStarted.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    Worker worker =
        Worker.builder(
                held,
                (run, ctx) -> {
                  if (started.incrementAndGet() == 2) {
                    secondStarted.countDown();
                  }
                  most.accumulateAndGet(
                      queue
                          .list(new RunFilter(RunStatus.RUNNING, lane, null, null, null, 100))
                          .size(),
                      Math::max);
                  return RunOutcome.success();
                })
            .options(
                WorkerOptions.builder().lanes(List.of(lane)).concurrency(1).sweep(false).build())
            .build();

    assertThat(worker.runUntilIdle()).isEqualTo(3);

    assertThat(overlapped).isTrue();
    // Finished but not yet completed, the first run still counts: a slot and a prefetch of one.
    assertThat(most.get()).isBetween(1, 2);
    assertThat(ids.stream().map(id -> queue.find(id).orElseThrow().status()))
        .containsOnly(RunStatus.SUCCESS);
  }

  @Test
  void with_a_prefetch_each_completion_claims_a_run_so_the_next_one_is_always_at_hand()
      throws Exception {
    String lane = "backlog-topup";
    List<Long> ids = enqueue(lane, 6);
    Worker worker =
        Worker.builder(
                queue,
                (run, ctx) -> {
                  Thread.sleep(100);
                  return RunOutcome.success();
                })
            .options(
                WorkerOptions.builder()
                    .lanes(List.of(lane))
                    .concurrency(1)
                    .prefetch(1)
                    .sweep(false)
                    .build())
            .build();

    assertThat(worker.runUntilIdle()).isEqualTo(6);

    List<Run> runs = ids.stream().map(id -> queue.find(id).orElseThrow()).toList();
    assertThat(runs).extracting(Run::status).containsOnly(RunStatus.SUCCESS);
    // The first two came with the first claim; each later one was claimed on its own in the
    // transaction that completed an earlier run (now() is the transaction's start), while another
    // ran: a completion that waited for the prefetched run to go first would claim two at once.
    List<java.time.Instant> completions = runs.stream().map(Run::finishedAt).toList();
    List<java.time.Instant> claims =
        runs.subList(2, runs.size()).stream().map(Run::startedAt).toList();
    assertThat(completions).containsAll(claims);
    assertThat(claims).doesNotHaveDuplicates();
  }

  @Test
  void a_worker_that_stops_commits_the_completions_still_under_way_first() throws Exception {
    String lane = "backlog-stop";
    long id = enqueue(lane, 1).get(0);
    CountDownLatch executed = new CountDownLatch(1);
    Map<Long, Boolean> holding = new ConcurrentHashMap<>();
    RunQueue slow =
        new HeldCompletions(
            completion -> {
              holding.put(completion.lease().runId(), true);
              try {
                Thread.sleep(500);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Worker worker =
        Worker.builder(
                slow,
                (run, ctx) -> {
                  executed.countDown();
                  return RunOutcome.success();
                })
            .options(
                WorkerOptions.builder()
                    .lanes(List.of(lane))
                    .concurrency(1)
                    .pollInterval(java.time.Duration.ofMillis(50))
                    .sweep(false)
                    .build())
            .build();
    worker.start();
    assertThat(executed.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);

    worker.shutdown();

    assertThat(holding).containsKey(id);
    assertThat(queue.find(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(worker.executedCount()).isEqualTo(1);
  }
}
