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
 * completes each of them by its primary key in its own auto-committed statement. No fencing, no
 * events, no heartbeats, no retries: what db-scheduler's lock-and-fetch does, without its
 * bookkeeping.
 *
 * <p>What a completion leaves behind is the {@link Keeps} chosen: nothing (the row is deleted), or
 * the least audit trail, one row per run that says who claimed it, when, when it was completed and
 * how, kept either in a history table of its own or on the run's row itself.
 */
final class ClaimFloorSystem implements QueueSystem {

  /** What a completion keeps of the run. */
  enum Keeps {
    /** Nothing: the completion deletes the run's row, as db-scheduler does. */
    NOTHING(
        "bench_claim_floor",
        "floor with a claim: claim %d at once, one-row delete + commit per run",
        "",
        "DELETE FROM %1$s.runs WHERE id = ? AND worker = ?"),
    /**
     * A history row: the completion deletes the run's row and inserts who claimed it, when, when it
     * ended and its outcome into a history table keyed by the run's id, in one statement.
     */
    HISTORY_ROW(
        "bench_audit_floor",
        "floor with a claim and an audit row: the delete also inserts a history row (its primary"
            + " key only)",
        "CREATE TABLE %1$s.history (id bigint PRIMARY KEY, worker text NOT NULL,"
            + " claimed_at timestamptz NOT NULL, completed_at timestamptz NOT NULL,"
            + " outcome text NOT NULL)",
        "WITH done AS (DELETE FROM %1$s.runs WHERE id = ? AND worker = ?"
            + " RETURNING id, worker, claimed_at)"
            + " INSERT INTO %1$s.history (id, worker, claimed_at, completed_at, outcome)"
            + " SELECT id, worker, claimed_at, now(), 'succeeded' FROM done"),
    /**
     * Facts on the run's row: the completion sets the row's completion time and outcome and keeps
     * it; the claim finds unclaimed rows through a partial index of them.
     */
    FACTS_ON_ROW(
        "bench_facts_floor",
        "floor with a claim and an audit row: the completion updates the run's row (a partial"
            + " index of the unclaimed)",
        "ALTER TABLE %1$s.runs ADD COLUMN completed_at timestamptz, ADD COLUMN outcome text;"
            + " CREATE INDEX runs_unclaimed ON %1$s.runs (id) WHERE worker IS NULL",
        "UPDATE %1$s.runs SET completed_at = now(), outcome = 'succeeded'"
            + " WHERE id = ? AND worker = ? AND completed_at IS NULL");

    private final String schema;

    /** The name in the tables; {@code %d}, where it has one, is the number claimed at once. */
    private final String label;

    private final String extraSchema;
    private final String completion;

    Keeps(String schema, String label, String extraSchema, String completion) {
      this.schema = schema;
      this.label = label;
      this.extraSchema = extraSchema;
      this.completion = completion;
    }
  }

  private final Server server;
  private final int claim;
  private final Keeps keeps;

  ClaimFloorSystem(Server server, int claim, Keeps keeps) {
    this.server = server;
    this.claim = claim;
    this.keeps = keeps;
  }

  @Override
  public String name() {
    return String.format(keeps.label, claim);
  }

  @Override
  public void setUp() {
    List<String> statements = new ArrayList<>();
    statements.add("DROP SCHEMA IF EXISTS " + keeps.schema + " CASCADE");
    statements.add("CREATE SCHEMA " + keeps.schema);
    statements.add(
        "CREATE TABLE "
            + keeps.schema
            + ".runs (id bigint PRIMARY KEY, worker text, claimed_at timestamptz)"
            + " WITH (fillfactor = 70)");
    if (!keeps.extraSchema.isEmpty()) {
      statements.add(String.format(keeps.extraSchema, keeps.schema));
    }
    server.execute(statements.toArray(String[]::new));
  }

  @Override
  public void insert(int runs) {
    List<String> statements = new ArrayList<>();
    statements.add("TRUNCATE " + keeps.schema + ".runs");
    if (keeps == Keeps.HISTORY_ROW) {
      statements.add("TRUNCATE " + keeps.schema + ".history");
    }
    statements.add(
        "INSERT INTO "
            + keeps.schema
            + ".runs (id) SELECT g FROM generate_series(1, "
            + runs
            + ") g");
    server.execute(statements.toArray(String[]::new));
  }

  @Override
  public BurnDown burnDown(int runs, int threads, int poolSize, Duration cap, Marks marks)
      throws Exception {
    String claimSql =
        String.format(
            "UPDATE %1$s.runs SET worker = ?, claimed_at = now() WHERE id IN (SELECT id FROM"
                + " %1$s.runs WHERE worker IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " RETURNING id",
            keeps.schema);
    String completionSql = String.format(keeps.completion, keeps.schema);
    try (Database db = server.pool(keeps.schema, poolSize)) {
      return QueueSystem.onThreads(
          runs,
          threads,
          cap,
          marks,
          (thread, deadline, done) -> {
            String worker = "w" + thread;
            try (Connection c = db.dataSource().getConnection();
                PreparedStatement claimPs = c.prepareStatement(claimSql);
                PreparedStatement completionPs = c.prepareStatement(completionSql)) {
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
                  completionPs.setLong(1, id);
                  completionPs.setString(2, worker);
                  if (completionPs.executeUpdate() == 1) {
                    done.incrementAndGet();
                  }
                }
              }
            }
          });
    }
  }
}
