package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunOutcome;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.SweepDecision;
import dev.tollgate.core.runs.Worker;
import dev.tollgate.core.runs.WorkerListener;
import dev.tollgate.core.runs.WorkerOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Dead-worker detection with the default options (heartbeat 5 s, stale after 15 s, every worker
 * sweeps once per heartbeat interval): worker A, in a child JVM, claims a run whose executor blocks
 * forever; worker B starts in this JVM; after a random 0–5 s (so the kill falls anywhere in A's
 * heartbeat cycle) A is killed with SIGKILL. The figure is the time from the kill to B starting the
 * run again.
 */
final class DeadWorker {

  /** One repetition, in seconds after the kill. */
  record Result(double heartbeatAgeAtKill, double swept, double restarted, int attempt) {}

  private final Server server;

  DeadWorker(Server server) {
    this.server = server;
  }

  List<Result> run(int repeats) throws Exception {
    new TollgateSystem(server, 1, null).setUp();
    List<Result> results = new ArrayList<>();
    Random random = new Random(42);
    for (int rep = 1; rep <= repeats; rep++) {
      results.add(once(rep, random.nextInt(5_000)));
    }
    return results;
  }

  private Result once(int rep, int killDelayMillis) throws Exception {
    new TollgateSystem(server, 1, null).truncate();
    try (Database db = server.pool(TollgateSystem.SCHEMA, 4)) {
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), TollgateSystem.SCHEMA);
      Run run = queue.enqueue(NewRun.builder("blocks-forever").build()).run();

      Process a = startChild();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> readLines(a, lines), "bench-child-stdout");
      reader.setDaemon(true);
      reader.start();
      String line;
      do {
        line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null) {
          a.destroyForcibly();
          throw new IllegalStateException("worker A never started the run");
        }
      } while (!line.startsWith("STARTED " + run.id() + " "));

      CompletableFuture<Long> restarted = new CompletableFuture<>();
      CompletableFuture<Long> swept = new CompletableFuture<>();
      int[] attempt = new int[1];
      Worker b =
          Worker.builder(
                  queue,
                  (r, context) -> {
                    if (r.id() == run.id()) {
                      attempt[0] = r.attempt();
                      restarted.complete(System.nanoTime());
                    }
                    return RunOutcome.success();
                  })
              .options(
                  WorkerOptions.builder().workerId("B-" + ProcessHandle.current().pid()).build())
              .listener(
                  new WorkerListener() {
                    @Override
                    public void swept(List<SweepDecision> decisions) {
                      for (SweepDecision d : decisions) {
                        if (d.runId() == run.id()) {
                          swept.complete(System.nanoTime());
                        }
                      }
                    }
                  })
              .build();
      b.start();
      try {
        Thread.sleep(killDelayMillis);
        double age =
            server.queryLong(
                    "SELECT (extract(epoch FROM now() - coalesce(heartbeat_at, claimed_at)) * 1000)::bigint FROM "
                        + TollgateSystem.SCHEMA
                        + ".runs WHERE id = "
                        + run.id())
                / 1000.0;
        long killedAt = System.nanoTime();
        a.destroyForcibly();
        a.onExit().get(30, TimeUnit.SECONDS);
        long restartAt = restarted.get(120, TimeUnit.SECONDS);
        long sweptAt = swept.getNow(restartAt);
        Result r =
            new Result(age, (sweptAt - killedAt) / 1e9, (restartAt - killedAt) / 1e9, attempt[0]);
        System.out.printf(
            "rep %d: killed A %d ms after it started the run (its last heartbeat %.1f s old);"
                + " swept after %.1f s, restarted by B (attempt %d) after %.1f s%n",
            rep, killDelayMillis, r.heartbeatAgeAtKill(), r.swept(), r.attempt(), r.restarted());
        return r;
      } finally {
        b.shutdown();
        a.destroyForcibly();
      }
    }
  }

  private Process startChild() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            DeadWorkerChild.class.getName(),
            TollgateSystem.SCHEMA);
    pb.environment().put(DeadWorkerChild.URL_ENV, server.urlForChild());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  private static void readLines(Process p, BlockingQueue<String> lines) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      // The child was killed.
    }
  }
}
