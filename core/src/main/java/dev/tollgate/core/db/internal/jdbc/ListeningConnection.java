package dev.tollgate.core.db.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One pooled connection held on its own thread to LISTEN on some channels, reconnecting with capped
 * backoff (100 ms doubling to 5 s) when it drops. PostgreSQL delivers a notification only when the
 * sending transaction commits. The connection goes back to the pool as it came: unsubscribed, with
 * its application name restored.
 */
abstract class ListeningConnection implements AutoCloseable, Runnable {

  private final DataSource dataSource;
  private final String applicationName;
  private final List<String> channels;
  private final int pollMs;
  private final Thread thread;
  private volatile boolean connected;
  private volatile boolean closed;

  /**
   * A listener on {@code channels} (plain identifiers), shown in {@code pg_stat_activity} as {@code
   * applicationName}, waking at least every {@code pollMs} to run {@link #between}.
   */
  ListeningConnection(
      DataSource dataSource, String applicationName, List<String> channels, int pollMs) {
    this.dataSource = dataSource;
    this.applicationName = applicationName;
    this.channels = List.copyOf(channels);
    this.pollMs = pollMs;
    this.thread = new Thread(this, applicationName.replace(' ', '-'));
    this.thread.setDaemon(true);
  }

  /** Starts the listening thread; call once, after construction. */
  final void start() {
    thread.start();
  }

  /** Whether the connection is up and listening. */
  final boolean connected() {
    return connected;
  }

  /**
   * Called on the listening thread once the channels are listened to, before {@code connected()}
   * turns true: notifications sent before now were missed.
   */
  abstract void listening(Connection c) throws SQLException;

  /** Called on the listening thread with each notification, in commit order. */
  abstract void notified(PGNotification notification);

  /** Called on the listening thread after each wait for notifications, with or without any. */
  void between(Connection c) throws SQLException {}

  /** Called on the listening thread once the connection is connected() again after a drop. */
  void reconnected() {}

  @Override
  public final void run() {
    long backoffMs = 100;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        String pooledName = setApplicationName(c, applicationName);
        try (Statement st = c.createStatement()) {
          for (String channel : channels) {
            st.execute("LISTEN " + channel);
          }
        }
        listening(c);
        connected = true;
        backoffMs = 100;
        reconnected();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(pollMs);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              notified(n);
            }
          }
          between(c);
        }
        connected = false;
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
  }

  /** Sets the connection's {@code application_name}; returns the one it had. */
  private static String setApplicationName(Connection c, String name) throws SQLException {
    return Jdbc.one(
        c,
        "SELECT current_setting('application_name'), set_config('application_name', ?, false)",
        rs -> rs.getString(1),
        name);
  }

  /** Stops listening and waits up to 2 s for the connection to go back to the pool. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
