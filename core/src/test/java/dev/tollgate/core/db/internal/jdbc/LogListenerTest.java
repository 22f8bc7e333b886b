package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.LogWatch;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Watching run logs through PostgreSQL: which appends send a notification, and how a watch survives
 * losing its connection.
 */
class LogListenerTest {

  private Database db;
  private JdbcRunQueue queue;
  private final LinkedBlockingQueue<Long> announced = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> resyncs = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() {
    db = TestDatabase.freshSchema("loglisten", 4);
    queue = new JdbcRunQueue(db.dataSource(), db.schema(), JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Lease running() {
    long id = queue.enqueue(NewRun.builder("noop").lane("logs").build()).run().id();
    Run run = queue.claim("w", List.of("logs"), 1).get(0);
    assertThat(run.id()).isEqualTo(id);
    return new Lease(id, run.attempt(), "w");
  }

  private void append(Lease lease, String line) {
    assertThat(queue.appendEvents(lease, List.of(NewEvent.output("stdout", line)))).isTrue();
  }

  private LogWatch watch() throws InterruptedException {
    LogWatch watch = queue.watchLogs(announced::add, () -> resyncs.add("resync"));
    assertThat(resyncs.poll(10, TimeUnit.SECONDS)).as("connected").isEqualTo("resync");
    return watch;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private int watchRows() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + db.schema() + ".watched_runs")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void an_append_to_a_watched_run_is_announced_once_it_commits() throws Exception {
    Lease lease = running();
    try (LogWatch watch = watch()) {
      watch.watch(lease.runId());
      await(() -> watch.live(lease.runId()), "the watch is live");

      append(lease, "hello");

      assertThat(announced.poll(10, TimeUnit.SECONDS)).isEqualTo(lease.runId());
    }
  }

  @Test
  void appends_to_runs_nobody_watches_or_whose_watch_expired_send_no_notification()
      throws Exception {
    Lease unwatched = running();
    Lease expired = running();
    Lease watched = running();
    try (Connection raw = db.dataSource().getConnection();
        LogWatch watch = watch()) {
      raw.setAutoCommit(true);
      try (Statement st = raw.createStatement()) {
        st.execute("LISTEN " + db.schema() + "_log");
        // A watch some other server left behind and never renewed.
        st.execute(
            "INSERT INTO "
                + db.schema()
                + ".watched_runs VALUES ("
                + expired.runId()
                + ", 'gone', now() - interval '1 second')");
      }
      watch.watch(watched.runId());
      await(() -> watch.live(watched.runId()), "the watch is live");

      append(unwatched, "nobody reads this");
      append(expired, "nor this");
      append(watched, "but this");

      // Notifications arrive in commit order: the watched run's is the first and the only one.
      PGConnection pg = raw.unwrap(PGConnection.class);
      PGNotification[] got = pg.getNotifications(10_000);
      assertThat(got).isNotNull();
      assertThat(got)
          .extracting(PGNotification::getParameter)
          .containsExactly(String.valueOf(watched.runId()));
      assertThat(announced.poll(10, TimeUnit.SECONDS)).isEqualTo(watched.runId());
      assertThat(announced).isEmpty();
    }
  }

  @Test
  void an_unwatched_run_is_no_longer_announced_and_closing_removes_every_watch() throws Exception {
    Lease first = running();
    Lease second = running();
    LogWatch watch = watch();
    watch.watch(first.runId());
    watch.watch(second.runId());
    await(() -> watch.live(first.runId()) && watch.live(second.runId()), "both watches are live");
    assertThat(watchRows()).isEqualTo(2);

    watch.unwatch(first.runId());
    assertThat(watch.live(first.runId())).isFalse();
    append(first, "after unwatch");
    append(second, "still watched");
    assertThat(announced.poll(10, TimeUnit.SECONDS)).isEqualTo(second.runId());
    assertThat(announced).isEmpty();

    watch.close();
    assertThat(watch.live(second.runId())).isFalse();
    assertThat(watchRows()).isZero();
  }

  @Test
  void a_watch_whose_connection_is_killed_reconnects_says_so_and_announces_again()
      throws Exception {
    Lease lease = running();
    try (LogWatch watch = watch()) {
      watch.watch(lease.runId());
      await(() -> watch.live(lease.runId()), "the watch is live");

      assertThat(TestDatabase.terminate(db.dataSource(), "tollgate live log " + db.schema()))
          .as("listening connections killed")
          .isOne();

      assertThat(resyncs.poll(20, TimeUnit.SECONDS)).as("reconnected").isEqualTo("resync");
      await(() -> watch.live(lease.runId()), "the watch is live again");
      append(lease, "after the reconnect");
      assertThat(announced.poll(10, TimeUnit.SECONDS)).isEqualTo(lease.runId());
    }
  }

  @Test
  void a_database_upgraded_with_a_run_mid_log_keeps_its_lines_and_announces_new_ones()
      throws Exception {
    int migration =
        Migrations.shipped().stream()
            .filter(m -> m.description().equals("watched run logs"))
            .findFirst()
            .orElseThrow()
            .version();
    String schema = TestDatabase.uniqueSchema("loglisten_upgrade");
    try (Database old = Database.connect(TestDatabase.settings(), schema, 4)) {
      List<SchemaMigrator.Step> before =
          Migrations.shipped().stream()
              .filter(m -> m.version() < migration)
              .map(
                  m -> new SchemaMigrator.Step(m.version(), m.description(), m.sql(), m.checksum()))
              .toList();
      assertThat(SchemaMigrator.apply(old.dataSource(), schema, before).current())
          .isEqualTo(migration - 1);
      // The run is written through the SQL protocol, as a client of that version did: this
      // version's client speaks only the current schema.
      OldProtocol.enqueue(old.dataSource(), schema, "noop", "upgrade", null);
      List<Long> claimed = OldProtocol.claim(old.dataSource(), schema, "w", "upgrade", 1);
      assertThat(claimed).hasSize(1);
      long runId = claimed.get(0);
      try (Connection c = old.dataSource().getConnection();
          Statement st = c.createStatement()) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT "
                    + schema
                    + ".append_run_events("
                    + runId
                    + ", 1, 'w', '[{\"kind\": \"output\", \"stream\": \"stdout\","
                    + " \"message\": \"one\"}]'::jsonb)")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isOne();
        }
      }
      Lease lease = new Lease(runId, 1, "w");

      assertThat(Migrations.apply(old.dataSource(), schema).applied()).contains(migration);

      queue = new JdbcRunQueue(old.dataSource(), schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      try (LogWatch watch = watch()) {
        watch.watch(runId);
        await(() -> watch.live(runId), "the watch is live");
        assertThat(queue.appendEvents(lease, List.of(NewEvent.output("stdout", "two")))).isTrue();
        assertThat(announced.poll(10, TimeUnit.SECONDS)).isEqualTo(runId);
      }
      assertThat(queue.events(runId, 0, 100))
          .filteredOn(e -> e.kind().equals("output"))
          .extracting(RunEvent::message)
          .containsExactly("one", "two");
    }
  }

