package dev.tollgate.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.CompletionResult;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunOutcome;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.Worker;
import dev.tollgate.core.runs.WorkerListener;
import dev.tollgate.core.runs.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Enqueue-to-start latency at a fixed rate. A producer enqueues one run every {@code 1/rate}
 * seconds from a small pool of threads (its own connections, as another process would have); the
 * worker records when each run starts executing and when its completion is committed. Runs enqueued
 * during the first two seconds are a warm-up and not reported.
 */
final class Latency {

  private static final int PRODUCERS = 4;
  private static final int WARMUP_SECONDS = 2;

  /** One scenario's percentiles, in milliseconds. */
  record Result(
      String name, int count, double[] callToStart, double[] ackToStart, double[] toDone) {}

  private final Server server;
  private final int rate;
  private final int seconds;
  private final int threads;
  private final int poolSize;

  Latency(Server server, int rate, int seconds, int threads, int poolSize) {
    this.server = server;
    this.rate = rate;
    this.seconds = seconds;
    this.threads = threads;
    this.poolSize = poolSize;
  }

  private int total() {
    return rate * (seconds + WARMUP_SECONDS);
  }

  /** Times per run, in System.nanoTime(): 0 means not yet. */
  private final class Clocks {
    final AtomicLongArray callAt = new AtomicLongArray(total());
    final AtomicLongArray ackAt = new AtomicLongArray(total());
    final AtomicLongArray claimedAt = new AtomicLongArray(total());
    final AtomicLongArray notifiedAt = new AtomicLongArray(total());
    final AtomicLongArray startAt = new AtomicLongArray(total());
    final AtomicLongArray doneAt = new AtomicLongArray(total());
    final AtomicLong done = new AtomicLong();

    void started(int seq) {
      startAt.compareAndSet(seq, 0, System.nanoTime());
    }

    void done(int seq) {
      if (doneAt.compareAndSet(seq, 0, System.nanoTime())) {
        done.incrementAndGet();
      }
    }
  }

  /** Tollgate's worker, woken by NOTIFY; it polls only every {@code pollInterval}. */
  Result tollgate(Duration pollInterval) throws Exception {
    TollgateSystem system = new TollgateSystem(server, 1, pollInterval);
    system.setUp();
    Clocks clocks = new Clocks();
    try (Database workerDb = server.pool(TollgateSystem.SCHEMA, poolSize);
        Database producerDb = server.pool(TollgateSystem.SCHEMA, PRODUCERS)) {
      RunQueue workerQueue = PostgresRunQueue.open(workerDb.dataSource(), TollgateSystem.SCHEMA);
      RunQueue producerQueue =
          PostgresRunQueue.open(producerDb.dataSource(), TollgateSystem.SCHEMA);
      WorkerListener listener =
          new WorkerListener() {
            @Override
            public void claimed(Run run) {
              clocks.claimedAt.compareAndSet(run.params().get("seq").asInt(), 0, System.nanoTime());
            }

            @Override
            public void completed(Run run, RunOutcome outcome, CompletionResult result) {
              clocks.done(run.params().get("seq").asInt());
            }
          };
      Worker worker =
          Worker.builder(
                  workerQueue,
                  (run, context) -> {
                    clocks.started(run.params().get("seq").asInt());
                    return RunOutcome.success();
                  })
              .options(
                  WorkerOptions.builder()
                      .workerId("bench-latency-" + ProcessHandle.current().pid())
                      .concurrency(threads)
                      .pollInterval(pollInterval)
                      .build())
              .listener(listener)
              .build();
      worker.start();
      NotifyProbe probe = new NotifyProbe(clocks);
      try {
        Thread.sleep(500); // the LISTEN connections are up
        produce(
            clocks,
            seq ->
                producerQueue.enqueue(
                    NewRun.builder("latency")
                        .params(JsonNodeFactory.instance.objectNode().put("seq", seq))
                        .build()));
        awaitDone(clocks);
      } finally {
        worker.shutdown();
        probe.close();
      }
    }
    return result(
        "Tollgate: NOTIFY wake-up, poll every " + pollInterval.toMillis() + " ms", clocks);
  }

