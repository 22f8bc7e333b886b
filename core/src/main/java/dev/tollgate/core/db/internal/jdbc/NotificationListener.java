package dev.tollgate.core.db.internal.jdbc;

import java.sql.Connection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGNotification;

/**
 * Listens on the queue's notification channels ({@code <schema>_runs} with a lane, {@code
 * <schema>_cancel} with a run id) on one dedicated connection. A rolled-back enqueue never wakes
 * anyone, since PostgreSQL delivers notifications only on commit.
 */
final class NotificationListener extends ListeningConnection {

  private final Consumer<String> onRunnable;
  private final LongConsumer onCancel;

  private NotificationListener(
      DataSource dataSource, String schema, Consumer<String> onRunnable, LongConsumer onCancel) {
    super(
        dataSource,
        "tollgate queue listener " + schema,
        List.of(schema + "_runs", schema + "_cancel"),
        500);
    this.onRunnable = onRunnable;
    this.onCancel = onCancel;
  }

  static NotificationListener start(
      DataSource dataSource, String schema, Consumer<String> onRunnable, LongConsumer onCancel) {
    NotificationListener listener =
        new NotificationListener(dataSource, schema, onRunnable, onCancel);
    listener.start();
    return listener;
  }

  @Override
  void listening(Connection c) {
    // Anything enqueued while we were not listening is found by the caller's next poll.
    onRunnable.accept(null);
  }

  @Override
  void notified(PGNotification n) {
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
