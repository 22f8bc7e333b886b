package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A listening connection that the server drops goes back to the pool as broken: the pool's wrapper
 * never saw the failure (it happened on the driver's connection), and a pool lends a connection it
 * took back a moment ago without checking it.
 */
class ListeningConnectionTest {
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
