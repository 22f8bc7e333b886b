package dev.tollgate.core.db.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the queue's notification channels on one dedicated connection, reconnecting with
 * capped backoff when it drops. PostgreSQL delivers notifications only when the sending transaction
 * commits, so a rolled-back enqueue never wakes anyone.
 */
final class NotificationListener implements AutoCloseable, Runnable {

  private final DataSource dataSource;
  private final String schema;
  private final Consumer<String> onRunnable;
  private final LongConsumer onCancel;
  private final Thread thread;
  private volatile boolean closed;

  private NotificationListener(
      DataSource dataSource, String schema, Consumer<String> onRunnable, LongConsumer onCancel) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.onRunnable = onRunnable;
    this.onCancel = onCancel;
    this.thread = new Thread(this, "tollgate-listen-" + schema);
    this.thread.setDaemon(true);
  }

  static NotificationListener start(
      DataSource dataSource, String schema, Consumer<String> onRunnable, LongConsumer onCancel) {
    NotificationListener listener =
        new NotificationListener(dataSource, schema, onRunnable, onCancel);
    listener.thread.start();
    return listener;
  }

  @Override
  public void run() {
    long backoffMs = 100;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + schema + "_runs");
          st.execute("LISTEN " + schema + "_cancel");
        }
        // Anything enqueued while we were not listening is found by the caller's next poll.
        onRunnable.accept(null);
        backoffMs = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications == null) {
            continue;
          }
          for (PGNotification n : notifications) {
            if (n.getName().endsWith("_cancel")) {
              try {
                onCancel.accept(Long.parseLong(n.getParameter()));
              } catch (NumberFormatException e) {
                // Not ours: ignore.
              }
            } else {
              onRunnable.accept(n.getParameter());
            }
          }
        }
        // Back to the pool without the subscriptions, or the connection would keep collecting
        // notifications nobody reads.
        try (Statement st = c.createStatement()) {
          st.execute("UNLISTEN *");
        }
      } catch (SQLException | RuntimeException e) {
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
