package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.CompletionResult;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Completions of one worker sent at the same time share a statement: while two are on their way,
 * the others wait and then go out together, each caller still answered for its own run.
 */
class CompletionCombinerTest {

  @Test
  void
      completions_waiting_behind_the_statements_in_flight_go_out_together_each_with_its_own_answer()
          throws Exception {
    try (Database db = TestDatabase.freshSchema("combine", 10)) {
      String schema = db.schema();
      JdbcRunQueue queue =
          new JdbcRunQueue(db.dataSource(), schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      for (int i = 0; i < 5; i++) {
        queue.enqueue(NewRun.builder("noop").lane("c").build());
      }
      List<Run> runs = queue.claim("w", List.of("c"), 5);
      assertThat(runs).hasSize(5);
      long first = runs.get(0).id();
      long second = runs.get(1).id();
      long third = runs.get(2).id();
      long fourth = runs.get(3).id();
      long stranger = runs.get(4).id();
      assertThat(JdbcRunQueue.COMPLETIONS_IN_FLIGHT).isEqualTo(2);
      ExecutorService callers = Executors.newFixedThreadPool(5);
      try (Connection firstLock = db.dataSource().getConnection();
          Connection secondLock = db.dataSource().getConnection();
          Connection thirdLock = db.dataSource().getConnection();
          Connection watcher = db.dataSource().getConnection()) {
        lock(firstLock, schema, first);
        lock(secondLock, schema, second);
        lock(thirdLock, schema, third);
        // Two completions go out alone, each as soon as it comes, and wait on their row locks.
        Future<CompletionResult> a = callers.submit(() -> complete(queue, first, 1, "a"));
        Future<CompletionResult> b = callers.submit(() -> complete(queue, second, 1, "b"));
        awaitTrue(() -> blockedStatements(watcher).size() == 2);
        assertThat(blockedStatements(watcher)).allMatch(q -> q.startsWith("WITH done AS"));
        // Three more arrive meanwhile and wait; one names an attempt its run does not have.
        Future<CompletionResult> c = callers.submit(() -> complete(queue, third, 1, "c"));
        Future<CompletionResult> d = callers.submit(() -> complete(queue, stranger, 2, "d"));
        Future<CompletionResult> e = callers.submit(() -> complete(queue, fourth, 1, "e"));
        awaitTrue(() -> waitingCallers() == 3);
        firstLock.commit();
        assertThat(a.get(30, TimeUnit.SECONDS).finalStatus()).contains(RunStatus.SUCCESS);
        // The three went out as one statement, which waits on the third run's lock with them all.
        awaitTrue(
            () ->
                blockedStatements(watcher).stream().anyMatch(q -> q.startsWith("WITH wanted AS")));
        assertThat(blockedStatements(watcher)).hasSize(2);
        assertThat(queue.find(fourth).map(Run::status)).contains(RunStatus.RUNNING);
        // A place frees up while they wait on their statement: none of them is sent again.
        secondLock.commit();
        assertThat(b.get(30, TimeUnit.SECONDS).finalStatus()).contains(RunStatus.SUCCESS);
        assertThat(waitingCallers()).isEqualTo(2);
        assertThat(blockedStatements(watcher)).hasSize(1);
        assertThat(queue.find(fourth).map(Run::status)).contains(RunStatus.RUNNING);
        thirdLock.commit();
        assertThat(c.get(30, TimeUnit.SECONDS).finalStatus()).contains(RunStatus.SUCCESS);
        assertThat(e.get(30, TimeUnit.SECONDS).finalStatus()).contains(RunStatus.SUCCESS);
        assertThat(d.get(30, TimeUnit.SECONDS).lost()).isTrue();
      } finally {
        callers.shutdownNow();
      }
      assertThat(queue.find(first).map(Run::message)).isEqualTo(Optional.of("a"));
      assertThat(queue.find(fourth).map(Run::message)).isEqualTo(Optional.of("e"));
      assertThat(queue.find(stranger).map(Run::status)).isEqualTo(Optional.of(RunStatus.RUNNING));
    }
  }

  @Test
  void a_completion_message_with_a_nul_character_is_stored_with_a_replacement_character() {
    try (Database db = TestDatabase.freshSchema("combinenul", 2)) {
      JdbcRunQueue queue =
          new JdbcRunQueue(db.dataSource(), db.schema(), JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      long one = queue.enqueue(NewRun.builder("noop").lane("n").build()).run().id();
      long two = queue.enqueue(NewRun.builder("noop").lane("n").build()).run().id();
      long three = queue.enqueue(NewRun.builder("noop").lane("n").build()).run().id();
      assertThat(queue.claim("w", List.of("n"), 3)).hasSize(3);

      assertThat(complete(queue, one, 1, "exit\u0000code").finalStatus())
          .contains(RunStatus.SUCCESS);
      assertThat(
              queue.completeAll(
                  "w",
                  List.of(
                      new Completion(new Lease(two, 1, "w"), RunStatus.ERROR, "a\u0000b"),
                      new Completion(new Lease(three, 1, "w"), RunStatus.SUCCESS, "fine"))))
          .extracting(r -> r.finalStatus().orElseThrow())
          .containsExactly(RunStatus.ERROR, RunStatus.SUCCESS);
      assertThat(queue.find(one).map(Run::message)).contains("exit\uFFFDcode");
      assertThat(queue.find(two).map(Run::message)).contains("a\uFFFDb");
      assertThat(queue.find(three).map(Run::message)).contains("fine");
    }
  }

  private static CompletionResult complete(JdbcRunQueue queue, long run, int attempt, String msg) {
    return queue.complete(new Completion(new Lease(run, attempt, "w"), RunStatus.SUCCESS, msg));
  }

  private static void lock(Connection c, String schema, long run) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM " + schema + ".runs WHERE id = ? FOR UPDATE")) {
      ps.setLong(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  /** The statements of other sessions waiting on a lock. */
  private static List<String> blockedStatements(Connection c) throws SQLException {
    return Jdbc.list(
        c,
        "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            + " AND pid <> pg_backend_pid() AND datname = current_database()",
        rs -> rs.getString(1));
  }

  /** How many of the pool's threads wait on a monitor (the combiner) rather than run. */
  private static int waitingCallers() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getState() == Thread.State.WAITING)
            .filter(
                t ->
                    java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(
                            f -> f.getClassName().endsWith("JdbcRunQueue$CompletionCombiner")))
            .count();
  }

  private static void awaitTrue(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 30 s");
      }
      Thread.sleep(10);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean ok() throws Exception;
  }
}