  @Test
  void listeners_give_their_connection_back_to_the_pool_without_subscriptions() throws Exception {
    try (Database single = TestDatabase.freshSchema("loglisten_pool", 1)) {
      JdbcRunQueue small =
          new JdbcRunQueue(
              single.dataSource(), single.schema(), JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      // The pool has one connection: each listener takes it, and it must come back as it was.
      String clean = subscriptions(single);
      assertThat(clean).startsWith("0 channels");
      LinkedBlockingQueue<String> woken = new LinkedBlockingQueue<>();
      AutoCloseable queueListener = small.listen(lane -> woken.add(String.valueOf(lane)), id -> {});
      assertThat(woken.poll(10, TimeUnit.SECONDS)).as("listening").isEqualTo("null");
      queueListener.close();
      assertThat(subscriptions(single)).isEqualTo(clean);

      LinkedBlockingQueue<String> resynced = new LinkedBlockingQueue<>();
      LogWatch watch = small.watchLogs(id -> {}, () -> resynced.add("resync"));
      assertThat(resynced.poll(10, TimeUnit.SECONDS)).as("listening").isEqualTo("resync");
      watch.close();
      assertThat(subscriptions(single)).isEqualTo(clean);
    }
  }

  private static String subscriptions(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM pg_listening_channels()),"
                    + " current_setting('application_name')")) {
      rs.next();
      return rs.getInt(1) + " channels, application " + rs.getString(2);
    }
  }
}
