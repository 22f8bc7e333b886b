package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.runs.CancelResult;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.Heartbeat;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunFilter;
import dev.tollgate.core.runs.RunStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Migration 4 (live queue and history) upgrades a version-3 database that holds queued, running and
 * finished runs: finished runs move to the history with their events, live runs keep their leases,
 * and the queue goes on working on all of them. Migration 8 (the enqueue, claim and completion as
 * facts on the run's row) upgrades a version-7 database the same way: the events stored before read
 * as they did, none twice, and the runs live at the upgrade finish with facts. Migration 9 (the
 * columns a claim or a heartbeat changes moved to the end of the live row) upgrades a version-8
 * database holding queued, running and finished runs without losing a lease, a fact or an event.
 * Migration 12 (the history's page-order indexes without status) upgrades a version-10 database the
 * same way, and every page of the runs list finds the runs stored before it. Migration 15 (the
 * history's lane and template indexes keyed by the name's hash) upgrades a version-14 database the
 * same way.
 */
class HistoryUpgradeTest {

  private static List<SchemaMigrator.Step> upTo(int version) {
    return Migrations.shipped().stream()
        .filter(m -> m.version() <= version)
        .map(m -> new SchemaMigrator.Step(m.version(), m.description(), m.sql(), m.checksum()))
        .toList();
  }

  private static long one(DataSource ds, String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      return Jdbc.one(c, sql, rs -> rs.getLong(1), args);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static String text(DataSource ds, String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      return Jdbc.one(c, sql, rs -> rs.getString(1), args);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * The run claimed by {@code w1} before the upgrade: another worker's completion is lost, its
   * owner's is taken, and its events read enqueued, claimed and completed by {@code w1}.
   */
  private static void onlyTheOwnerCompletes(JdbcRunQueue queue, long running) {
    assertThat(
            queue
                .complete(new Completion(new Lease(running, 1, "w2"), RunStatus.SUCCESS, null))
                .lost())
        .isTrue();
    assertThat(
            queue
                .complete(new Completion(new Lease(running, 1, "w1"), RunStatus.ERROR, "boom"))
                .finalStatus())
        .contains(RunStatus.ERROR);
    assertThat(queue.events(running, 0, 100))
        .extracting(e -> e.seq() + " " + e.kind() + " " + e.data().path("worker").asText())
        .containsExactly("1 enqueued ", "2 claimed w1", "3 completed w1");
  }

  @Test
  void a_database_with_queued_running_and_finished_runs_upgrades_and_keeps_working() {
    String schema = TestDatabase.uniqueSchema("upgrade");
    try (Database db = Database.connect(TestDatabase.settings(), schema, 4)) {
      DataSource ds = db.dataSource();
      assertThat(SchemaMigrator.apply(ds, schema, upTo(3)).current()).isEqualTo(3);
      long finished = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long running = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long cancelled = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long queued = OldProtocol.enqueue(ds, schema, "noop", "up", "pr-7");
      assertThat(one(ds, "SELECT count(*) FROM " + schema + ".claim_runs('w1', ARRAY['up'], 2)"))
          .isEqualTo(2);
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM "
                      + schema
                      + ".complete_run(?, 1, 'w1', 'success', 'done') AS s WHERE s = 'success'",
                  finished))
          .isEqualTo(1);
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM "
                      + schema
                      + ".cancel_run(?, 'not needed') AS s WHERE s = 'cancelled'",
                  cancelled))
          .isEqualTo(1);

      assertThat(Migrations.apply(ds, schema).applied()).contains(4);

      assertThat(one(ds, "SELECT count(*) FROM " + schema + ".runs")).isEqualTo(2);
      assertThat(one(ds, "SELECT count(*) FROM " + schema + ".run_history")).isEqualTo(2);
      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      Run done = queue.find(finished).orElseThrow();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(done.message()).isEqualTo("done");
      assertThat(queue.events(finished, 0, 100))
          .extracting(RunEvent::kind)
          .containsExactly("enqueued", "claimed", "completed");
      assertThat(queue.find(cancelled).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(queue.list(new RunFilter(null, "up", null, null, null, 10)))
          .extracting(Run::id)
          .containsExactly(queued, cancelled, running, finished);

      // The running run's lease survived: a stranger's completion is refused, its owner's counts.
      assertThat(
              queue
                  .complete(new Completion(new Lease(running, 1, "w2"), RunStatus.SUCCESS, null))
                  .lost())
          .isTrue();
      assertThat(
              queue
                  .complete(new Completion(new Lease(running, 1, "w1"), RunStatus.ERROR, "boom"))
                  .finalStatus())
          .contains(RunStatus.ERROR);
      assertThat(queue.events(running, 0, 100))
          .extracting(RunEvent::kind)
          .containsExactly("enqueued", "claimed", "completed");

      // The queued run keeps its idempotency key and is claimed next.
      Enqueued again =
          queue.enqueue(NewRun.builder("noop").lane("up").idempotencyKey("pr-7").build());
      assertThat(again.created()).isFalse();
      assertThat(again.run().id()).isEqualTo(queued);
      assertThat(queue.claim("w3", List.of("up"), 5)).extracting(Run::id).containsExactly(queued);
      assertThat(queue.cancel(finished, "late")).isEqualTo(CancelResult.UNCHANGED);
      Run fresh = queue.enqueue(NewRun.builder("noop").lane("up").build()).run();
      assertThat(fresh.id()).isGreaterThan(queued);
      assertThat(queue.find(fresh.id()).map(Run::status)).isEqualTo(Optional.of(RunStatus.QUEUED));
    }
  }

  @Test
  void a_version_7_database_with_queued_running_and_finished_runs_upgrades_to_facts_on_the_row() {
    String schema = TestDatabase.uniqueSchema("upgrade8");
    try (Database db = Database.connect(TestDatabase.settings(), schema, 4)) {
      DataSource ds = db.dataSource();
      assertThat(SchemaMigrator.apply(ds, schema, upTo(7)).current()).isEqualTo(7);
      long finished = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long running = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long released = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long queued = OldProtocol.enqueue(ds, schema, "noop", "up", "pr-8");
      assertThat(one(ds, "SELECT count(*) FROM " + schema + ".claim_runs('w1', ARRAY['up'], 3)"))
          .isEqualTo(3);
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM "
                      + schema
                      + ".complete_run(?, 1, 'w1', 'success', 'done') AS s WHERE s = 'success'",
                  finished))
          .isEqualTo(1);
      assertThat(
              one(ds, "SELECT count(*) FROM " + schema + ".release_run(?, 1, 'w1') AS r", released))
          .isEqualTo(1);

      assertThat(Migrations.apply(ds, schema).applied()).startsWith(8);

      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      assertThat(queue.events(finished, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind())
          .containsExactly("1 enqueued", "2 claimed", "3 completed");
      assertThat(queue.find(finished).orElseThrow().message()).isEqualTo("done");

      // The running run's lease survived; its completion is written on the row.
      onlyTheOwnerCompletes(queue, running);

      // The queued run keeps its idempotency key; the released run is claimed again after it.
      Enqueued again =
          queue.enqueue(NewRun.builder("noop").lane("up").idempotencyKey("pr-8").build());
      assertThat(again.created()).isFalse();
      assertThat(again.run().id()).isEqualTo(queued);
      assertThat(queue.claim("w3", List.of("up"), 5))
          .extracting(Run::id)
          .containsExactly(released, queued);
      queue.complete(new Completion(new Lease(released, 2, "w3"), RunStatus.SUCCESS, null));
      assertThat(queue.events(released, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind() + " " + e.attempt())
          .containsExactly(
              "1 enqueued 0", "2 claimed 1", "3 released 1", "4 claimed 2", "5 completed 2");
      assertThat(queue.cancel(queued, "no longer")).isEqualTo(CancelResult.CANCEL_REQUESTED);
      Run fresh =
          queue.enqueue(NewRun.builder("noop").lane("up").idempotencyKey("pr-8").build()).run();
      assertThat(fresh.id()).isEqualTo(queued);
      assertThat(
              queue
                  .complete(new Completion(new Lease(queued, 1, "w3"), RunStatus.SUCCESS, null))
                  .finalStatus())
          .contains(RunStatus.CANCELLED);
      Run next =
          queue.enqueue(NewRun.builder("noop").lane("up").idempotencyKey("pr-8").build()).run();
      assertThat(next.id()).isGreaterThan(queued);
      assertThat(queue.events(next.id(), 0, 10))
          .extracting(RunEvent::kind)
          .containsExactly("enqueued");
    }
  }

  @Test
  void a_version_8_database_with_queued_running_and_finished_runs_upgrades_to_claim_columns_last() {
    String schema = TestDatabase.uniqueSchema("upgrade9");
    try (Database db = Database.connect(TestDatabase.settings(), schema, 4)) {
      DataSource ds = db.dataSource();
      assertThat(SchemaMigrator.apply(ds, schema, upTo(8)).current()).isEqualTo(8);
      long finished = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long running = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long queued = OldProtocol.enqueue(ds, schema, "noop", "up", "pr-9");
      assertThat(OldProtocol.claim(ds, schema, "w1", "up", 2)).containsExactly(finished, running);
      assertThat(OldProtocol.complete(ds, schema, finished, "w1", "success", "done")).isOne();
      String leaseTimes =
          "SELECT started_at::text || ' ' || heartbeat_at::text FROM "
              + schema
              + ".runs WHERE id = ?";
      String leased = text(ds, leaseTimes, running);

      assertThat(Migrations.apply(ds, schema).applied()).startsWith(9);

      // The claim's and the heartbeat's columns are the live row's last, the heartbeat's at the
      // end.
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM (SELECT attname, row_number() OVER (ORDER BY attnum DESC) n"
                      + " FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0"
                      + " AND NOT attisdropped) a WHERE (n, attname) IN ((1, 'heartbeat_at'),"
                      + " (2, 'claimed_at'), (3, 'claimed_seq'), (4, 'event_seq'), (5, 'worker_id'),"
                      + " (6, 'started_at'), (7, 'attempt'), (8, 'status'))",
                  schema + ".runs"))
          .isEqualTo(8);

      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      Run kept = queue.find(running).orElseThrow();
      assertThat(kept.status()).isEqualTo(RunStatus.RUNNING);
      assertThat(kept.attempt()).isEqualTo(1);
      assertThat(kept.workerId()).isEqualTo("w1");
      assertThat(text(ds, leaseTimes, running)).isEqualTo(leased);
      assertThat(queue.find(finished).orElseThrow().message()).isEqualTo("done");
      assertThat(queue.events(finished, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind() + " " + e.data().path("worker").asText())
          .containsExactly("1 enqueued ", "2 claimed w1", "3 completed w1");

      // The running run's lease and fencing survived: a stranger is refused, its owner completes.
      assertThat(queue.heartbeat(new Lease(running, 1, "w1"))).isEqualTo(Heartbeat.OK);
      onlyTheOwnerCompletes(queue, running);

      // The queued run keeps its idempotency key and its defaults; it is claimed and completed.
      Enqueued again =
          queue.enqueue(NewRun.builder("noop").lane("up").idempotencyKey("pr-9").build());
      assertThat(again.created()).isFalse();
      assertThat(again.run().id()).isEqualTo(queued);
      assertThat(again.run().status()).isEqualTo(RunStatus.QUEUED);
      assertThat(again.run().attempt()).isZero();
      assertThat(queue.claim("w3", List.of("up"), 5)).extracting(Run::id).containsExactly(queued);
      assertThat(queue.release(new Lease(queued, 1, "w3"))).isTrue();
      assertThat(queue.claim("w4", List.of("up"), 5)).extracting(Run::id).containsExactly(queued);
      assertThat(
              queue
                  .complete(new Completion(new Lease(queued, 2, "w4"), RunStatus.SUCCESS, null))
                  .finalStatus())
          .contains(RunStatus.SUCCESS);
      assertThat(queue.events(queued, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind() + " " + e.attempt())
          .containsExactly(
              "1 enqueued 0", "2 claimed 1", "3 released 1", "4 claimed 2", "5 completed 2");
      assertThat(queue.list(new RunFilter(null, "up", null, null, null, 10)))
          .extracting(Run::id)
          .containsExactly(queued, running, finished);

      // A fresh run gets the old defaults: queued, attempt 0, no events but its enqueue.
      Run fresh = queue.enqueue(NewRun.builder("noop").lane("up").build()).run();
      assertThat(fresh.status()).isEqualTo(RunStatus.QUEUED);
      assertThat(fresh.attempt()).isZero();
      assertThat(queue.events(fresh.id(), 0, 10))
          .extracting(RunEvent::kind)
          .containsExactly("enqueued");
    }
  }

  @Test
  void
      a_version_10_database_with_queued_running_and_finished_runs_upgrades_to_keys_without_status() {
    String schema = TestDatabase.uniqueSchema("upgrade12");
    try (Database db = Database.connect(TestDatabase.settings(), schema, 4)) {
      DataSource ds = db.dataSource();
      assertThat(SchemaMigrator.apply(ds, schema, upTo(10)).current()).isEqualTo(10);
      long finished = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long running = OldProtocol.enqueue(ds, schema, "noop", "up", null);
      long failed = OldProtocol.enqueue(ds, schema, "deploy", "up", null);
      long cancelled = OldProtocol.enqueue(ds, schema, "deploy", "down", null);
      long queued = OldProtocol.enqueue(ds, schema, "noop", "up", "pr-12");
      assertThat(OldProtocol.claim(ds, schema, "w1", "up", 3))
          .containsExactly(finished, running, failed);
      assertThat(OldProtocol.complete(ds, schema, finished, "w1", "success", "done")).isOne();
      assertThat(OldProtocol.complete(ds, schema, failed, "w1", "error", "exit 1")).isOne();
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM "
                      + schema
                      + ".cancel_run(?, 'not needed') AS s"
                      + " WHERE s = 'cancelled'",
                  cancelled))
          .isOne();

      assertThat(Migrations.apply(ds, schema).applied()).contains(12);

      // No page-order index of the history carries status; the failed runs keep theirs, and the
      // template's failed runs get one.
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND tablename = 'run_history'"
                      + " AND indexdef LIKE '%status%' AND indexdef NOT LIKE '%WHERE%'",
                  schema))
          .isZero();
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND indexname IN"
                      + " ('run_history_created_idx', 'run_history_lane_idx',"
                      + " 'run_history_template_idx', 'run_history_failed_idx',"
                      + " 'run_history_lane_failed_idx', 'run_history_template_failed_idx')",
                  schema))
          .isEqualTo(6);

      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      // Every page the console asks for finds the runs stored before the upgrade.
      assertThat(queue.list(new RunFilter(null, "up", null, null, null, 10)))
          .extracting(Run::id)
          .containsExactly(queued, failed, running, finished);
      assertThat(queue.list(new RunFilter(RunStatus.ERROR, "up", null, null, null, 10)))
          .extracting(Run::id)
          .containsExactly(failed);
      assertThat(queue.list(new RunFilter(RunStatus.ERROR, null, "deploy", null, null, 10)))
          .extracting(Run::id)
          .containsExactly(failed);
      assertThat(queue.list(new RunFilter(RunStatus.CANCELLED, null, "deploy", null, null, 10)))
          .extracting(Run::id)
          .containsExactly(cancelled);
      assertThat(queue.list(new RunFilter(RunStatus.SUCCESS, null, null, null, null, 10)))
          .extracting(Run::id)
          .containsExactly(finished);
      assertThat(queue.list(new RunFilter(null, null, "deploy", null, null, 1)))
          .extracting(Run::id)
          .containsExactly(cancelled);
      assertThat(queue.list(new RunFilter(null, null, "deploy", null, null, 1).after(cancelled)))
          .extracting(Run::id)
          .containsExactly(failed);
      assertThat(queue.lastFinished(List.of("up", "down")))
          .containsOnlyKeys("up", "down")
          .extractingByKey("up")
          .extracting(Run::id)
          .isEqualTo(failed);
      assertThat(queue.events(failed, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind() + " " + e.data().path("worker").asText())
          .containsExactly("1 enqueued ", "2 claimed w1", "3 completed w1");

      // The running run's lease survived; the queued run keeps its key and is claimed next.
      assertThat(queue.heartbeat(new Lease(running, 1, "w1"))).isEqualTo(Heartbeat.OK);
      onlyTheOwnerCompletes(queue, running);
      Enqueued again =
          queue.enqueue(NewRun.builder("noop").lane("up").idempotencyKey("pr-12").build());
      assertThat(again.created()).isFalse();
      assertThat(again.run().id()).isEqualTo(queued);
      assertThat(queue.claim("w3", List.of("up"), 5)).extracting(Run::id).containsExactly(queued);
      assertThat(
              queue
                  .complete(new Completion(new Lease(queued, 1, "w3"), RunStatus.ERROR, "again"))
                  .finalStatus())
          .contains(RunStatus.ERROR);
      assertThat(queue.list(new RunFilter(RunStatus.ERROR, "up", null, null, null, 10)))
          .extracting(Run::id)
          .containsExactly(queued, failed, running);
    }
  }

  @Test
  void a_version_12_database_with_live_and_finished_runs_upgrades_to_smaller_rows() {
    String schema = TestDatabase.uniqueSchema("upgrade13");
    String definition = "name: build\nlane: up\nsteps:\n  - name: hi\n    shell: echo hi\n";
    String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    try (Database db = Database.connect(TestDatabase.settings(), schema, 4)) {
      DataSource ds = db.dataSource();
      assertThat(SchemaMigrator.apply(ds, schema, upTo(12)).current()).isEqualTo(12);
      String enqueue =
          "SELECT run_id FROM "
              + schema
              + ".enqueue_run('build', ?, ?, ?, '{}'::jsonb, 0, 3, ?, interval '1.5 seconds',"
              + " interval '90 seconds', NULL, NULL)";
      long finished = one(ds, enqueue, hash, definition, "up", null);
      long running = one(ds, enqueue, hash, "", "up", null);
      long released = one(ds, enqueue, hash, "", "back", null);
      long queued = one(ds, enqueue, hash, "", "later", "pr-13");
      assertThat(OldProtocol.claim(ds, schema, "w1", "up", 2)).containsExactly(finished, running);
      assertThat(OldProtocol.claim(ds, schema, "w1", "back", 1)).containsExactly(released);
      assertThat(OldProtocol.complete(ds, schema, finished, "w1", "success", "done")).isOne();
      assertThat(
              one(
                  ds,
                  "SELECT count(*) FROM " + schema + ".release_run(?, 1, 'w1') AS r WHERE r",
                  released))
          .isOne();

      assertThat(Migrations.apply(ds, schema).applied()).contains(13);

      // The hash is stored as its 32 bytes, the delays as milliseconds; the live row has no second
      // copy of the claiming worker.
      assertThat(
              text(
                  ds,
                  "SELECT string_agg(table_name || '.' || column_name || ' ' || data_type, ', '"
                      + " ORDER BY table_name, column_name) FROM information_schema.columns"
                      + " WHERE table_schema = ? AND column_name IN ('template_hash', 'hash',"
                      + " 'backoff_ms', 'max_backoff_ms', 'claimed_by', 'backoff')"
                      + " AND table_name IN ('runs', 'run_history', 'run_templates')",
                  schema))
          .isEqualTo(
              "run_history.backoff_ms integer, run_history.claimed_by text,"
                  + " run_history.max_backoff_ms integer, run_history.template_hash bytea,"
                  + " run_templates.hash bytea, runs.backoff_ms integer,"
                  + " runs.max_backoff_ms integer, runs.template_hash bytea");
      assertThat(
              one(
                  ds,
                  "SELECT octet_length(template_hash) FROM " + schema + ".runs WHERE id = ?",
                  running))
          .isEqualTo(32);

      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      for (long id : List.of(finished, running, released, queued)) {
        Run run = queue.find(id).orElseThrow();
        assertThat(run.templateHash()).isEqualTo(hash);
        assertThat(run.backoff()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(run.maxBackoff()).isEqualTo(java.time.Duration.ofSeconds(90));
      }
      assertThat(queue.templateDefinition(hash)).contains(definition);
      assertThat(queue.templateDefinition(hash.toUpperCase(java.util.Locale.ROOT)))
          .contains(definition);
      assertThat(queue.templateDefinition("not hex")).isEmpty();
      assertThat(queue.find(finished).orElseThrow().message()).isEqualTo("done");
      assertThat(queue.events(finished, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind() + " " + e.data().path("worker").asText())
          .containsExactly("1 enqueued ", "2 claimed w1", "3 completed w1");

      // The running run's claim names its worker from the live row; its lease and fencing hold.
      assertThat(queue.events(running, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind() + " " + e.data().path("worker").asText())
          .containsExactly("1 enqueued ", "2 claimed w1");
      assertThat(queue.heartbeat(new Lease(running, 1, "w1"))).isEqualTo(Heartbeat.OK);
      onlyTheOwnerCompletes(queue, running);

      // The released run keeps its first claim's event row and is claimed again by another worker.
      assertThat(queue.claim("w3", List.of("back"), 5))
          .extracting(Run::id)
          .containsExactly(released);
      assertThat(queue.release(new Lease(released, 2, "w3"))).isTrue();
      assertThat(queue.claim("w4", List.of("back"), 5))
          .extracting(Run::id)
          .containsExactly(released);
      assertThat(
              queue
                  .complete(new Completion(new Lease(released, 3, "w4"), RunStatus.SUCCESS, null))
                  .finalStatus())
          .contains(RunStatus.SUCCESS);
      assertThat(queue.events(released, 0, 100))
          .extracting(e -> e.seq() + " " + e.kind() + " " + e.data().path("worker").asText())
          .containsExactly(
              "1 enqueued ",
              "2 claimed w1",
              "3 released w1",
              "4 claimed w3",
              "5 released w3",
              "6 claimed w4",
              "7 completed w4");

      // The queued run keeps its idempotency key; a run enqueued now links to the same template.
      Enqueued again =
          queue.enqueue(
              NewRun.builder("build")
                  .lane("later")
                  .idempotencyKey("pr-13")
                  .templateDefinition(hash, definition)
                  .build());
      assertThat(again.created()).isFalse();
      assertThat(again.run().id()).isEqualTo(queued);
      Run fresh =
          queue
              .enqueue(NewRun.builder("build").lane("later").templateDefinition(hash, "").build())
              .run();
      assertThat(fresh.templateHash()).isEqualTo(hash);
      assertThat(one(ds, "SELECT count(*) FROM " + schema + ".run_templates")).isOne();
      assertThat(queue.claim("w5", List.of("later"), 5))
          .extracting(Run::id, Run::templateDefinition)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(queued, definition),
              org.assertj.core.groups.Tuple.tuple(fresh.id(), definition));
    }
  }

  @Test
  void
      a_version_14_database_upgrades_to_history_indexes_by_name_hash_and_every_page_finds_its_runs() {
    try (Database db = atVersion("upgrade15", 14)) {
      DataSource ds = db.dataSource();
      String schema = db.schema();
      // Finished runs in two lanes and two templates, one of each failed; a running and a queued
      // run in lane a.
      List<Long> finished = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String lane = i % 2 == 0 ? "a" : "b";
        long id = OldProtocol.enqueue(ds, schema, i < 3 ? "t1" : "t2", lane, null);
        assertThat(OldProtocol.claim(ds, schema, "w1", lane, 1)).containsExactly(id);
        assertThat(OldProtocol.complete(ds, schema, id, "w1", i == 4 ? "error" : "success", null))
            .isOne();
        finished.add(id);
      }
      long running = OldProtocol.enqueue(ds, schema, "t1", "a", null);
      assertThat(OldProtocol.claim(ds, schema, "w1", "a", 1)).containsExactly(running);
      long queued = OldProtocol.enqueue(ds, schema, "t2", "a", "pr-15");

      assertThat(Migrations.apply(ds, schema).applied()).startsWith(15);

      assertThat(
              text(
                  ds,
                  "SELECT string_agg(indexdef, E'\\n' ORDER BY indexname) FROM pg_indexes"
                      + " WHERE schemaname = ? AND indexname IN ('run_history_lane_idx',"
                      + " 'run_history_template_idx')",
                  schema))
          .isEqualTo(
              "CREATE INDEX run_history_lane_idx ON "
                  + schema
                  + ".run_history USING btree (hashtext(lane), created_at)"
                  + " WITH (deduplicate_items=off)\n"
                  + "CREATE INDEX run_history_template_idx ON "
                  + schema
                  + ".run_history USING btree (hashtext(template), created_at)"
                  + " WITH (deduplicate_items=off)");

      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      onlyTheOwnerCompletes(queue, running);
      // Each page holds exactly its lane's or template's runs, live and finished, newest first.
      assertThat(queue.list(new RunFilter(null, "a", null, null, null, 50)))
          .extracting(Run::id)
          .containsExactly(queued, running, finished.get(4), finished.get(2), finished.get(0));
      assertThat(queue.list(new RunFilter(null, "b", null, null, null, 2)))
          .extracting(Run::id)
          .containsExactly(finished.get(5), finished.get(3));
      assertThat(queue.list(new RunFilter(null, "b", null, null, null, 2).after(finished.get(3))))
          .extracting(Run::id)
          .containsExactly(finished.get(1));
      assertThat(queue.list(new RunFilter(null, null, "t1", null, null, 50)))
          .extracting(Run::id)
          .containsExactly(running, finished.get(2), finished.get(1), finished.get(0));
      assertThat(queue.list(new RunFilter(null, "a", "t2", null, null, 50)))
          .extracting(Run::id)
          .containsExactly(queued, finished.get(4));
      assertThat(queue.list(new RunFilter(RunStatus.SUCCESS, "b", null, null, null, 50)))
          .extracting(Run::id)
          .containsExactly(finished.get(5), finished.get(3), finished.get(1));
      assertThat(queue.list(new RunFilter(RunStatus.ERROR, "a", null, null, null, 50)))
          .extracting(Run::id)
          .containsExactly(running, finished.get(4));
      assertThat(queue.list(new RunFilter(null, "c", null, null, null, 50))).isEmpty();
      assertThat(queue.lastFinished(List.of("a", "b", "c")))
          .hasSize(2)
          .hasEntrySatisfying("a", r -> assertThat(r.id()).isEqualTo(running))
          .hasEntrySatisfying("b", r -> assertThat(r.id()).isEqualTo(finished.get(5)));

      // Two names with the same hashtext: each page and each last run holds its own name's only.
      assertThat(text(ds, "SELECT hashtext('lane-75337') = hashtext('lane-128720')"))
          .isEqualTo("t");
      long one = finish(queue, "lane-75337");
      long other = finish(queue, "lane-128720");
      assertThat(queue.list(new RunFilter(null, "lane-75337", null, null, null, 50)))
          .extracting(Run::id)
          .containsExactly(one);
      assertThat(queue.list(new RunFilter(null, null, "lane-128720", null, null, 50)))
          .extracting(Run::id)
          .containsExactly(other);
      assertThat(queue.lastFinished(List.of("lane-75337", "lane-128720")))
          .hasEntrySatisfying("lane-75337", r -> assertThat(r.id()).isEqualTo(one))
          .hasEntrySatisfying("lane-128720", r -> assertThat(r.id()).isEqualTo(other));
    }
  }

  @Test
  void a_version_15_database_upgrades_to_claims_that_merge_their_lanes() {
    try (Database db = atVersion("upgrade16", 15)) {
      DataSource ds = db.dataSource();
      String schema = db.schema();
      // A finished and a running run in lane a; queued runs in lanes a, b and c, one of b's with
      // a higher priority.
      long finished = OldProtocol.enqueue(ds, schema, "t1", "a", null);
      assertThat(OldProtocol.claim(ds, schema, "w1", "a", 1)).containsExactly(finished);
      assertThat(OldProtocol.complete(ds, schema, finished, "w1", "success", null)).isOne();
      long running = OldProtocol.enqueue(ds, schema, "t1", "a", null);
      assertThat(OldProtocol.claim(ds, schema, "w1", "a", 1)).containsExactly(running);
      List<Long> queued = new java.util.ArrayList<>();
      for (String lane : List.of("a", "b", "c", "a", "b", "c")) {
        queued.add(OldProtocol.enqueue(ds, schema, "t2", lane, null));
      }
      TestDatabase.execute(
          ds, "UPDATE " + schema + ".runs SET priority = 5 WHERE id = " + queued.get(4));

      assertThat(Migrations.apply(ds, schema).applied()).containsExactly(16);

      // claim_runs over several lanes (one named twice): the best priority first, then the oldest.
      assertThat(
              text(
                  ds,
                  "SELECT string_agg(id::text, ',' ORDER BY priority DESC, id) FROM "
                      + schema
                      + ".claim_runs('w2', ARRAY['a', 'b', 'c', 'b'], 3)"))
          .isEqualTo(queued.get(4) + "," + queued.get(0) + "," + queued.get(1));
      // The client's claim over the same lanes takes the next ones in the same order.
      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      assertThat(queue.claim("w3", List.of("c", "a", "b"), 5))
          .extracting(Run::id)
          .containsExactly(queued.get(2), queued.get(3), queued.get(5));
      // The run claimed before the upgrade is still its worker's, and the finished one stays so.
      onlyTheOwnerCompletes(queue, running);
      assertThat(queue.find(finished))
          .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(RunStatus.SUCCESS));
    }
  }

  /** A fresh schema migrated up to {@code version}, to store runs in before an upgrade. */
  private static Database atVersion(String name, int version) {
    Database db = Database.connect(TestDatabase.settings(), TestDatabase.uniqueSchema(name), 4);
    assertThat(SchemaMigrator.apply(db.dataSource(), db.schema(), upTo(version)).current())
        .isEqualTo(version);
    return db;
  }

  /** Enqueues a run of template {@code name} in lane {@code name} and finishes it; its id. */
  private static long finish(JdbcRunQueue queue, String name) {
    long id = queue.enqueue(NewRun.builder(name).lane(name).build()).run().id();
    assertThat(queue.claim("w9", List.of(name), 1)).extracting(Run::id).containsExactly(id);
    queue.complete(new Completion(new Lease(id, 1, "w9"), RunStatus.SUCCESS, null));
    return id;
  }

  @Test
  void prune_history_deletes_old_finished_runs_with_their_events_and_never_a_live_run() {
    try (Database db = TestDatabase.freshSchema("prune", 2)) {
      DataSource ds = db.dataSource();
      String schema = db.schema();
      JdbcRunQueue queue = new JdbcRunQueue(ds, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      long old = queue.enqueue(NewRun.builder("noop").lane("p").build()).run().id();
      long oldQueued = queue.enqueue(NewRun.builder("noop").lane("p").build()).run().id();
      Run claimed = queue.claim("w", List.of("p"), 1).get(0);
      assertThat(claimed.id()).isEqualTo(old);
      queue.complete(new Completion(new Lease(old, 1, "w"), RunStatus.SUCCESS, null));
      long recent = queue.enqueue(NewRun.builder("noop").lane("p").build()).run().id();
      assertThat(queue.cancel(recent, "no")).isEqualTo(CancelResult.CANCELLED);
      TestDatabase.execute(
          ds,
          "UPDATE "
              + schema
              + ".run_history SET created_at = now() - interval '100 days' WHERE id = "
              + old);
      TestDatabase.execute(
          ds,
          "UPDATE "
              + schema
              + ".runs SET created_at = now() - interval '100 days' WHERE id = "
              + oldQueued);

      assertThat(one(ds, "SELECT " + schema + ".prune_history(now() - interval '90 days', 10)"))
          .isEqualTo(1);
      assertThat(one(ds, "SELECT " + schema + ".prune_history(now() - interval '90 days', 10)"))
          .isZero();
      assertThat(queue.find(old)).isEmpty();
      assertThat(queue.events(old, 0, 10)).isEmpty();
      assertThat(queue.find(oldQueued).map(Run::status)).contains(RunStatus.QUEUED);
      assertThat(queue.find(recent).map(Run::status)).contains(RunStatus.CANCELLED);
      assertThat(queue.events(recent, 0, 10)).extracting(RunEvent::kind).contains("cancelled");
    }
  }
}
