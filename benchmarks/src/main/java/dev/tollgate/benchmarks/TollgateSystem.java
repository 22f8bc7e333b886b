package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.CompletionResult;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunOutcome;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.Worker;
import dev.tollgate.core.runs.WorkerListener;
import dev.tollgate.core.runs.WorkerOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Tollgate's {@link Worker} over its PostgreSQL {@link RunQueue}. */
final class TollgateSystem implements QueueSystem {

  static final String SCHEMA = "bench_tollgate";
  private static final int INSERT_CHUNK = 10_000;

  private final Server server;
  private final int completionBatch;
  private final Duration pollInterval;

  TollgateSystem(Server server, int completionBatch, Duration pollInterval) {
    this.server = server;
    this.completionBatch = completionBatch;
    this.pollInterval = pollInterval;
  }

  @Override
  public String name() {
    return completionBatch == 1
        ? "Tollgate, unbatched completions"
        : "Tollgate, completions batched by " + completionBatch;
  }

  @Override
  public void setUp() {
    server.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    try (Database db = Database.connect(server.settings(), SCHEMA, 1)) {
      Migrations.apply(db.dataSource(), db.schema());
    }
  }

  /** Empties the queue's tables. */
  void truncate() {
    server.execute(
        "TRUNCATE "
            + SCHEMA
            + ".runs, "
            + SCHEMA
            + ".run_events, "
            + SCHEMA
            + ".worker_sessions RESTART IDENTITY CASCADE");
  }

  /**
   * Inserts through the schema's own {@code enqueue_run} function (one call per run, so each run
   * gets its 'enqueued' event as a normal enqueue does), {@value #INSERT_CHUNK} per transaction.
   */
  @Override
  public void insert(int runs) {
    truncate();
    String sql =
        "SELECT count(*) FROM generate_series(?::bigint, ?::bigint) AS g(n), LATERAL "
            + SCHEMA
            + ".enqueue_run('noop', NULL, NULL, 'default', jsonb_build_object('n', g.n), 0, 3,"
            + " NULL, interval '2 seconds', interval '5 minutes', NULL, NULL) AS e";
    try (Connection c = server.admin();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int from = 1; from <= runs; from += INSERT_CHUNK) {
        ps.setLong(1, from);
        ps.setLong(2, Math.min(runs, from + INSERT_CHUNK - 1));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not insert runs: " + e.getMessage(), e);
    }
  }

  @Override
  public BurnDown burnDown(int runs, int threads, int poolSize, Duration cap, Marks marks)
      throws Exception {
    try (Database db = server.pool(SCHEMA, poolSize)) {
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), SCHEMA);
      AtomicLong completed = new AtomicLong();
      AtomicLong lost = new AtomicLong();
      CountDownLatch done = new CountDownLatch(1);
      List<String> problems = new CopyOnWriteArrayList<>();
      WorkerListener listener =
          new WorkerListener() {
            @Override
            public void completed(Run run, RunOutcome outcome, CompletionResult result) {
              if (result.lost()) {
                lost.incrementAndGet();
              }
              if (completed.incrementAndGet() == runs) {
                done.countDown();
              }
            }

            @Override
            public void problem(String what, Exception e) {
              problems.add(what + ": " + e.getMessage());
            }
          };
      WorkerOptions options =
          WorkerOptions.builder()
              .workerId("bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
              .concurrency(threads)
              .pollInterval(pollInterval)
              .completionBatch(completionBatch)
              .build();
      Worker worker =
          Worker.builder(queue, (run, context) -> RunOutcome.success())
              .options(options)
              .listener(listener)
              .build();
      marks.started();
      long start = System.nanoTime();
      worker.start();
      try {
        boolean all = done.await(cap.toMillis(), TimeUnit.MILLISECONDS);
        if (all) {
          waitUntilAllDone(db);
        }
        long end = System.nanoTime();
        marks.finished();
        if (lost.get() > 0 || !problems.isEmpty()) {
          System.out.println(
              "  ! "
                  + lost.get()
                  + " lost completions, problems: "
                  + problems.stream().limit(3).toList());
        }
        return new BurnDown(all ? runs : completed.get(), (end - start) / 1e9, !all);
      } finally {
        worker.shutdown();
      }
    }
  }

  private static void waitUntilAllDone(Database db) throws SQLException, InterruptedException {
    String sql = "SELECT count(*) FROM " + SCHEMA + ".runs WHERE status <> 'success'";
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      while (true) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        Thread.sleep(5);
      }
    }
  }
}
