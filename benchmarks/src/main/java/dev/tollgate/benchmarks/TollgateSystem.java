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
import java.util.stream.IntStream;

/** Tollgate's {@link Worker} over its PostgreSQL {@link RunQueue}. */
final class TollgateSystem implements QueueSystem {

  static final String SCHEMA = "bench_tollgate";
  private static final int INSERT_CHUNK = 10_000;

  private final Server server;
  private final int completionBatch;
  private final Duration pollInterval;
  private final String schema;
  private final int history;
  private final int prefetch;
  private final int lanes;

  TollgateSystem(Server server, int completionBatch, Duration pollInterval) {
    this(server, completionBatch, pollInterval, 0);
  }

  /**
   * A queue whose worker may hold {@code prefetch} claimed runs beyond its execution slots (its
   * default is as many as the slots), so that one claim serves up to concurrency + prefetch runs.
   */
  static TollgateSystem withPrefetch(
      Server server, int completionBatch, Duration pollInterval, int prefetch) {
    return new TollgateSystem(server, completionBatch, pollInterval, 0, prefetch, 1);
  }

  /**
   * A queue whose runs are spread round-robin over {@code lanes} lanes and as many templates (in
   * its own schema), its worker claiming from all the lanes: each lane's and each template's newest
   * runs then sit in the middle of the history's lane and template indexes rather than at their
   * ends, as in a deployment with several lanes.
   */
  static TollgateSystem withLanes(
      Server server, int completionBatch, Duration pollInterval, int lanes) {
    return new TollgateSystem(server, completionBatch, pollInterval, 0, -1, lanes);
  }

  /**
   * A queue whose schema also stores {@code history} finished runs with 10 events each (loaded
   * once, in its own schema), to show what history costs the queue.
   */
  TollgateSystem(Server server, int completionBatch, Duration pollInterval, int history) {
    this(server, completionBatch, pollInterval, history, -1, 1);
  }

  private TollgateSystem(
      Server server,
      int completionBatch,
      Duration pollInterval,
      int history,
      int prefetch,
      int lanes) {
    this.prefetch = prefetch;
    this.lanes = lanes;
    this.server = server;
    this.completionBatch = completionBatch;
    this.pollInterval = pollInterval;
    this.history = history;
    this.schema =
        history > 0
            ? SCHEMA + "_history"
            : prefetch >= 0 ? SCHEMA + "_prefetch" : lanes > 1 ? SCHEMA + "_lanes" : SCHEMA;
  }

  @Override
  public String name() {
    return (completionBatch == 1
            ? "Tollgate, unbatched completions"
            : "Tollgate, completions batched by " + completionBatch)
        + (history == 0 ? "" : String.format(", %,d runs of history", history))
        + (prefetch < 0 ? "" : ", prefetch " + prefetch)
        + (lanes == 1 ? "" : ", " + lanes + " lanes and templates");
  }

  @Override
  public void setUp() {
    server.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    try (Database db = Database.connect(server.settings(), schema, 1)) {
      Migrations.apply(db.dataSource(), db.schema());
    }
    if (history > 0) {
      long start = System.nanoTime();
      for (int from = 1; from <= history; from += 100_000) {
        int to = Math.min(history, from + 99_999);
        server.execute(
            "INSERT INTO "
                + schema
                + ".run_history (id, template, lane, params, status, attempt, max_attempts,"
                + " created_at, available_at, started_at, finished_at, event_seq)"
                + " SELECT g, 'tpl-' || (g % 20), 'lane-' || (g % 8), jsonb_build_object('n', g),"
                + " CASE WHEN g % 100 = 0 THEN 'error' ELSE 'success' END, 1, 3,"
                + " now() - make_interval(secs => "
                + history
                + " - g), now(), now(), now(), 10 FROM generate_series("
                + from
                + ", "
                + to
                + ") g",
            "INSERT INTO "
                + schema
                + ".run_event_rows (run_id, seq, attempt, at, kind, stream, message)"
                + " SELECT g, e, 1, now(), CASE WHEN e = 1 THEN 'claimed' WHEN e = 10 THEN"
                + " 'completed' ELSE 'log' END, 'stdout', 'line ' || e || ' of run ' || g"
                + " FROM generate_series("
                + from
                + ", "
                + to
                + ") g, generate_series(1, 10) e");
      }
      System.out.printf(
          "  %s: %,d finished runs and %,d events stored in %.0f s%n",
          schema, history, history * 10L, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Empties the queue's tables. */
  void truncate() {
    if (history > 0) {
      // Keep the stored history; remove what earlier burn-downs added to it.
      server.execute(
          "TRUNCATE " + schema + ".runs, " + schema + ".worker_sessions",
          "DELETE FROM " + schema + ".run_history WHERE id > " + history,
          "DELETE FROM " + schema + ".run_event_rows WHERE run_id > " + history,
          "SELECT setval(pg_get_serial_sequence('" + schema + ".runs', 'id'), " + history + ")");
      return;
    }
    server.execute(
        "TRUNCATE "
            + schema
            + ".runs, "
            + schema
            + ".run_history, "
            + schema
            + ".run_event_rows, "
            + schema
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
            + schema
            + ".enqueue_run("
            + (lanes == 1 ? "'noop'" : "'noop-' || (g.n % " + lanes + ")")
            + ", NULL, NULL, "
            + (lanes == 1 ? "'default'" : "'lane-' || (g.n % " + lanes + ")")
            + ", jsonb_build_object('n', g.n), 0, 3,"
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
    try (Database db = server.pool(schema, poolSize)) {
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), schema);
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
      WorkerOptions.Builder builder =
          WorkerOptions.builder()
              .workerId("bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
              .concurrency(threads)
              .pollInterval(pollInterval)
              .completionBatch(completionBatch)
              .lanes(laneNames());
      if (prefetch >= 0) {
        builder.prefetch(prefetch);
      }
      WorkerOptions options = builder.build();
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

  /** The lanes the runs are spread over: {@code default} alone, or lane-0 to lane-N-1. */
  private List<String> laneNames() {
    return lanes == 1
        ? List.of("default")
        : IntStream.range(0, lanes).mapToObj(i -> "lane-" + i).toList();
  }

  private void waitUntilAllDone(Database db) throws SQLException, InterruptedException {
    // Finished runs leave the live queue: it is empty when every completion has committed.
    String sql = "SELECT count(*) FROM " + schema + ".runs";
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
