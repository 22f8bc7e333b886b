package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.postgresql.PGNotification;

/**
 * A listening connection that the server drops goes back to the pool as broken: the pool's wrapper
 * never saw the failure (it happened on the driver's connection), and a pool lends a connection it
 * took back a moment ago without checking it. A closed one gives its connection back before its
 * close returns, however long its wait for notifications, and passes on only the notifications of
 * its own channels.
 */
class ListeningConnectionTest {
  /** A listener that records what reaches it and waits a minute per turn. */
  private static final class Recording extends ListeningConnection {
    final List<String> heard = new CopyOnWriteArrayList<>();

    Recording(Database db, String channel) {
      super(db.dataSource(), "tollgate listen test", List.of(channel), 60_000);
    }

    @Override
    void listening(Connection c) {}

    @Override
    void notified(PGNotification n) {
      heard.add(n.getName() + ":" + n.getParameter());
    }
  }

  @Test
  void a_closed_listener_has_given_its_connection_back_even_in_the_middle_of_a_long_wait()
      throws Exception {
    try (Database pool = TestDatabase.freshSchema("listen_close", 2)) {
      Recording listener = new Recording(pool, "listen_close_test");
      listener.start();
      awaitConnected(listener);
      assertThat(listening(pool)).isOne();

      listener.close();

      // Its wait of a minute was cut short: its thread has ended and its connection is back in
      // the pool, unsubscribed and renamed, where the 2 s a close waits at most would have left
      // both with a thread still reading.
      assertThat(listener.ended()).isTrue();
      assertThat(listening(pool)).isZero();
      assertThat(listener.heard).isEmpty();
    }
  }

  @Test
  void only_notifications_on_its_own_channels_reach_a_listener() throws Exception {
    try (Database pool = TestDatabase.freshSchema("listen_stale", 1)) {
      // The pool's one connection, left holding a notification its borrower never read.
      try (Connection c = pool.dataSource().getConnection();
          Statement st = c.createStatement()) {
        c.setAutoCommit(true);
        st.execute("LISTEN listen_stale_other");
        st.execute("NOTIFY listen_stale_other, 'stale'");
        st.execute("UNLISTEN *");
      }
      Recording listener = new Recording(pool, "listen_stale_mine");
      try {
        listener.start();
        awaitConnected(listener);
        try (Database sender = TestDatabase.freshSchema("listen_stale_sender", 1);
            Connection c = sender.dataSource().getConnection();
            Statement st = c.createStatement()) {
          c.setAutoCommit(true);
          st.execute("NOTIFY listen_stale_mine, 'fresh'");
        }
        for (int i = 0; i < 200 && listener.heard.isEmpty(); i++) {
          Thread.sleep(25);
        }
      } finally {
        listener.close();
      }
      assertThat(listener.heard).containsExactly("listen_stale_mine:fresh");
    }
  }

  private static void awaitConnected(ListeningConnection listener) throws InterruptedException {
    for (int i = 0; i < 400 && !listener.connected(); i++) {
      Thread.sleep(25);
    }
    assertThat(listener.connected()).as("connected within 10 s").isTrue();
  }

  /** The server's sessions that carry the test listener's application name. */
  private static int listening(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, "tollgate listen test");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void a_connection_dropped_by_the_server_is_not_lent_again() throws Exception {
    try (Database pool = TestDatabase.freshSchema("listen_drop", 1);
        Database other = TestDatabase.freshSchema("listen_drop_other", 1)) {
      Connection dropped = pool.dataSource().getConnection();
      try (Statement st = dropped.createStatement()) {
        st.execute("SET application_name = 'tollgate drop test'");
      }
      assertThat(TestDatabase.terminate(other.dataSource(), "tollgate drop test")).isOne();
      awaitGone(other, "tollgate drop test");

      ListeningConnection.discard(pool.dataSource(), dropped);

      // The pool's one connection, lent at once: a live one.
      try (Connection again = pool.dataSource().getConnection();
          Statement st = again.createStatement();
          ResultSet rs = st.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isOne();
      }
    }
  }

  private static void awaitGone(Database db, String applicationName) throws Exception {
    for (int i = 0; i < 200; i++) {
      try (Connection c = db.dataSource().getConnection();
          java.sql.PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
        ps.setString(1, applicationName);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) == 0) {
            return;
          }
        }
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
      Thread.sleep(25);
    }
    throw new AssertionError(applicationName + " still connected after 5 s");
  }
}
