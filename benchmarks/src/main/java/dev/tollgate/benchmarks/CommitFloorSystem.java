package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under every unbatched queue: no queue at all, only what each run costs at the least
 * when its completion is its own durable commit. {@code threads} threads each take the next id and
 * delete that one row of a one-column table by its primary key, in auto-commit mode, until the
 * table is empty. No system that commits once per run goes faster on the same server.
 */
final class CommitFloorSystem implements QueueSystem {

  static final String SCHEMA = "bench_floor";

  private final Server server;

  CommitFloorSystem(Server server) {
    this.server = server;
  }

  @Override
  public String name() {
    return "floor: one-row PK delete + commit per run";
  }

  @Override
  public void setUp() {
    server.execute(
        "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
        "CREATE SCHEMA " + SCHEMA,
        "CREATE TABLE " + SCHEMA + ".runs (id bigint PRIMARY KEY)");
  }

  @Override
  public void insert(int runs) {
    server.execute(
        "TRUNCATE " + SCHEMA + ".runs",
        "INSERT INTO " + SCHEMA + ".runs SELECT g FROM generate_series(1, " + runs + ") g");
  }

  @Override
  public BurnDown burnDown(int runs, int threads, int poolSize, Duration cap, Marks marks)
      throws Exception {
    try (Database db = server.pool(SCHEMA, poolSize)) {
      AtomicLong next = new AtomicLong();
      return QueueSystem.onThreads(
          runs,
          threads,
          cap,
          marks,
          (thread, deadline, done) -> {
            try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps =
                    c.prepareStatement("DELETE FROM " + SCHEMA + ".runs WHERE id = ?")) {
              c.setAutoCommit(true);
              for (long id = next.incrementAndGet();
                  id <= runs && System.nanoTime() < deadline;
                  id = next.incrementAndGet()) {
                ps.setLong(1, id);
                if (ps.executeUpdate() == 1) {
                  done.incrementAndGet();
                }
              }
            }
          });
    }
  }
}