  /**
   * A connection of the harness's own that listens on the queue's channel, as the worker's does,
   * and notes when each notification arrives. Each enqueue commits one notification and they arrive
   * in commit order; at the scenario's rate (one enqueue every few milliseconds, each taking about
   * one) the commit order is the enqueue order, so the n-th notification is run n's.
   */
  private final class NotifyProbe implements AutoCloseable {
    private final java.sql.Connection connection;
    private final Thread thread;
    private volatile boolean closed;

    NotifyProbe(Clocks clocks) throws java.sql.SQLException {
      connection = server.admin();
      try (java.sql.Statement st = connection.createStatement()) {
        st.execute("LISTEN " + TollgateSystem.SCHEMA + "_runs");
      }
      org.postgresql.PGConnection pg = connection.unwrap(org.postgresql.PGConnection.class);
      thread =
          new Thread(
              () -> {
                int next = 0;
                try {
                  while (!closed && next < total()) {
                    org.postgresql.PGNotification[] got = pg.getNotifications(200);
                    long now = System.nanoTime();
                    for (int i = 0; got != null && i < got.length && next < total(); i++) {
                      clocks.notifiedAt.set(next++, now);
                    }
                  }
                } catch (java.sql.SQLException e) {
                  // Closed under us: the scenario is over.
                }
              },
              "latency-notify-probe");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws java.sql.SQLException, InterruptedException {
      closed = true;
      thread.join(1_000);
      connection.close();
    }
  }

  /**
   * db-scheduler polling every {@code pollingInterval}. With {@code viaScheduler}, runs are
   * scheduled through the running scheduler itself, whose immediate execution then checks for due
   * executions at once (same JVM only); otherwise through a separate client, as another process
   * would, and only polling picks them up.
   */
  Result dbScheduler(boolean viaScheduler, Duration pollingInterval) throws Exception {
    DbSchedulerSystem system =
        new DbSchedulerSystem(server, DbSchedulerSystem.Polling.LOCK_AND_FETCH, pollingInterval);
    system.setUp();
    Clocks clocks = new Clocks();
    int schedulerPool = viaScheduler ? poolSize + PRODUCERS : poolSize;
    try (Database schedulerDb = server.pool(DbSchedulerSystem.SCHEMA, schedulerPool);
        Database producerDb = server.pool(DbSchedulerSystem.SCHEMA, PRODUCERS)) {
      OneTimeTask<Void> task =
          com.github.kagkarlsson.scheduler.task.helper.Tasks.oneTime(DbSchedulerSystem.TASK)
              .execute((instance, context) -> clocks.started(Integer.parseInt(instance.getId())));
      Scheduler scheduler =
          system
              .builder(schedulerDb.dataSource(), task, threads)
              .addSchedulerListener(
                  new AbstractSchedulerListener() {
                    @Override
                    public void onExecutionComplete(ExecutionComplete complete) {
                      clocks.done(Integer.parseInt(complete.getExecution().taskInstance.getId()));
                    }
                  })
              .build();
      SchedulerClient client =
          viaScheduler ? scheduler : DbSchedulerSystem.client(producerDb.dataSource());
      scheduler.start();
      try {
        Thread.sleep(500);
        produce(
            clocks,
            seq ->
                client.schedule(
                    SchedulableInstance.of(
                        new TaskInstance<Void>(DbSchedulerSystem.TASK, Integer.toString(seq)),
                        Instant.now()),
                    SchedulerClient.ScheduleOptions.WHEN_EXISTS_DO_NOTHING));
        awaitDone(clocks);
      } finally {
        scheduler.stop();
      }
    }
    return result(
        viaScheduler
            ? "db-scheduler: scheduled through the running scheduler (immediate execution)"
            : "db-scheduler: scheduled through a separate client, poll every "
                + pollingInterval.toMillis()
                + " ms",
        clocks);
  }

