package dev.tollgate.core.db.internal.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One pooled connection held on its own thread to LISTEN on some channels, reconnecting with capped
 * backoff (100 ms doubling to 5 s) when it drops. PostgreSQL delivers a notification only when the
 * sending transaction commits. The connection goes back to the pool as it came: unsubscribed, with
 * its application name restored.
 *
 * <p>The thread waits for notifications in a blocking read that an interrupt does not end, so it
 * also listens on a channel of its own, {@code tollgate_wake_<random>}, on which {@link #close}
 * notifies it: a close then returns once the connection is back in the pool, rather than after the
 * rest of the wait (up to {@code pollMs}; a worker's {@code --once} spent about 0.5 s of its exit
 * there). Only notifications on the channels it was asked for reach {@link #notified}: not its
 * wake-ups, nor any a previous borrower of the pooled connection left unread.
 */
abstract class ListeningConnection implements AutoCloseable, Runnable {

  private final DataSource dataSource;
  private final String applicationName;
  private final List<String> channels;
  private final int pollMs;
  private final String wakeChannel;
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
    this.wakeChannel =
        "tollgate_wake_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
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

  /** Whether the listening thread has ended (after {@link #close}, say). */
  final boolean ended() {
    return !thread.isAlive();
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
      Connection c = null;
      try {
        c = dataSource.getConnection();
        c.setAutoCommit(true);
        String pooledName = setApplicationName(c, applicationName);
        try (Statement st = c.createStatement()) {
          for (String channel : channels) {
            st.execute("LISTEN " + channel);
          }
          st.execute("LISTEN " + wakeChannel);
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
              if (channels.contains(n.getName())) {
                notified(n);
              }
            }
          }
          between(c);
        }
        connected = false;
        try (Statement st = c.createStatement()) {
          st.execute("UNLISTEN *");
        }
        setApplicationName(c, pooledName);
        Connection clean = c;
        c = null;
        clean.close();
      } catch (SQLException | RuntimeException e) {
        connected = false;
        discard(dataSource, c);
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

  /**
   * Gives back a connection that failed while listening (the server restarted, the backend was
   * terminated) so that it is never lent again: a HikariCP pool evicts it; any other pool gets it
   * back closed underneath, for its own check to find. The failure happened on the driver's
   * connection, which a pool's wrapper does not see, and a pool lends a connection it took back a
   * moment ago without checking it.
   */
  static void discard(DataSource dataSource, Connection c) {
    if (c == null) {
      return;
    }
    try {
      if (dataSource.isWrapperFor(HikariDataSource.class)) {
        dataSource.unwrap(HikariDataSource.class).evictConnection(c);
        return;
      }
    } catch (SQLException | RuntimeException e) {
      // Not a HikariCP pool after all: close it underneath, below.
    }
    try {
      if (c.unwrap(PGConnection.class) instanceof Connection physical && physical != c) {
        physical.close();
      }
    } catch (SQLException | RuntimeException e) {
      // Already closed: what the pool should find.
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // The pool refused it back; it is gone either way.
    }
  }

  /** Notifies the listening thread on its own channel, so that its wait ends now. */
  private void wake() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      Jdbc.first(c, "SELECT pg_notify(?, '')", rs -> Boolean.TRUE, wakeChannel);
    } catch (SQLException | RuntimeException e) {
      // The thread ends at its next turn anyway, at most pollMs from now.
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

  /**
   * Stops listening and waits up to 2 s for the connection to go back to the pool: the thread is
   * woken by a notification on its own channel, sent from a thread of its own, so a pool with no
   * connection to spare delays nothing beyond the thread's next turn.
   */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    if (connected && thread.isAlive()) {
      Thread wake = new Thread(this::wake, thread.getName() + "-wake");
      wake.setDaemon(true);
      wake.start();
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
