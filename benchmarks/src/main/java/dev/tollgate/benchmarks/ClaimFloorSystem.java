package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor under every unbatched queue that claims its runs: the least a queue can do and still
 * hand each run to one worker and commit each completion on its own. A one-table queue (an id, the
 * claiming worker, the claim's time): each of {@code threads} threads claims up to {@code claim}
 * unclaimed rows at once ({@code FOR UPDATE SKIP LOCKED}, as every queue on PostgreSQL does), then
 * deletes each of them by its primary key in its own auto-committed statement. No history, no
 * fencing, no events, no heartbeats, no retries: what db-scheduler's lock-and-fetch does, without
 * its bookkeeping.
 */
final class ClaimFloorSystem implements QueueSystem {

  static final String SCHEMA = "bench_claim_floor";

  private final Server server;
  private final int claim;

  ClaimFloorSystem(Server server, int claim) {
    this.server = server;
    this.claim = claim;
  }

  @Override
  public String name() {
    return "floor with a claim: claim " + claim + " at once, one-row delete + commit per run";
  }

  @Override
  public void setUp() {
    server.execute(
        "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
        "CREATE SCHEMA " + SCHEMA,
        "CREATE TABLE "
            + SCHEMA
            + ".runs (id bigint PRIMARY KEY, worker text, claimed_at timestamptz)"
            + " WITH (fillfactor = 70)");
  }

  @Override
  public void insert(int runs) {
    server.execute(
        "TRUNCATE " + SCHEMA + ".runs",
        "INSERT INTO " + SCHEMA + ".runs (id) SELECT g FROM generate_series(1, " + runs + ") g");
  }

  @Override
  public BurnDown burnDown(int runs, int threads, int poolSize, Duration cap, Marks marks)
      throws Exception {
    String claimSql =
        "UPDATE "
            + SCHEMA
            + ".runs SET worker = ?, claimed_at = now() WHERE id IN (SELECT id FROM "
            + SCHEMA
            + ".runs WHERE worker IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING id";
    String deleteSql = "DELETE FROM " + SCHEMA + ".runs WHERE id = ? AND worker = ?";
    try (Database db = server.pool(SCHEMA, poolSize)) {
      return QueueSystem.onThreads(
          runs,
          threads,
          cap,
          marks,
          (thread, deadline, done) -> {
            String worker = "w" + thread;
            try (Connection c = db.dataSource().getConnection();
                PreparedStatement claimPs = c.prepareStatement(claimSql);
                PreparedStatement deletePs = c.prepareStatement(deleteSql)) {
              c.setAutoCommit(true);
              List<Long> mine = new ArrayList<>();
              while (System.nanoTime() < deadline) {
                mine.clear();
                claimPs.setString(1, worker);
                claimPs.setInt(2, claim);
                try (ResultSet rs = claimPs.executeQuery()) {
                  while (rs.next()) {
                    mine.add(rs.getLong(1));
                  }
                }
                if (mine.isEmpty()) {
                  break;
                }
                for (long id : mine) {
                  deletePs.setLong(1, id);
                  deletePs.setString(2, worker);
                  if (deletePs.executeUpdate() == 1) {
                    done.incrementAndGet();
                  }
                }
              }
            }
          });
    }
  }
}