  private void produce(Clocks clocks, IntConsumer enqueue) throws InterruptedException {
    ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
    long period = 1_000_000_000L / rate;
    long begin = System.nanoTime() + 10_000_000L;
    List<Throwable> errors = new ArrayList<>();
    for (int seq = 0; seq < total(); seq++) {
      long due = begin + seq * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int s = seq;
      producers.execute(
          () -> {
            clocks.callAt.set(s, System.nanoTime());
            try {
              enqueue.accept(s);
            } catch (RuntimeException e) {
              synchronized (errors) {
                errors.add(e);
              }
            }
            clocks.ackAt.set(s, System.nanoTime());
          });
    }
    producers.shutdown();
    producers.awaitTermination(60, TimeUnit.SECONDS);
    if (!errors.isEmpty()) {
      throw new IllegalStateException(errors.size() + " enqueues failed: " + errors.get(0));
    }
  }

  private void awaitDone(Clocks clocks) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (clocks.done.get() < total() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (clocks.done.get() < total()) {
      throw new IllegalStateException(
          "only " + clocks.done.get() + " of " + total() + " runs completed");
    }
  }

  private Result result(String name, Clocks clocks) {
    int from = rate * WARMUP_SECONDS;
    int n = total() - from;
    double[] callToStart = new double[n];
    double[] ackToStart = new double[n];
    double[] toDone = new double[n];
    for (int i = 0; i < n; i++) {
      int seq = from + i;
      callToStart[i] = (clocks.startAt.get(seq) - clocks.callAt.get(seq)) / 1e6;
      ackToStart[i] = (clocks.startAt.get(seq) - clocks.ackAt.get(seq)) / 1e6;
      toDone[i] = (clocks.doneAt.get(seq) - clocks.callAt.get(seq)) / 1e6;
    }
    Result r =
        new Result(
            name,
            n,
            Figures.sorted(callToStart),
            Figures.sorted(ackToStart),
            Figures.sorted(toDone));
    System.out.println(name + ": " + n + " runs at " + rate + "/s");
    System.out.println("  enqueue call -> start:     " + percentiles(r.callToStart()));
    System.out.println("  enqueue returned -> start: " + percentiles(r.ackToStart()));
    System.out.println("  enqueue call -> completed: " + percentiles(r.toDone()));
    if (clocks.claimedAt.get(from) != 0) {
      // Where the time goes: the wake-up and the claim's round trip, then the hand-over to an
      // execution thread (the worker reports a claim before it hands the run over).
      double[] ackToClaimed = new double[n];
      double[] claimedToStart = new double[n];
      for (int i = 0; i < n; i++) {
        int seq = from + i;
        ackToClaimed[i] = (clocks.claimedAt.get(seq) - clocks.ackAt.get(seq)) / 1e6;
        claimedToStart[i] = (clocks.startAt.get(seq) - clocks.claimedAt.get(seq)) / 1e6;
      }
      System.out.println(
          "  enqueue returned -> claim returned: " + percentiles(Figures.sorted(ackToClaimed)));
      System.out.println(
          "  claim returned -> start:            " + percentiles(Figures.sorted(claimedToStart)));
    }
    if (clocks.notifiedAt.get(from) != 0) {
      double[] ackToNotified = new double[n];
      for (int i = 0; i < n; i++) {
        int seq = from + i;
        ackToNotified[i] = (clocks.notifiedAt.get(seq) - clocks.ackAt.get(seq)) / 1e6;
      }
      System.out.println(
          "  enqueue returned -> NOTIFY at a second listener: "
              + percentiles(Figures.sorted(ackToNotified)));
    }
    return r;
  }

  static String percentiles(double[] sorted) {
    return "p50 "
        + Figures.f1(Figures.percentile(sorted, 50))
        + " ms, p90 "
        + Figures.f1(Figures.percentile(sorted, 90))
        + " ms, p99 "
        + Figures.f1(Figures.percentile(sorted, 99))
        + " ms, max "
        + Figures.f1(Figures.percentile(sorted, 100))
        + " ms";
  }
}
