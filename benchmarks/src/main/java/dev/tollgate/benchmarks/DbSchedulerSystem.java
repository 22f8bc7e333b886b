package dev.tollgate.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.tollgate.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** db-scheduler with a one-time no-op task, in its own schema, on the same kind of pool. */
final class DbSchedulerSystem implements QueueSystem {

  static final String SCHEMA = "bench_dbscheduler";
  static final String TABLE = SCHEMA + ".scheduled_tasks";
  static final String TASK = "bench-noop";
  private static final int INSERT_CHUNK = 10_000;

  /** How db-scheduler polls. */
  enum Polling {
    /** {@code pollUsingLockAndFetch(1.0, 4.0)}: one UPDATE … FOR UPDATE SKIP LOCKED … RETURNING. */
    LOCK_AND_FETCH,
    /** The default: a SELECT of due executions, then one UPDATE per execution. */
    FETCH
  }

  private final Server server;
  private final Polling polling;
  private final Duration pollingInterval;

  DbSchedulerSystem(Server server, Polling polling, Duration pollingInterval) {
    this.server = server;
    this.polling = polling;
    this.pollingInterval = pollingInterval;
  }

  @Override
  public String name() {
    return polling == Polling.LOCK_AND_FETCH
        ? "db-scheduler, lock-and-fetch"
        : "db-scheduler, fetch (its default)";
  }

  /** The table db-scheduler 16.x expects on PostgreSQL, with its three indexes. */
  @Override
  public void setUp() {
    server.execute(
        "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
        "CREATE SCHEMA " + SCHEMA,
        "CREATE TABLE "
            + TABLE
            + " (task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,"
            + " execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,"
            + " last_success timestamptz, last_failure timestamptz, consecutive_failures int,"
            + " last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,"
            + " PRIMARY KEY (task_name, task_instance))",
        "CREATE INDEX ON " + TABLE + " (execution_time)",
        "CREATE INDEX ON " + TABLE + " (last_heartbeat)",
        "CREATE INDEX ON " + TABLE + " (priority DESC, execution_time)");
  }

  static OneTimeTask<Void> task(Runnable onExecute) {
    return Tasks.oneTime(TASK).execute((instance, context) -> onExecute.run());
  }

  static SchedulerClient client(DataSource dataSource) {
    return SchedulerClient.Builder.create(dataSource, task(() -> {})).tableName(TABLE).build();
  }

  void truncate() {
    server.execute("TRUNCATE " + TABLE);
  }

  /** Inserts with {@code scheduleBatch}, {@value #INSERT_CHUNK} instances per call. */
  @Override
  public void insert(int runs) {
    truncate();
    try (Database db = server.pool(SCHEMA, 2)) {
      SchedulerClient client = client(db.dataSource());
      Instant due = Instant.now().minusSeconds(1);
      for (int from = 1; from <= runs; from += INSERT_CHUNK) {
        List<TaskInstance<?>> batch = new ArrayList<>();
        for (int i = from; i <= Math.min(runs, from + INSERT_CHUNK - 1); i++) {
          batch.add(new TaskInstance<Void>(TASK, "run-" + i));
        }
        client.scheduleBatch(batch, due);
      }
    }
  }

  /** Returns a scheduler configured as in every scenario; the caller adds listeners and builds. */
  SchedulerBuilder builder(DataSource dataSource, OneTimeTask<Void> task, int threads) {
    SchedulerBuilder b =
        Scheduler.create(dataSource, task)
            .tableName(TABLE)
            .threads(threads)
            .pollingInterval(pollingInterval)
            .enableImmediateExecution()
            .schedulerName(new SchedulerName.Fixed("bench-" + ProcessHandle.current().pid()))
            .shutdownMaxWait(Duration.ofSeconds(10));
    if (polling == Polling.LOCK_AND_FETCH) {
      b = b.pollUsingLockAndFetch(1.0, 4.0);
    }
    return b;
  }

  @Override
  public BurnDown burnDown(int runs, int threads, int poolSize, Duration cap, Marks marks)
      throws Exception {
    try (Database db = server.pool(SCHEMA, poolSize)) {
      AtomicLong completed = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      CountDownLatch all = new CountDownLatch(1);
      OneTimeTask<Void> task = task(() -> {});
      Scheduler scheduler =
          builder(db.dataSource(), task, threads)
              .addSchedulerListener(
                  new AbstractSchedulerListener() {
                    @Override
                    public void onExecutionComplete(ExecutionComplete complete) {
                      if (complete.getResult() != ExecutionComplete.Result.OK) {
                        failed.incrementAndGet();
                      }
                      if (completed.incrementAndGet() == runs) {
                        all.countDown();
                      }
                    }
                  })
              .build();
      marks.started();
      long start = System.nanoTime();
      scheduler.start();
      try {
        if (!all.await(cap.toMillis(), TimeUnit.MILLISECONDS)) {
          long end = System.nanoTime();
          marks.finished();
          return new BurnDown(completed.get(), (end - start) / 1e9, true);
        }
        waitUntilAllDone(db);
        long end = System.nanoTime();
        marks.finished();
        if (failed.get() > 0) {
          System.out.println("  ! " + failed.get() + " executions failed");
        }
        return new BurnDown(runs, (end - start) / 1e9, false);
      } finally {
        scheduler.stop();
      }
    }
  }

  /** A one-time execution's row is deleted when it completes. */
  private static void waitUntilAllDone(Database db) throws SQLException, InterruptedException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + TABLE)) {
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
