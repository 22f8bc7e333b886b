package dev.tollgate.core.db.internal.jdbc;

import dev.tollgate.core.runs.QueueStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads {@link QueueStats} from the runs and their events. */
final class StatsQuery {

  private final String schema;

  StatsQuery(String schema) {
    this.schema = schema;
  }

  QueueStats read(Connection c) throws SQLException {
    List<QueueStats.LaneDepth> lanes = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT lane, count(*), count(*) FILTER (WHERE available_at <= now()),"
                    + " (extract(epoch FROM now() - min(created_at)) * 1000)::bigint FROM "
                    + schema
                    + ".runs WHERE status = 'queued' GROUP BY lane ORDER BY lane");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lanes.add(
            new QueueStats.LaneDepth(
                rs.getString(1), rs.getLong(2), rs.getLong(3), Duration.ofMillis(rs.getLong(4))));
      }
    }
    List<QueueStats.RunningRun> running = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                // Until its first heartbeat, a run's claim is its last sign of life.
                "SELECT id, lane, worker_id,"
                    + " (extract(epoch FROM now() - coalesce(heartbeat_at, claimed_at)) * 1000)::bigint"
                    + " FROM "
                    + schema
                    + ".runs WHERE status = 'running' ORDER BY coalesce(heartbeat_at, claimed_at)"
                    + " LIMIT 200");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        running.add(
            new QueueStats.RunningRun(
                rs.getLong(1), rs.getString(2), rs.getString(3), Duration.ofMillis(rs.getLong(4))));
      }
    }
    List<QueueStats.HourCount> stuck = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT date_trunc('hour', at), count(*) FROM "
                    + schema
                    + ".run_events WHERE kind = 'swept' AND at > now() - interval '24 hours'"
                    + " GROUP BY 1 ORDER BY 1");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        stuck.add(new QueueStats.HourCount(Jdbc.instant(rs, 1), rs.getLong(2)));
      }
    }
    long recoveries;
    long recoveredOk;
    Duration mttr;
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE r.status = 'success'),"
                    + " (avg(extract(epoch FROM nc.at - (e.data->>'last_heartbeat')::timestamptz))"
                    + " * 1000)::bigint FROM "
                    + schema
                    + ".run_events e JOIN "
                    + schema
                    + ".all_runs r ON r.id = e.run_id LEFT JOIN LATERAL (SELECT at FROM "
                    + schema
                    + ".run_events x WHERE x.run_id = e.run_id AND x.seq > e.seq AND x.kind ="
                    + " 'claimed' ORDER BY x.seq LIMIT 1) nc ON true WHERE e.kind = 'swept' AND"
                    + " e.message = 'requeued' AND e.at > now() - interval '24 hours'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      recoveries = rs.getLong(1);
      recoveredOk = rs.getLong(2);
      long ms = rs.getLong(3);
      mttr = rs.wasNull() ? null : Duration.ofMillis(ms);
    }
    return new QueueStats(lanes, running, stuck, recoveries, recoveredOk, mttr);
  }
}
