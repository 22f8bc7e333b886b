package dev.tollgate.core.db.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The queue's SQL functions called as a client of an older schema called them, for the upgrade
 * tests: this version's client speaks only the current schema, so the runs a test stores before an
 * upgrade go through the functions, whose arguments every version kept.
 */
final class OldProtocol {
  private OldProtocol() {}

  /** Enqueues a run of {@code template} in {@code lane} (the defaults of every version). */
  static long enqueue(DataSource ds, String schema, String template, String lane, String key) {
    return one(
        ds,
        "SELECT run_id FROM "
            + schema
            + ".enqueue_run(?, NULL, NULL, ?, '{}'::jsonb, 0, 3, ?, interval '2 seconds',"
            + " interval '5 minutes', NULL, NULL)",
        template,
        lane,
        key);
  }

  /** Claims up to {@code limit} runs of {@code lane}; their ids in claim order. */
  static List<Long> claim(DataSource ds, String schema, String worker, String lane, int limit) {
    try (Connection c = ds.getConnection()) {
      return Jdbc.list(
          c,
          "SELECT id FROM " + schema + ".claim_runs(?, ARRAY[?], ?) ORDER BY priority DESC, id",
          rs -> rs.getLong(1),
          worker,
          lane,
          limit);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Completes a run's first attempt; 1 when the completion counted, 0 when it was lost. */
  static long complete(
      DataSource ds, String schema, long run, String worker, String status, String message) {
    return one(
        ds,
        "SELECT count(*) FROM " + schema + ".complete_run(?, 1, ?, ?, ?) AS s WHERE s <> 'lost'",
        run,
        worker,
        status,
        message);
  }

  private static long one(DataSource ds, String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      return Jdbc.one(c, sql, rs -> rs.getLong(1), args);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
