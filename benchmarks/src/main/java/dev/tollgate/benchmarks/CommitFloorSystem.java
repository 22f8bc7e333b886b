package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
      AtomicLong done = new AtomicLong();
      long deadline = System.nanoTime() + cap.toNanos();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        marks.started();
        long start = System.nanoTime();
        List<Future<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          workers.add(
              pool.submit(
                  () -> {
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
                    return null;
                  }));
        }
        for (Future<Void> f : workers) {
          f.get();
        }
        long end = System.nanoTime();
        marks.finished();
        return new BurnDown(done.get(), (end - start) / 1e9, done.get() < runs);
      } finally {
        pool.shutdown();
      }
    }
  }
}
