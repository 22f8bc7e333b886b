package dev.tollgate.core.db.internal.jdbc;

import dev.tollgate.core.runs.LogWatch;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGNotification;

/**
 * The PostgreSQL {@link LogWatch}: one dedicated connection LISTENs on {@code <schema>_log}, and
 * each watched run has a row in {@code watched_runs} (a lease this listener renews), which makes
 * {@code append_run_events} NOTIFY for that run. If the connection drops, it reconnects with capped
 * backoff, registers every watched run again and calls the resync callback.
 */
final class LogListener extends ListeningConnection implements LogWatch {

  /** How long a watch lasts unless renewed; a dead server's watches end on their own after it. */
  private static final int LEASE_SECONDS = 60;

  /** How often live watches are renewed and expired ones deleted. */
  private static final long RENEW_EVERY_NANOS = 20_000_000_000L;

  private final DataSource dataSource;
  private final String schema;
  private final LongConsumer onAppended;
  private final Runnable onResync;
  private final String watcher = UUID.randomUUID().toString();
  private final Set<Long> watched = ConcurrentHashMap.newKeySet();
  private final Set<Long> registered = ConcurrentHashMap.newKeySet();
  private long renewed;

  private LogListener(
      DataSource dataSource, String schema, LongConsumer onAppended, Runnable onResync) {
    super(dataSource, applicationName(schema), List.of(schema + "_log"), 250);
    this.dataSource = dataSource;
    this.schema = schema;
    this.onAppended = onAppended;
    this.onResync = onResync;
  }

  static LogListener start(
      DataSource dataSource, String schema, LongConsumer onAppended, Runnable onResync) {
    LogListener listener = new LogListener(dataSource, schema, onAppended, onResync);
    listener.start();
    return listener;
  }

  /** What {@code pg_stat_activity} shows for the listening connection of {@code schema}. */
  static String applicationName(String schema) {
    return "tollgate live log " + schema;
  }

  @Override
  public void watch(long runId) {
    if (!watched.add(runId) || !connected()) {
      return; // already watched, or the listener registers it once connected
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      register(c, List.of(runId));
    } catch (SQLException e) {
      // The listener's thread registers what is still unregistered on its next turn.
    }
  }

  @Override
  public void unwatch(long runId) {
    if (!watched.remove(runId)) {
      return;
    }
    registered.remove(runId);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      Jdbc.update(
          c,
          "DELETE FROM " + schema + ".watched_runs WHERE run_id = ? AND watcher = ?",
          runId,
          watcher);
    } catch (SQLException e) {
      // The row expires on its own; until then appends to the run send a notification nobody uses.
    }
  }

  @Override
  public boolean live(long runId) {
    return connected() && registered.contains(runId);
  }

  @Override
  void listening(Connection c) throws SQLException {
    registered.clear();
    register(c, List.copyOf(watched));
    renewed = System.nanoTime();
  }

  @Override
  void reconnected() {
    // Appends made before the LISTEN or the registration were not announced.
    onResync.run();
  }

  @Override
  void notified(PGNotification n) {
    announce(n.getParameter());
  }

  @Override
  void between(Connection c) throws SQLException {
    List<Long> missing = watched.stream().filter(id -> !registered.contains(id)).toList();
    if (!missing.isEmpty()) {
      register(c, missing);
    }
    if (System.nanoTime() - renewed > RENEW_EVERY_NANOS) {
      renew(c);
      renewed = System.nanoTime();
    }
  }

  private void announce(String payload) {
    long runId;
    try {
      runId = Long.parseLong(payload);
    } catch (NumberFormatException e) {
      return; // not ours
    }
    if (watched.contains(runId)) {
      onAppended.accept(runId);
    }
  }

  /** Inserts or renews the watches of {@code runIds}, then counts them as registered. */
  private void register(Connection c, List<Long> runIds) throws SQLException {
    if (runIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + schema
                + ".watched_runs (run_id, watcher, expires_at)"
                + " SELECT id, ?, now() + ? * interval '1 second' FROM unnest(?::bigint[]) AS id"
                + " ON CONFLICT (run_id, watcher) DO UPDATE SET expires_at = excluded.expires_at")) {
      ps.setString(1, watcher);
      ps.setInt(2, LEASE_SECONDS);
      ps.setArray(3, ids(c, runIds));
      ps.executeUpdate();
    }
    for (Long id : runIds) {
      if (watched.contains(id)) {
        registered.add(id);
      }
    }
  }

  /** Renews this listener's live watches, and deletes every expired one, whoever left it. */
  private void renew(Connection c) throws SQLException {
    register(c, List.copyOf(watched));
    Jdbc.update(c, "DELETE FROM " + schema + ".watched_runs WHERE expires_at < now()");
  }

  private static Array ids(Connection c, List<Long> runIds) throws SQLException {
    return c.createArrayOf("bigint", runIds.toArray());
  }

  @Override
  public void close() {
    super.close();
    if (watched.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      Jdbc.update(c, "DELETE FROM " + schema + ".watched_runs WHERE watcher = ?", watcher);
    } catch (SQLException e) {
      // They expire on their own.
    }
    watched.clear();
    registered.clear();
  }
}
