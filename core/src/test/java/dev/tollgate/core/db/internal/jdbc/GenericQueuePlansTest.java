package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Migration 6: the claim and the completion run on their cached generic plan, whatever the
 * session's {@code plan_cache_mode}, so they are not planned again on every call. That the generic
 * plans read the intended indexes is {@link QueuePlanTest}'s business.
 */
class GenericQueuePlansTest {

  @Test
  void claim_and_complete_force_their_cached_generic_plan_and_other_functions_do_not()
      throws Exception {
    try (Database db = TestDatabase.freshSchema("generic", 2);
        Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT p.proname, coalesce(array_to_string(p.proconfig, ','), '')"
                    + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE n.nspname = ? AND p.proname IN"
                    + " ('claim_runs', 'complete_runs', 'heartbeat_runs', 'enqueue_run')")) {
      ps.setString(1, db.schema());
      Map<String, String> config = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          config.put(rs.getString(1), rs.getString(2));
        }
      }
      assertThat(config)
          .containsEntry("claim_runs", "plan_cache_mode=force_generic_plan")
          .containsEntry("complete_runs", "plan_cache_mode=force_generic_plan")
          .containsEntry("heartbeat_runs", "")
          .containsEntry("enqueue_run", "");
    }
  }

  /**
   * Schema 16: the client's claim carries its limit in its text, so PostgreSQL reuses a generic
   * plan of it on a connection instead of planning every claim again, as it did while the limit was
   * bound (a generic plan for {@code LIMIT $n} assumes a tenth of each lane and never looked
   * cheaper).
   */
  @Test
  void the_clients_claim_over_several_lanes_gets_a_generic_plan_on_its_connection()
      throws Exception {
    try (Database db = TestDatabase.freshSchema("generic_claim", 2);
        Connection c = db.dataSource().getConnection()) {
      String schema = db.schema();
      TestDatabase.execute(
          db.dataSource(),
          "INSERT INTO "
              + schema
              + ".runs (template, lane) SELECT 'noop', 'lane-' || (g % 4)"
              + " FROM generate_series(1, 2000) g");
      TestDatabase.execute(db.dataSource(), "ANALYZE " + schema + ".runs");
      c.setAutoCommit(false);
      try (PreparedStatement ps =
              c.prepareStatement(JdbcRunQueue.claimStatement(schema, "r.id", 4, 10));
          Statement st = c.createStatement()) {
        // pgjdbc names the statement on the server from its fifth use; PostgreSQL then tries five
        // custom plans before it settles on the generic one.
        for (int i = 0; i < 15; i++) {
          for (int lane = 0; lane < 4; lane++) {
            ps.setString(lane + 1, "lane-" + lane);
          }
          ps.setString(5, "generic-claimer");
          int claimed = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              claimed++;
            }
          }
          assertThat(claimed).isEqualTo(10);
          c.rollback();
        }
        try (ResultSet rs =
            st.executeQuery(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                    + " WHERE statement LIKE '%picked%'")) {
          assertThat(rs.next()).as("the claim prepared on the server").isTrue();
          assertThat(rs.getLong(1))
              .as("generic plans of the claim (custom: %d)", rs.getLong(2))
              .isPositive();
        }
        c.rollback();
      }
    }
  }
}
