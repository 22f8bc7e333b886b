package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue's contract, against a real PostgreSQL. Each test uses its own lane. */
class RunQueueContractTest {

  private static Database db;
  private static RunQueue queue;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("contract", 8);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static Run enqueue(String lane) {
    return queue.enqueue(NewRun.builder("noop").lane(lane).build()).run();
  }

  private void backdateHeartbeat(long runId) {
    TestDatabase.execute(
        db.dataSource(),
        "UPDATE "
            + db.schema()
            + ".runs SET heartbeat_at = now() - interval '1 hour' WHERE id = "
            + runId);
  }

  @Test
  void enqueued_run_is_queued_with_its_parameters_and_defaults() {
    ObjectNode params = JSON.createObjectNode().put("service", "api").put("replicas", 3);
    Run run = queue.enqueue(NewRun.builder("restart").lane("enqueue").params(params).build()).run();
    assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(run.params()).isEqualTo(params);
    assertThat(run.attempt()).isZero();
    assertThat(run.maxAttempts()).isEqualTo(3);
    assertThat(run.backoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(queue.events(run.id(), 0, 10))
        .extracting(RunEvent::kind)
        .containsExactly("enqueued");
  }

  @Test
  void list_pages_by_keyset_newest_first_without_gaps_or_repeats() {
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(enqueue("pages").id());
    }
    java.util.Collections.reverse(ids);
    RunFilter first = new RunFilter(null, "pages", null, null, null, 3);
    List<Run> page1 = queue.list(first);
    List<Run> page2 = queue.list(first.after(page1.get(2).id()));
    enqueue("pages"); // a new run does not shift the pages already handed out
    List<Run> page3 = queue.list(first.after(page2.get(2).id()));
    assertThat(page1).extracting(Run::id).containsExactlyElementsOf(ids.subList(0, 3));
    assertThat(page2).extracting(Run::id).containsExactlyElementsOf(ids.subList(3, 6));
    assertThat(page3).extracting(Run::id).containsExactlyElementsOf(ids.subList(6, 7));
  }

  @Test
  void last_finished_gives_each_lanes_newest_finished_run_and_skips_lanes_without_one() {
    enqueue("last-a");
    enqueue("last-a");
    Run first = queue.claim("w1", List.of("last-a"), 1).get(0);
    queue.complete(new Completion(first.lease(), RunStatus.SUCCESS, null));
    Run second = queue.claim("w1", List.of("last-a"), 1).get(0);
    queue.complete(new Completion(second.lease(), RunStatus.ERROR, "exit 1"));
    enqueue("last-a");
    enqueue("last-b");

    java.util.Map<String, Run> last = queue.lastFinished(List.of("last-a", "last-b", "last-c"));

    assertThat(last).containsOnlyKeys("last-a");
    assertThat(last.get("last-a").id()).isEqualTo(second.id());
    assertThat(last.get("last-a").status()).isEqualTo(RunStatus.ERROR);
    assertThat(queue.lastFinished(List.of())).isEmpty();
  }

  @Test
  void list_until_excludes_runs_created_at_or_after_the_bound() {
    Run old = enqueue("until");
    TestDatabase.execute(
        db.dataSource(),
        "UPDATE "
            + db.schema()
            + ".runs SET created_at = now() - interval '2 hours' WHERE id = "
            + old.id());
    enqueue("until");
    java.time.Instant hourAgo = java.time.Instant.now().minus(Duration.ofHours(1));
    assertThat(queue.list(new RunFilter(null, "until", null, null, null, 10, hourAgo, null)))
        .extracting(Run::id)
        .containsExactly(old.id());
  }

  @Test
  void same_idempotency_key_returns_the_live_run_and_is_freed_when_it_finishes() {
    NewRun first = NewRun.builder("deploy").lane("idem").idempotencyKey("pr-42").build();
    Enqueued a = queue.enqueue(first);
    Enqueued b = queue.enqueue(first);
    assertThat(a.created()).isTrue();
    assertThat(b.created()).isFalse();
    assertThat(b.run().id()).isEqualTo(a.run().id());

    Run claimed = queue.claim("w1", List.of("idem"), 1).get(0);
    queue.complete(new Completion(claimed.lease(), RunStatus.SUCCESS, null));
    Enqueued c = queue.enqueue(first);
    assertThat(c.created()).isTrue();
    assertThat(c.run().id()).isNotEqualTo(a.run().id());
  }

