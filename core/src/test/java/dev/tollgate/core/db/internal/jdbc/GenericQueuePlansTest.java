package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
}
