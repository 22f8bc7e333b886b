package dev.tollgate.core.db.internal.jdbc;

import dev.tollgate.core.runs.LogWatch;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The PostgreSQL {@link LogWatch}: one dedicated connection LISTENs on {@code <schema>_log}, and
 * each watched run has a row in {@code watched_runs} (a lease this listener renews), which makes
 * {@code append_run_events} NOTIFY for that run. If the connection drops, it reconnects with capped
 * backoff, registers every watched run again and calls the resync callback.
 */
final class LogListener implements LogWatch, Runnable {

  /** How long a watch lasts unless renewed; a dead server's watches end on their own after it. */
  private static final int LEASE_SECONDS = 60;

  /** How often live watches are renewed and expired ones deleted. */
  private static final long RENEW_EVERY_MS = 20_000;

  private final DataSource dataSource;
  private final String schema;
  private final LongConsumer onAppended;
  private final Runnable onResync;
  private final String watcher = UUID.randomUUID().toString();
  private final Set<Long> watched = ConcurrentHashMap.newKeySet();
  private final Set<Long> registered = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean connected;
  private volatile boolean closed;

  private LogListener(
      DataSource dataSource, String schema, LongConsumer onAppended, Runnable onResync) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.onAppended = onAppended;
    this.onResync = onResync;
    this.thread = new Thread(this, "tollgate-log-listen-" + schema);
    this.thread.setDaemon(true);
  }

  static LogListener start(
      DataSource dataSource, String schema, LongConsumer onAppended, Runnable onResync) {
    LogListener listener = new LogListener(dataSource, schema, onAppended, onResync);
    listener.thread.start();
    return listener;
  }

  @Override
  public void watch(long runId) {
    if (!watched.add(runId) || !connected) {
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
    return connected && registered.contains(runId);
  }

  @Override
  public void run() {
    long backoffMs = 100;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        String pooledName = setApplicationName(c, applicationName());
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + schema + "_log");
        }
        registered.clear();
        register(c, List.copyOf(watched));
        connected = true;
        backoffMs = 100;
        // Appends made before the LISTEN or the registration were not announced.
        onResync.run();
        PGConnection pg = c.unwrap(PGConnection.class);
        long renewed = System.nanoTime();
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(250);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              announce(n.getParameter());
            }
          }
          List<Long> missing = watched.stream().filter(id -> !registered.contains(id)).toList();
          if (!missing.isEmpty()) {
            register(c, missing);
          }
          if (System.nanoTime() - renewed > RENEW_EVERY_MS * 1_000_000) {
            renew(c);
            renewed = System.nanoTime();
          }
        }
        // Back to the pool as it came.
        try (Statement st = c.createStatement()) {
          st.execute("UNLISTEN *");
        }
        setApplicationName(c, pooledName);
      } catch (SQLException | RuntimeException e) {
        connected = false;
        if (closed) {
          return;
        }
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          return;
        }
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
    connected = false;
  }

  /** Sets the connection's {@code application_name}; returns the one it had. */
  private static String setApplicationName(Connection c, String name) throws SQLException {
    return Jdbc.one(
        c,
        "SELECT current_setting('application_name'), set_config('application_name', ?, false)",
        rs -> rs.getString(1),
        name);
  }

  /** What {@code pg_stat_activity} shows for the listening connection. */
  String applicationName() {
    return "tollgate live log " + schema;
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
    closed = true;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