  @Test
  void concurrent_enqueues_with_one_idempotency_key_make_one_run() throws Exception {
    int threads = 8;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    List<java.util.concurrent.Future<Enqueued>> results = new java.util.ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return queue.enqueue(
                    NewRun.builder("deploy").lane("idem-race").idempotencyKey("same").build());
              }));
    }
    java.util.Set<Long> ids = new java.util.HashSet<>();
    int created = 0;
    for (var f : results) {
      Enqueued e = f.get(30, TimeUnit.SECONDS);
      ids.add(e.run().id());
      created += e.created() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(ids).hasSize(1);
    assertThat(created).isEqualTo(1);
    assertThat(queue.list(new RunFilter(null, "idem-race", null, null, null, 10))).hasSize(1);
  }

  @Test
  void claim_respects_its_limit_and_orders_by_priority_then_fifo() {
    Run low1 = enqueue("order");
    Run high = queue.enqueue(NewRun.builder("noop").lane("order").priority(5).build()).run();
    Run low2 = enqueue("order");
    Run low3 = enqueue("order");

    List<Run> first = queue.claim("w1", List.of("order"), 2);
    assertThat(first).extracting(Run::id).containsExactly(high.id(), low1.id());
    List<Run> rest = queue.claim("w1", List.of("order"), 10);
    assertThat(rest).extracting(Run::id).containsExactly(low2.id(), low3.id());
    assertThat(rest).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.RUNNING));
  }

  @Test
  void a_claim_hands_over_the_template_definition_each_run_was_enqueued_with() {
    String definition = "name: handed\nsteps:\n  - name: s\n    shell: 'true'\n";
    Run recorded =
        queue
            .enqueue(
                NewRun.builder("handed")
                    .lane("handover")
                    .templateDefinition("c".repeat(64), definition)
                    .build())
            .run();
    Run plain = enqueue("handover");
    assertThat(recorded.templateDefinition()).isNull();

    List<Run> claimed = queue.claim("w1", List.of("handover"), 10);
    assertThat(claimed).extracting(Run::id).containsExactly(recorded.id(), plain.id());
    assertThat(claimed.get(0).templateDefinition()).isEqualTo(definition);
    assertThat(claimed.get(1).templateDefinition()).isNull();
    // Other reads leave the text out: lists stay small.
    assertThat(queue.find(recorded.id()).orElseThrow().templateDefinition()).isNull();
  }

  @Test
  void claim_respects_its_limit_under_forced_nested_loop_plans() throws Exception {
    for (int i = 0; i < 10; i++) {
      enqueue("nested");
    }
    try (Connection c = db.dataSource().getConnection()) {
      try (var st = c.createStatement()) {
        st.execute("SET enable_hashjoin = off");
        st.execute("SET enable_mergejoin = off");
        st.execute("SET enable_seqscan = off");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*) FROM " + db.schema() + ".claim_runs('w', ARRAY['nested'], 2)")) {
        var rs = ps.executeQuery();
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
      try (var st = c.createStatement()) {
        st.execute("RESET ALL");
      }
    }
    assertThat(queue.list(new RunFilter(RunStatus.RUNNING, "nested", null, null, null, 100)))
        .hasSize(2);
  }

  @Test
  void concurrent_claimers_never_share_a_run_and_leave_none_behind() throws Exception {
    int runs = 1_000;
    for (int i = 0; i < runs; i++) {
      enqueue("claim-race");
    }
    List<Long> all = new java.util.ArrayList<>();
    // Half the claimers send the client's statement, half call claim_runs as psql would.
    for (List<Long> mine :
        race(
            8,
            i -> {
              List<Long> got = new java.util.ArrayList<>();
              while (true) {
                List<Long> next = claimOne(i, "racer-" + i, List.of("claim-race"), 7);
                if (next.isEmpty()) {
                  return got;
                }
                got.addAll(next);
              }
            })) {
      all.addAll(mine);
    }
    assertThat(all).hasSize(runs).doesNotHaveDuplicates();
    assertThat(queue.list(new RunFilter(RunStatus.QUEUED, "claim-race", null, null, null, 10)))
        .isEmpty();
    // Each run's one claim is recorded for the worker that got it.
    Run one = queue.find(all.get(0)).orElseThrow();
    assertThat(one.attempt()).isEqualTo(1);
    assertThat(queue.events(one.id(), 0, 10))
        .extracting(RunEvent::kind)
        .containsExactly("enqueued", "claimed");
  }

  @Test
  void a_claim_never_comes_back_short_while_runs_wait_however_many_claimers_race()
      throws Exception {
    int runs = 2_000;
    for (int i = 0; i < runs; i++) {
      enqueue("claim-short");
    }
    java.util.concurrent.atomic.AtomicInteger claimed =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Integer> empty =
        race(
            4,
            i -> {
              int empties = 0;
              // Stop at half: until then, at least 1,000 runs wait in the lane.
              while (claimed.get() < runs / 2) {
                int got = claimOne(i, "short-" + i, List.of("claim-short"), 1).size();
                empties += got == 0 ? 1 : 0;
                claimed.addAndGet(got);
              }
              return empties;
            });
    // A run another claim took after this claim's snapshot is passed by, not counted.
    assertThat(empty).as("claims that came back empty while runs waited").containsOnly(0);
  }

  /**
   * Schema 16: claims over several lanes merge the lanes' reads; racing, they still hand each run
   * to one claimer and leave none behind, through the client's statement and {@code claim_runs}.
   */
  @Test
  void concurrent_claimers_of_several_lanes_never_share_a_run_and_leave_none_behind()
      throws Exception {
    List<String> lanes = List.of("multi-race-a", "multi-race-b", "multi-race-c");
    int runs = 900;
    for (int i = 0; i < runs; i++) {
      enqueue(lanes.get(i % lanes.size()));
    }
    List<Long> all = new java.util.ArrayList<>();
    for (List<Long> mine :
        race(
            6,
            i -> {
              List<Long> got = new java.util.ArrayList<>();
              // Each claimer names the lanes in an order of its own.
              List<String> mineLanes = new java.util.ArrayList<>(lanes);
              java.util.Collections.rotate(mineLanes, i);
              while (true) {
                List<Long> next = claimOne(i, "multi-" + i, mineLanes, 1 + i * 3);
                if (next.isEmpty()) {
                  return got;
                }
                got.addAll(next);
              }
            })) {
      all.addAll(mine);
    }
    assertThat(all).hasSize(runs).doesNotHaveDuplicates();
    for (String lane : lanes) {
      assertThat(queue.list(new RunFilter(RunStatus.QUEUED, lane, null, null, null, 10))).isEmpty();
    }
  }

  /** One claim by claimer {@code i}: the even ones call claim_runs, the odd ones the client. */
  private static List<Long> claimOne(int i, String worker, List<String> lanes, int limit)
      throws Exception {
    return i % 2 == 0
        ? claimBySql(worker, lanes, limit)
        : queue.claim(worker, lanes, limit).stream().map(Run::id).toList();
  }

  /** What {@code body} returns on each of {@code threads} threads started together. */
  private static <T> List<T> race(int threads, RaceBody<T> body) throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      List<java.util.concurrent.Future<T>> results = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return body.run(index);
                }));
      }
      List<T> out = new java.util.ArrayList<>();
      for (var f : results) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The work of one racing thread, given its index. */
  private interface RaceBody<T> {
    T run(int index) throws Exception;
  }

  private static List<Long> claimBySql(String worker, List<String> lanes, int limit)
      throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM " + db.schema() + ".claim_runs(?, ?, ?) ORDER BY id")) {
      ps.setString(1, worker);
      ps.setArray(2, c.createArrayOf("text", lanes.toArray()));
      ps.setInt(3, limit);
      List<Long> got = new java.util.ArrayList<>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          got.add(rs.getLong(1));
        }
      }
      return got;
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60) // a claim that waited for the open one would never return
  void a_claim_skips_the_runs_an_open_claim_holds_and_gets_them_when_it_rolls_back()
      throws Exception {
    List<Long> runs = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(enqueue("claim-open").id());
    }
    try (Connection open = db.dataSource().getConnection()) {
      open.setAutoCommit(false);
      List<Long> held = new java.util.ArrayList<>();
      try (PreparedStatement ps =
          open.prepareStatement(
              "SELECT id FROM "
                  + db.schema()
                  + ".claim_runs('holder', ARRAY['claim-open'], 2) ORDER BY id")) {
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            held.add(rs.getLong(1));
          }
        }
      }
      assertThat(held).containsExactly(runs.get(0), runs.get(1));
      // Not committed: another claimer passes those two by, without waiting for them.
      assertThat(queue.claim("other", List.of("claim-open"), 10))
          .extracting(Run::id)
          .containsExactly(runs.get(2), runs.get(3), runs.get(4));
      open.rollback();
    }
    assertThat(queue.claim("third", List.of("claim-open"), 10))
        .extracting(Run::id, Run::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(runs.get(0), 1),
            org.assertj.core.groups.Tuple.tuple(runs.get(1), 1));
  }

  @Test
  void a_run_starts_at_its_first_claim_and_its_claim_counts_as_a_heartbeat_until_the_first() {
    Run run = enqueue("claim-times");
    assertThat(run.startedAt()).isNull();
    assertThat(run.heartbeatAt()).isNull();
    Run first = queue.claim("w1", List.of("claim-times"), 1).get(0);
    assertThat(first.startedAt()).isNotNull();
    assertThat(first.heartbeatAt()).isEqualTo(first.startedAt());
    assertThat(queue.find(run.id()).orElseThrow().heartbeatAt()).isEqualTo(first.startedAt());

    assertThat(queue.heartbeat(first.lease())).isEqualTo(Heartbeat.OK);
    Run beating = queue.find(run.id()).orElseThrow();
    assertThat(beating.heartbeatAt()).isAfter(first.startedAt());
    assertThat(beating.startedAt()).isEqualTo(first.startedAt());

    // Back in the queue: no heartbeat, the first start kept; a second claim does not move it.
    assertThat(queue.release(first.lease())).isTrue();
    Run back = queue.find(run.id()).orElseThrow();
    assertThat(back.startedAt()).isEqualTo(first.startedAt());
    assertThat(back.heartbeatAt()).isNull();
    Run second = queue.claim("w2", List.of("claim-times"), 1).get(0);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.startedAt()).isEqualTo(first.startedAt());
    assertThat(second.heartbeatAt()).isAfter(beating.heartbeatAt());

    queue.complete(new Completion(second.lease(), RunStatus.SUCCESS, null));
    Run done = queue.find(run.id()).orElseThrow();
    assertThat(done.startedAt()).isEqualTo(first.startedAt());
    assertThat(done.heartbeatAt()).isEqualTo(second.heartbeatAt());
  }

  @Test
  void a_run_whose_worker_died_before_its_first_heartbeat_is_swept_by_its_claims_age() {
    Run run = enqueue("claim-only");
    Run claimed = queue.claim("gone", List.of("claim-only"), 1).get(0);
    assertThat(queue.sweep(Duration.ofMinutes(10), 100)).noneMatch(d -> d.runId() == run.id());
    TestDatabase.execute(
        db.dataSource(),
        "UPDATE "
            + db.schema()
            + ".runs SET claimed_at = now() - interval '1 hour' WHERE id = "
            + claimed.id());
    assertThat(queue.sweep(Duration.ofMinutes(10), 100))
        .filteredOn(d -> d.runId() == run.id())
        .hasSize(1);
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
  }

  @Test
  void a_worker_only_gets_runs_from_its_lanes() {
    enqueue("lane-a");
    Run b = enqueue("lane-b");
    assertThat(queue.claim("w", List.of("lane-c"), 10)).isEmpty();
    assertThat(queue.claim("w", List.of("lane-b"), 10)).extracting(Run::id).containsExactly(b.id());
  }

  @Test
  void heartbeat_reports_ok_then_cancel_requested() {
    enqueue("beat");
    Run run = queue.claim("w1", List.of("beat"), 1).get(0);
    assertThat(queue.heartbeat(run.lease())).isEqualTo(Heartbeat.OK);
    assertThat(queue.cancel(run.id(), "operator")).isEqualTo(CancelResult.CANCEL_REQUESTED);
    assertThat(queue.heartbeat(run.lease())).isEqualTo(Heartbeat.CANCEL_REQUESTED);
  }

  @Test
  void a_late_success_after_cancel_loses() {
    enqueue("late");
    Run run = queue.claim("w1", List.of("late"), 1).get(0);
    queue.cancel(run.id(), "stop it");
    CompletionResult result =
        queue.complete(new Completion(run.lease(), RunStatus.SUCCESS, "done anyway"));
    assertThat(result.finalStatus()).contains(RunStatus.CANCELLED);
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
  }

  @Test
  void complete_and_claim_completes_the_run_and_claims_the_next_in_the_same_transaction() {
    Run first = enqueue("complete-claim");
    Run second = enqueue("complete-claim");
    Run third = enqueue("complete-claim");
    Run running = queue.claim("w1", List.of("complete-claim"), 1).get(0);
    assertThat(running.id()).isEqualTo(first.id());

    CompletedAndClaimed result =
        queue.completeAndClaim(
            new Completion(running.lease(), RunStatus.SUCCESS, "ok"),
            List.of(NewEvent.output("stdout", "last line")),
            List.of("complete-claim"),
            5);

    assertThat(result.completion().finalStatus()).contains(RunStatus.SUCCESS);
    assertThat(result.claimed()).extracting(Run::id).containsExactly(second.id(), third.id());
    assertThat(result.claimed()).extracting(Run::workerId).containsOnly("w1");
    assertThat(result.claimed()).extracting(Run::attempt).containsOnly(1);
    Run done = queue.find(first.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.SUCCESS);
    // now() is the transaction's start: one transaction finished the first and started the rest.
    assertThat(result.claimed()).extracting(Run::startedAt).containsOnly(done.finishedAt());
    assertThat(queue.events(first.id(), 0, 10))
        .extracting(RunEvent::kind)
        .containsExactly("enqueued", "claimed", "output", "completed");
  }

  @Test
  void complete_and_claim_with_a_lost_lease_completes_nothing_and_still_claims() {
    Run stale = enqueue("complete-claim-lost");
    Run waiting = enqueue("complete-claim-lost");
    Run running = queue.claim("w1", List.of("complete-claim-lost"), 1).get(0);
    assertThat(running.id()).isEqualTo(stale.id());
    Lease otherWorker = new Lease(running.id(), running.attempt(), "w2");

    CompletedAndClaimed result =
        queue.completeAndClaim(
            new Completion(otherWorker, RunStatus.SUCCESS, null),
            List.of(NewEvent.output("stdout", "from another worker")),
            List.of("complete-claim-lost"),
            1);

    assertThat(result.completion().lost()).isTrue();
    assertThat(result.claimed()).extracting(Run::id).containsExactly(waiting.id());
    assertThat(queue.find(stale.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(queue.events(stale.id(), 0, 10))
        .extracting(RunEvent::kind)
        .containsExactly("enqueued", "claimed");
  }

  @Test
  void complete_and_claim_is_one_transaction_so_a_failing_claim_leaves_the_run_running() {
    enqueue("complete-claim-atomic");
    Run running = queue.claim("w1", List.of("complete-claim-atomic"), 1).get(0);

    // PostgreSQL refuses a NUL character in text: the claim, the last statement, fails.
    assertThatThrownBy(
            () ->
                queue.completeAndClaim(
                    new Completion(running.lease(), RunStatus.SUCCESS, "ok"),
                    List.of(NewEvent.output("stdout", "last line")),
                    List.of("complete-claim-atomic", "no\u0000lane"),
                    2))
        .isInstanceOf(TollgateException.class);

    assertThat(queue.find(running.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(queue.events(running.id(), 0, 10))
        .extracting(RunEvent::kind)
        .containsExactly("enqueued", "claimed");
    assertThat(
            queue
                .completeAndClaim(
                    new Completion(running.lease(), RunStatus.SUCCESS, "ok"),
                    List.of(NewEvent.output("stdout", "last line")),
                    List.of("complete-claim-atomic"),
                    2)
                .completion()
                .finalStatus())
        .contains(RunStatus.SUCCESS);
  }

  @Test
  void complete_and_claim_cancels_a_run_whose_cancel_was_requested() {
    enqueue("complete-claim-cancel");
    Run running = queue.claim("w1", List.of("complete-claim-cancel"), 1).get(0);
    queue.cancel(running.id(), "stop it");

    CompletedAndClaimed result =
        queue.completeAndClaim(
            new Completion(running.lease(), RunStatus.SUCCESS, "done anyway"),
            List.of(),
            List.of("complete-claim-cancel"),
            3);

    assertThat(result.completion().finalStatus()).contains(RunStatus.CANCELLED);
    assertThat(result.claimed()).isEmpty();
    assertThat(queue.find(running.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    // The audit trail keeps what the worker reported next to the status the cancel imposed.
    assertThat(queue.events(running.id(), 0, 10))
        .filteredOn(e -> e.kind().equals("completed"))
        .extracting(
            e -> e.data().path("status").asText() + " " + e.data().path("reported").asText())
        .containsExactly("cancelled success");
  }

  @Test
  void the_completed_event_tells_the_status_the_worker_reported() {
    enqueue("reported");
    enqueue("reported");
    List<Run> runs = queue.claim("w1", List.of("reported"), 2);
    queue.complete(new Completion(runs.get(0).lease(), RunStatus.SUCCESS, null));
    queue.complete(new Completion(runs.get(1).lease(), RunStatus.ERROR, "exit 3"));
    assertThat(runs)
        .flatExtracting(r -> queue.events(r.id(), 0, 10))
        .filteredOn(e -> e.kind().equals("completed"))
        .extracting(
            e ->
                e.data().path("status").asText()
                    + " "
                    + e.data().path("reported").asText()
                    + " "
                    + e.data().path("worker").asText())
        .containsExactly("success success w1", "error error w1");
  }

  @Test
  void events_appended_unflushed_keep_their_order_and_the_fence_and_leave_commits_durable()
      throws Exception {
    // One connection, so the check after the append reads the same session's setting. The test
    // server runs with synchronous_commit off; the session turns it on, as a production server has.
    try (Database single = TestDatabase.freshSchema("unflushed", 1)) {
      TestDatabase.execute(single.dataSource(), "SET synchronous_commit = on");
      RunQueue one = PostgresRunQueue.open(single.dataSource(), single.schema());
      one.enqueue(NewRun.builder("noop").lane("unflushed").build());
      Run run = one.claim("w1", List.of("unflushed"), 1).get(0);

      assertThat(
              one.appendEventsUnflushed(
                  run.lease(),
                  List.of(
                      new NewEvent("step_started", null, "step one", null),
                      NewEvent.output("stdout", "a"))))
          .isTrue();
      assertThat(one.appendEvents(run.lease(), List.of(NewEvent.output("stdout", "b")))).isTrue();
      assertThat(
              one.appendEventsUnflushed(
                  new Lease(run.id(), run.attempt() + 1, "w1"),
                  List.of(NewEvent.output("stdout", "not this attempt's"))))
          .isFalse();

      try (Connection c = single.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("SHOW synchronous_commit");
          java.sql.ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("on");
      }
      List<RunEvent> events = one.events(run.id(), 0, 10);
      assertThat(events)
          .extracting(RunEvent::kind)
          .containsExactly("enqueued", "claimed", "step_started", "output", "output");
      assertThat(events.subList(2, 5))
          .extracting(RunEvent::message)
          .containsExactly("step one", "a", "b");
    }
  }

  @Test
  void a_cancelled_queued_run_is_never_claimed() {
    Run run = enqueue("cancel-queued");
    assertThat(queue.cancel(run.id(), null)).isEqualTo(CancelResult.CANCELLED);
    assertThat(queue.claim("w", List.of("cancel-queued"), 10)).isEmpty();
  }

  @Test
  void cancelling_a_finished_run_changes_nothing() {
    enqueue("cancel-done");
    Run run = queue.claim("w", List.of("cancel-done"), 1).get(0);
    queue.complete(new Completion(run.lease(), RunStatus.ERROR, "boom"));
    assertThat(queue.cancel(run.id(), null)).isEqualTo(CancelResult.UNCHANGED);
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.ERROR);
    assertThat(queue.cancel(987654321L, null)).isEqualTo(CancelResult.NOT_FOUND);
  }

  @Test
  void a_swept_and_reclaimed_run_refuses_the_old_workers_writes() {
    enqueue("fence");
    Run old = queue.claim("old", List.of("fence"), 1).get(0);
    backdateHeartbeat(old.id());
    assertThat(queue.sweep(Duration.ofSeconds(30), 100))
        .extracting(SweepDecision::runId, SweepDecision::outcome)
        .contains(org.assertj.core.groups.Tuple.tuple(old.id(), SweepDecision.Outcome.REQUEUED));
    TestDatabase.execute(
        db.dataSource(),
        "UPDATE " + db.schema() + ".runs SET available_at = now() WHERE id = " + old.id());
    Run fresh = queue.claim("new", List.of("fence"), 1).get(0);
    assertThat(fresh.id()).isEqualTo(old.id());
    assertThat(fresh.attempt()).isEqualTo(2);

    assertThat(queue.heartbeat(old.lease())).isEqualTo(Heartbeat.LOST);
    assertThat(queue.complete(new Completion(old.lease(), RunStatus.SUCCESS, null)).lost())
        .isTrue();
    assertThat(queue.appendEvents(old.lease(), List.of(NewEvent.output("stdout", "stale"))))
        .isFalse();
    assertThat(queue.putArtifact(old.lease(), "out.txt", "x".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    // The same worker id with the old attempt is refused too.
    Lease sameWorkerOldAttempt = new Lease(old.id(), 1, "new");
    assertThat(queue.heartbeat(sameWorkerOldAttempt)).isEqualTo(Heartbeat.LOST);

    assertThat(queue.heartbeat(fresh.lease())).isEqualTo(Heartbeat.OK);
    assertThat(queue.complete(new Completion(fresh.lease(), RunStatus.SUCCESS, null)).finalStatus())
        .contains(RunStatus.SUCCESS);
  }

  @Test
  void a_sweep_racing_a_completion_leaves_the_run_completed() throws Exception {
    enqueue("race");
    Run run = queue.claim("w", List.of("race"), 1).get(0);
    backdateHeartbeat(run.id());
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + db.schema() + ".complete_run(?, ?, ?, 'success', null)")) {
        ps.setLong(1, run.id());
        ps.setInt(2, run.attempt());
        ps.setString(3, "w");
        ps.execute();
      }
      // The completion holds the row lock, uncommitted: the sweep skips the run.
      assertThat(queue.sweep(Duration.ofSeconds(1), 100))
          .extracting(SweepDecision::runId)
          .doesNotContain(run.id());
      c.commit();
    }
    assertThat(queue.sweep(Duration.ofSeconds(1), 100))
        .extracting(SweepDecision::runId)
        .doesNotContain(run.id());
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void sweeps_charge_attempts_and_fail_the_run_at_max_attempts_with_bounded_backoff() {
    Run run =
        queue
            .enqueue(
                NewRun.builder("noop")
                    .lane("attempts")
                    .maxAttempts(3)
                    .backoff(Duration.ofMillis(400), Duration.ofMillis(1000))
                    .build())
            .run();
    for (int attempt = 1; attempt <= 3; attempt++) {
      TestDatabase.execute(
          db.dataSource(),
          "UPDATE " + db.schema() + ".runs SET available_at = now() WHERE id = " + run.id());
      Run claimed = queue.claim("w" + attempt, List.of("attempts"), 1).get(0);
      assertThat(claimed.attempt()).isEqualTo(attempt);
      backdateHeartbeat(run.id());
      SweepDecision decision =
          queue.sweep(Duration.ofSeconds(30), 100).stream()
              .filter(d -> d.runId() == run.id())
              .findFirst()
              .orElseThrow();
      if (attempt < 3) {
        assertThat(decision.outcome()).isEqualTo(SweepDecision.Outcome.REQUEUED);
        long cap = Math.min(1000, 400L << (attempt - 1));
        Run after = queue.find(run.id()).orElseThrow();
        long delay = Duration.between(after.createdAt(), after.availableAt()).toMillis();
        assertThat(after.status()).isEqualTo(RunStatus.QUEUED);
        // available_at = sweep time + random() * cap; the sweep time is after createdAt.
        assertThat(decision.availableAt()).isNotNull();
        assertThat(delay).isGreaterThanOrEqualTo(0);
        long jitter =
            queue.events(run.id(), 0, 100).stream()
                .filter(e -> e.kind().equals("swept"))
                .reduce((x, y) -> y)
                .orElseThrow()
                .data()
                .get("delay_ms")
                .asLong();
        assertThat(jitter).isBetween(0L, cap);
      } else {
        assertThat(decision.outcome()).isEqualTo(SweepDecision.Outcome.ERROR);
        Run failed = queue.find(run.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.ERROR);
        assertThat(failed.message()).contains("3 of 3 attempts");
      }
    }
  }

  @Test
  void complete_or_retry_requeues_with_bounded_backoff_until_the_attempts_are_used() {
    Run run =
        queue
            .enqueue(
                NewRun.builder("noop")
                    .lane("retry-run")
                    .maxAttempts(2)
                    .backoff(Duration.ofMillis(400), Duration.ofMillis(1000))
                    .build())
            .run();
    Run first = queue.claim("w1", List.of("retry-run"), 1).get(0);

    CompletionResult requeued =
        queue.completeOrRetry(new Completion(first.lease(), RunStatus.ERROR, "boom 1"));

    assertThat(requeued.finalStatus()).contains(RunStatus.QUEUED);
    Run waiting = queue.find(run.id()).orElseThrow();
    assertThat(waiting.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(waiting.chargedAttempts()).isEqualTo(1);
    RunEvent retrying =
        queue.events(run.id(), 0, 100).stream()
            .filter(e -> e.kind().equals("retrying"))
            .findFirst()
            .orElseThrow();
    assertThat(retrying.message()).isEqualTo("boom 1");
    assertThat(retrying.data().get("delay_ms").asLong()).isBetween(0L, 400L);
    assertThat(queue.completeOrRetry(new Completion(first.lease(), RunStatus.ERROR, "late")).lost())
        .isTrue();

    TestDatabase.execute(
        db.dataSource(),
        "UPDATE " + db.schema() + ".runs SET available_at = now() WHERE id = " + run.id());
    Run second = queue.claim("w2", List.of("retry-run"), 1).get(0);
    CompletionResult last =
        queue.completeOrRetry(new Completion(second.lease(), RunStatus.ERROR, "boom 2"));

    assertThat(last.finalStatus()).contains(RunStatus.ERROR);
    Run failed = queue.find(run.id()).orElseThrow();
    assertThat(failed.message()).isEqualTo("boom 2");
    assertThat(failed.attempt()).isEqualTo(2);
  }

  @Test
  void complete_or_retry_does_not_requeue_a_run_whose_cancel_was_requested() {
    Run run =
        queue.enqueue(NewRun.builder("noop").lane("retry-cancel").maxAttempts(3).build()).run();
    Run claimed = queue.claim("w", List.of("retry-cancel"), 1).get(0);
    queue.cancel(run.id(), "stop it");

    CompletionResult result =
        queue.completeOrRetry(new Completion(claimed.lease(), RunStatus.ERROR, "boom"));

    assertThat(result.finalStatus()).contains(RunStatus.CANCELLED);
  }

  @Test
  void a_released_run_returns_to_the_queue_without_charging_the_attempt() {
    Run run = queue.enqueue(NewRun.builder("noop").lane("release").maxAttempts(1).build()).run();
    Run claimed = queue.claim("w", List.of("release"), 1).get(0);
    assertThat(queue.release(claimed.lease())).isTrue();
    Run again = queue.claim("w2", List.of("release"), 1).get(0);
    assertThat(again.id()).isEqualTo(run.id());
    assertThat(again.chargedAttempts()).isEqualTo(1);
    assertThat(queue.release(claimed.lease())).isFalse();
  }

  @Test
  void events_are_ordered_and_nothing_is_accepted_after_the_run_finishes() {
    enqueue("events");
    Run run = queue.claim("w", List.of("events"), 1).get(0);
    assertThat(
            queue.appendEvents(
                run.lease(),
                List.of(NewEvent.output("stdout", "one"), NewEvent.output("stderr", "two"))))
        .isTrue();
    assertThat(queue.appendEvents(run.lease(), List.of(NewEvent.output("stdout", "three"))))
        .isTrue();
    queue.complete(new Completion(run.lease(), RunStatus.SUCCESS, null));
    assertThat(queue.appendEvents(run.lease(), List.of(NewEvent.output("stdout", "late"))))
        .isFalse();

    List<RunEvent> events = queue.events(run.id(), 0, 100);
    assertThat(events).extracting(RunEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(events)
        .extracting(RunEvent::kind)
        .containsExactly("enqueued", "claimed", "output", "output", "output", "completed");
    assertThat(events)
        .filteredOn(e -> e.kind().equals("output"))
        .extracting(RunEvent::message)
        .containsExactly("one", "two", "three");
  }

  @Test
  void artifacts_are_stored_by_sha256_and_listed_in_a_sha256sum_manifest() {
    enqueue("artifacts");
    Run run = queue.claim("w", List.of("artifacts"), 1).get(0);
    byte[] text = "hello\n".getBytes(StandardCharsets.UTF_8);
    byte[] binary = new byte[20_000];
    binary[5] = 7;
    assertThat(queue.putArtifact(run.lease(), "logs/out.txt", text)).isTrue();
    assertThat(queue.putArtifact(run.lease(), "image.bin", binary)).isTrue();

    List<Artifact> artifacts = queue.artifacts(run.id());
    assertThat(artifacts).extracting(Artifact::name).containsExactly("image.bin", "logs/out.txt");
    assertThat(artifacts).extracting(Artifact::inline).containsExactly(false, true);
    assertThat(queue.artifactContent(run.id(), "image.bin"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(binary));
    assertThat(queue.manifest(run.id()))
        .contains(
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  logs/out.txt\n");
  }

  @Test
  void artifact_names_that_climb_out_or_sizes_over_the_limit_are_refused() {
    enqueue("artifact-names");
    Run run = queue.claim("w", List.of("artifact-names"), 1).get(0);
    for (String bad :
        List.of("../etc/passwd", "/abs", "a/../../b", "", ".hidden", "a\\b", "a//b")) {
      assertThatThrownBy(() -> queue.putArtifact(run.lease(), bad, new byte[1]))
          .isInstanceOf(TollgateException.class)
          .hasMessageContaining("artifact name");
    }
    RunQueue small =
        new dev.tollgate.core.db.internal.jdbc.JdbcRunQueue(db.dataSource(), db.schema(), 10);
    assertThatThrownBy(() -> small.putArtifact(run.lease(), "big", new byte[11]))
        .hasMessageContaining("expected at most 10 bytes, found 11");
  }

  @Test
  void retry_enqueues_a_failed_run_again_linked_to_the_original() {
    Run original =
        queue
            .enqueue(
                NewRun.builder("noop")
                    .lane("retry")
                    .params(JSON.createObjectNode().put("x", 1))
                    .build())
            .run();
    Run claimed = queue.claim("w", List.of("retry"), 1).get(0);
    assertThatThrownBy(() -> queue.retry(original.id())).hasMessageContaining("is running");
    queue.complete(new Completion(claimed.lease(), RunStatus.ERROR, "boom"));
    Run retry = queue.retry(original.id());
    assertThat(retry.retryOf()).isEqualTo(original.id());
    assertThat(retry.params()).isEqualTo(original.params());
    assertThat(retry.status()).isEqualTo(RunStatus.QUEUED);
  }

  @Test
  void sealed_params_are_stored_apart_claimed_with_the_run_and_kept_by_a_retry() {
    ObjectNode params = JSON.createObjectNode().put("user", "ann").put("token", "***");
    Run original =
        queue
            .enqueue(
                NewRun.builder("login")
                    .lane("sealed")
                    .params(params)
                    .sealedParams("v1:0123abcd:c2VhbGVk")
                    .build())
            .run();
    assertThat(original.sealedParams()).isEqualTo("v1:0123abcd:c2VhbGVk");
    assertThat(original.params()).isEqualTo(params);
    assertThat(queue.list(new RunFilter(null, "sealed", null, null, "c2VhbGVk", 10))).isEmpty();
    Run claimed = queue.claim("w", List.of("sealed"), 1).get(0);
    assertThat(claimed.sealedParams()).isEqualTo("v1:0123abcd:c2VhbGVk");
    queue.complete(new Completion(claimed.lease(), RunStatus.ERROR, "boom"));
    assertThat(queue.retry(original.id()).sealedParams()).isEqualTo("v1:0123abcd:c2VhbGVk");
    assertThat(enqueue("sealed-none").sealedParams()).isNull();
    assertThatThrownBy(() -> NewRun.builder("login").sealedParams("has space"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_rolled_back_enqueue_is_never_visible_and_notifies_nobody() throws Exception {
    LinkedBlockingQueue<String> woken = new LinkedBlockingQueue<>();
    try (AutoCloseable listening = queue.listen(l -> woken.add(String.valueOf(l)), id -> {})) {
      assertThat(woken.poll(10, TimeUnit.SECONDS)).isEqualTo("null"); // listening now
      try (Connection c = db.dataSource().getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT * FROM "
                    + db.schema()
                    + ".enqueue_run('noop', null, null, 'rolled-back', '{}', 0, 3, null, null,"
                    + " null, null, null)")) {
          ps.execute();
        }
        c.rollback();
      }
      enqueue("committed");
      // Notifications arrive in commit order: the committed lane's comes first and alone.
      assertThat(woken.poll(10, TimeUnit.SECONDS)).isEqualTo("committed");
      assertThat(woken).doesNotContain("rolled-back");
    }
    assertThat(queue.list(new RunFilter(null, "rolled-back", null, null, null, 10))).isEmpty();
  }

  @Test
  void stats_count_queue_depth_and_recoveries() {
    enqueue("stats");
    enqueue("stats");
    Run run = queue.claim("w", List.of("stats"), 1).get(0);
    backdateHeartbeat(run.id());
    queue.sweep(Duration.ofSeconds(30), 100);
    QueueStats stats = queue.stats();
    assertThat(stats.lanes())
        .filteredOn(l -> l.lane().equals("stats"))
        .singleElement()
        .satisfies(l -> assertThat(l.queued()).isEqualTo(2));
    assertThat(stats.recoveries()).isGreaterThanOrEqualTo(1);
    assertThat(stats.stuckPerHour()).isNotEmpty();
  }

  @Test
  void a_batch_of_completions_stores_each_runs_last_events_and_a_lost_lease_stores_neither() {
    batchOfCompletions("batch", queue);
  }

  @Test
  void a_queue_that_cannot_share_a_transaction_completes_a_batch_with_its_events_the_same_way() {
    // The interface's own completeAll with events.
    batchOfCompletions("batch-default", new WorkerTest.ForwardingQueue(queue) {});
  }

  /** Completes a batch with events through {@code completer} and checks what it stored. */
  private void batchOfCompletions(String lane, RunQueue completer) {
    Run a = enqueue(lane);
    Run b = enqueue(lane);
    Run c = enqueue(lane);
    assertThat(completer.claim("w", List.of(lane), 3)).hasSize(3);

    // Out of run-id order, and the last one's lease is no longer the worker's (another attempt).
    List<CompletionResult> results =
        completer.completeAll(
            "w",
            List.of(
                new Completion(new Lease(b.id(), 1, "w"), RunStatus.ERROR, "step failed"),
                new Completion(new Lease(a.id(), 1, "w"), RunStatus.SUCCESS, null),
                new Completion(new Lease(c.id(), 7, "w"), RunStatus.SUCCESS, null)),
            List.of(
                List.of(NewEvent.output("stderr", "b's last line")),
                List.of(),
                List.of(NewEvent.output("stdout", "a stale attempt's line"))));

    assertThat(results)
        .extracting(r -> r.runId() + " " + r.finalStatus().map(RunStatus::wireName).orElse("lost"))
        .containsExactly(b.id() + " error", a.id() + " success", c.id() + " lost");
    assertThat(queue.events(b.id(), 0, 100))
        .extracting(e -> e.kind() + " " + e.message())
        .containsExactly(
            "enqueued null", "claimed null", "output b's last line", "completed step failed");
    assertThat(queue.events(c.id(), 0, 100))
        .extracting(RunEvent::kind)
        .containsExactly("enqueued", "claimed");
    assertThat(queue.find(c.id()).map(Run::status)).contains(RunStatus.RUNNING);
    assertThatThrownBy(() -> completer.completeAll("w", List.of(), List.of(List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 completions but 1 lists of events");
  }
}
