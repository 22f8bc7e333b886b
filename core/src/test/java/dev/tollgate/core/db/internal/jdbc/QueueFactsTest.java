package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schema version 8: the enqueue, the claim and the completion are columns of the run's row shown as
 * events by the {@code run_events} view, the client's claim and completion statements do what the
 * SQL functions do, and the claim is a HOT update.
 */
class QueueFactsTest {

  private static Database db;
  private static String schema;
  private static JdbcRunQueue queue;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("facts", 4);
    schema = db.schema();
    queue = new JdbcRunQueue(db.dataSource(), schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static long enqueue(String lane) {
    return queue.enqueue(NewRun.builder("noop").lane(lane).build()).run().id();
  }

  private static List<String> rows(String sql, Object... args) {
    try (Connection c = db.dataSource().getConnection()) {
      return Jdbc.list(
          c,
          sql,
          rs -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              sb.append(i == 1 ? "" : "|").append(rs.getString(i));
            }
            return sb.toString();
          },
          args);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static List<String> events(long run) {
    List<String> out = new ArrayList<>();
    for (RunEvent e : queue.events(run, 0, 100)) {
      out.add(
          e.seq()
              + " "
              + e.kind()
              + " attempt="
              + e.attempt()
              + " message="
              + e.message()
              + " data="
              + e.data());
    }
    return out;
  }

  @Test
  void enqueue_run_stores_the_hash_as_bytes_and_refuses_what_it_cannot_store() {
    String sql =
        "SELECT run_id FROM "
            + schema
            + ".enqueue_run('sql', ?, 'name: sql', 'psql', '{}'::jsonb, 0, 3, NULL,"
            + " ?::interval, ?::interval, NULL, NULL)";
    String hash = "AB".repeat(32);
    List<String> id = rows(sql, hash, "250 milliseconds", "1 minute");
    Run run = queue.find(Long.parseLong(id.get(0))).orElseThrow();
    assertThat(run.templateHash()).isEqualTo("ab".repeat(32));
    assertThat(run.backoff()).isEqualTo(Duration.ofMillis(250));
    assertThat(run.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(
            rows("SELECT octet_length(hash) FROM " + schema + ".run_templates WHERE name = 'sql'"))
        .containsExactly("32");

    assertThat(refusal(sql, "not-a-hash", "1 second", "1 minute"))
        .isEqualTo("22023 enqueue_run: expected the template hash as hex digits, got not-a-hash");
    assertThat(refusal(sql, hash, "1 second", "25 days"))
        .isEqualTo("22023 max_backoff: expected a delay from 0 to 24 days, got 25 days");
    assertThat(refusal(sql, hash, "-1 second", "1 minute"))
        .isEqualTo("22023 backoff: expected a delay from 0 to 24 days, got -00:00:01");
    assertThat(rows("SELECT count(*) FROM " + schema + ".runs WHERE lane = 'psql'"))
        .containsExactly("1");
  }

  /** The SQLSTATE and message of the error {@code sql} fails with. */
  private static String refusal(String sql, Object... args) {
    try (Connection c = db.dataSource().getConnection()) {
      Jdbc.list(c, sql, rs -> rs.getString(1), args);
    } catch (SQLException e) {
      String message = e.getMessage();
      int where = message.indexOf("\n");
      return e.getSQLState()
          + " "
          + (where < 0 ? message : message.substring(0, where)).replaceFirst("^ERROR: ", "");
    }
    throw new AssertionError("not refused: " + sql);
  }

  @Test
  void a_run_that_goes_back_to_the_queue_keeps_every_attempt_s_claim_in_its_events() {
    long run = enqueue("again");
    queue.claim("w1", List.of("again"), 1);
    assertThat(queue.release(new Lease(run, 1, "w1"))).isTrue();
    queue.claim("w2", List.of("again"), 1);
    queue.complete(new Completion(new Lease(run, 2, "w2"), RunStatus.SUCCESS, "fine"));

    assertThat(events(run))
        .containsExactly(
            "1 enqueued attempt=0 message=null data={\"lane\":\"again\",\"priority\":0,"
                + "\"retry_of\":null}",
            "2 claimed attempt=1 message=null data={\"worker\":\"w1\"}",
            "3 released attempt=1 message=the worker shut down; the attempt is not charged"
                + " data={\"worker\":\"w1\"}",
            "4 claimed attempt=2 message=null data={\"worker\":\"w2\"}",
            "5 completed attempt=2 message=fine data={\"status\":\"success\","
                + "\"worker\":\"w2\",\"reported\":\"success\"}");
    // Stored as rows: only what the facts on the row cannot hold, the first attempt's claim and
    // the release.
    assertThat(
            rows(
                "SELECT seq, kind FROM " + schema + ".run_event_rows WHERE run_id = ? ORDER BY seq",
                run))
        .containsExactly("2|claimed", "3|released");
  }

  @Test
  void a_run_requeued_by_the_sweeper_and_retried_keeps_both_claims_and_who_made_them() {
    long run =
        queue.enqueue(NewRun.builder("noop").lane("swept").maxAttempts(3).build()).run().id();
    queue.claim("dead", List.of("swept"), 1);
    TestDatabase.execute(
        db.dataSource(),
        "UPDATE "
            + schema
            + ".runs SET heartbeat_at = now() - interval '1 hour' WHERE id = "
            + run);
    assertThat(queue.sweep(Duration.ofSeconds(15), 10)).hasSize(1);
    TestDatabase.execute(
        db.dataSource(), "UPDATE " + schema + ".runs SET available_at = now() WHERE id = " + run);
    queue.claim("alive", List.of("swept"), 1);
    queue.complete(new Completion(new Lease(run, 2, "alive"), RunStatus.ERROR, "boom"));

    assertThat(queue.events(run, 0, 100))
        .extracting(e -> e.kind() + "/" + e.attempt() + "/" + e.data().path("worker").asText())
        .containsExactly(
            "enqueued/0/",
            "claimed/1/dead",
            "swept/1/dead",
            "claimed/2/alive",
            "completed/2/alive");
    assertThat(queue.find(run).map(Run::status)).contains(RunStatus.ERROR);
  }

  @Test
  void the_client_statements_and_the_sql_functions_leave_the_same_history_and_events() {
    DataSource ds = db.dataSource();
    // One run of each ending, claimed and completed through the functions as psql would...
    long[] byFunction = {enqueue("fn"), enqueue("fn"), enqueue("fn")};
    rows("SELECT id FROM " + schema + ".claim_runs('w', ARRAY['fn'], 3)");
    TestDatabase.execute(ds, "SELECT " + schema + ".cancel_run(" + byFunction[2] + ", 'stop')");
    rows("SELECT " + schema + ".complete_run(?, 1, 'w', 'success', 'ok')", byFunction[0]);
    rows(
        "SELECT * FROM "
            + schema
            + ".complete_runs('w', ARRAY[?, ?]::bigint[], ARRAY[1, 1], ARRAY['error', 'success'],"
            + " ARRAY['bad', NULL])",
        byFunction[1],
        byFunction[2]);
    // ...and the same through the client's own statements, one completion alone, two together.
    long[] byClient = {enqueue("cl"), enqueue("cl"), enqueue("cl")};
    assertThat(queue.claim("w", List.of("cl"), 3)).hasSize(3);
    TestDatabase.execute(ds, "SELECT " + schema + ".cancel_run(" + byClient[2] + ", 'stop')");
    assertThat(
            queue
                .complete(new Completion(new Lease(byClient[0], 1, "w"), RunStatus.SUCCESS, "ok"))
                .finalStatus())
        .contains(RunStatus.SUCCESS);
    assertThat(
            queue.completeAll(
                "w",
                List.of(
                    new Completion(new Lease(byClient[1], 1, "w"), RunStatus.ERROR, "bad"),
                    new Completion(new Lease(byClient[2], 1, "w"), RunStatus.SUCCESS, null),
                    new Completion(new Lease(byClient[0], 1, "w"), RunStatus.SUCCESS, "twice"))))
        .extracting(r -> r.finalStatus().map(RunStatus::wireName).orElse("lost"))
        .containsExactly("error", "cancelled", "lost");
    assertThat(
            queue
                .complete(new Completion(new Lease(byClient[1], 1, "w"), RunStatus.SUCCESS, null))
                .lost())
        .isTrue();

    String columns =
        "SELECT status, attempt, releases, message, event_seq, worker_id, cancel_requested,"
            + " cancel_reason, enqueued_seq, claimed_seq, claimed_by, completed_seq, outcome,"
            + " started_at = claimed_at, heartbeat_at = claimed_at, finished_at >= claimed_at,"
            + " claimed_at >= created_at FROM "
            + schema
            + ".all_runs WHERE id = ? AND finished_at IS NOT NULL";
    String kinds =
        "SELECT seq, kind, attempt, message, data FROM "
            + schema
            + ".run_events WHERE run_id = ? ORDER BY seq";
    for (int i = 0; i < 3; i++) {
      assertThat(rows(columns, byClient[i])).isEqualTo(rows(columns, byFunction[i])).hasSize(1);
      assertThat(rows(kinds, byClient[i]).toString().replace("\"cl\"", "\"fn\""))
          .isEqualTo(rows(kinds, byFunction[i]).toString());
    }
    assertThat(rows(kinds, byClient[2]))
        .extracting(r -> r.split("\\|")[1])
        .containsExactly("enqueued", "claimed", "cancel_requested", "completed");
  }

  @Test
  void a_completion_with_its_last_events_stores_both_and_a_lost_lease_stores_neither() {
    long run = enqueue("last");
    queue.claim("w", List.of("last"), 1);
    assertThat(
            queue
                .complete(
                    new Completion(new Lease(run, 1, "w"), RunStatus.SUCCESS, "done"),
                    List.of(NewEvent.output("stdout", "bye")))
                .finalStatus())
        .contains(RunStatus.SUCCESS);
    assertThat(queue.events(run, 0, 100))
        .extracting(e -> e.seq() + " " + e.kind() + " " + e.message())
        .containsExactly("1 enqueued null", "2 claimed null", "3 output bye", "4 completed done");

    long other = enqueue("last");
    queue.claim("w", List.of("last"), 1);
    assertThat(
            queue
                .complete(
                    new Completion(new Lease(other, 1, "stranger"), RunStatus.SUCCESS, null),
                    List.of(NewEvent.output("stdout", "not mine")))
                .lost())
        .isTrue();
    assertThat(queue.find(other).map(Run::status)).contains(RunStatus.RUNNING);
    assertThat(queue.events(other, 0, 100))
        .extracting(RunEvent::kind)
        .containsExactly("enqueued", "claimed");
  }

  @Test
  void a_batch_of_completions_and_its_runs_last_events_are_written_by_one_transaction() {
    long a = enqueue("batch-events");
    long b = enqueue("batch-events");
    assertThat(queue.claim("w", List.of("batch-events"), 2)).hasSize(2);

    queue.completeAll(
        "w",
        List.of(
            new Completion(new Lease(b, 1, "w"), RunStatus.ERROR, "step failed"),
            new Completion(new Lease(a, 1, "w"), RunStatus.SUCCESS, null)),
        List.of(List.of(NewEvent.output("stderr", "b's last line")), List.of()));

    // b's event and both completions carry the one transaction's id. (What is stored, and what a
    // lost lease stores, is RunQueueContractTest's.)
    assertThat(
            rows(
                "SELECT DISTINCT xmin::text FROM ("
                    + " SELECT xmin FROM "
                    + schema
                    + ".run_event_rows WHERE run_id = ? AND kind = 'output'"
                    + " UNION ALL SELECT xmin FROM "
                    + schema
                    + ".run_history WHERE id IN (?, ?)) t",
                b,
                a,
                b))
        .hasSize(1);
  }

  /**
   * Schema version 16: a claim over several lanes locks the runs it takes and at most the run at
   * the head of each other lane, where reading every lane up to the limit locked up to the limit in
   * each and held those locks, keeping other claimers off, until the transaction ended. Both ways
   * of claiming: the client's statement and {@code claim_runs}.
   */
  @Test
  void a_claim_over_several_lanes_locks_only_the_runs_it_may_take() throws SQLException {
    List<String> lanes = List.of("merge-a", "merge-b", "merge-c", "merge-d");
    List<Long> all = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      for (String lane : lanes) {
        all.add(enqueue(lane));
      }
    }
    int limit = 10;
    for (boolean client : new boolean[] {true, false}) {
      try (Connection c = db.dataSource().getConnection()) {
        c.setAutoCommit(false);
        List<Long> claimed = new ArrayList<>();
        String sql =
            client
                ? JdbcRunQueue.claimStatement(schema, "r.id", lanes.size(), limit)
                : "SELECT id FROM " + schema + ".claim_runs('merge-worker', ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          if (client) {
            int p = 1;
            for (String lane : lanes) {
              ps.setString(p++, lane);
            }
            ps.setString(p, "merge-worker");
          } else {
            // A lane named twice counts once.
            List<String> twice = new ArrayList<>(lanes);
            twice.add(lanes.get(0));
            ps.setArray(1, c.createArrayOf("text", twice.toArray()));
            ps.setInt(2, limit);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              claimed.add(rs.getLong(1));
            }
          }
        }
        // The oldest runs of all four lanes, whichever way they were claimed.
        List<Long> oldest = all.subList(client ? 0 : limit, client ? limit : 2 * limit);
        assertThat(claimed).as(client ? "client" : "claim_runs").isEqualTo(oldest);
        List<String> locks =
            Jdbc.list(
                c,
                "SELECT objid::text FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND pid = pg_backend_pid()",
                rs -> rs.getString(1));
        assertThat(locks.size())
            .as("advisory locks held by the claim %s (%s)", locks, client ? "client" : "claim_runs")
            .isBetween(limit, limit + lanes.size() - 1);
        c.commit();
      }
    }
  }

  @Test
  void the_claim_and_the_heartbeat_are_hot_updates() throws SQLException {
    for (int i = 0; i < 5; i++) {
      enqueue("hot");
    }
    TestDatabase.execute(db.dataSource(), "VACUUM " + schema + ".runs");
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      // The counters also hold what this pooled connection did before and has not reported yet.
      long[] before = updatesOfRuns(c);
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(JdbcRunQueue.claimStatement(schema, "r.id, r.attempt", 1, 5))) {
        ps.setString(1, "hot");
        ps.setString(2, "hot-worker");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      assertThat(ids).hasSize(5);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*) FROM "
                  + schema
                  + ".heartbeat_runs('hot-worker', ?, array_fill(1, ARRAY[?])) WHERE state = 'ok'")) {
        ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
        ps.setInt(2, ids.size());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(5);
        }
      }
      long[] after = updatesOfRuns(c);
      assertThat(after[0] - before[0]).as("updates of runs").isEqualTo(10);
      assertThat(after[1] - before[1]).as("HOT updates of runs").isEqualTo(10);
      c.commit();
    }
  }

  /** The updates and the HOT updates of {@code runs} that this session has counted so far. */
  private static long[] updatesOfRuns(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_stat_get_xact_tuples_updated(?::regclass),"
                + " pg_stat_get_xact_tuples_hot_updated(?::regclass)")) {
      ps.setString(1, schema + ".runs");
      ps.setString(2, schema + ".runs");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }
}
