package dev.tollgate.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Measures Tollgate's run queue against db-scheduler on the same PostgreSQL and prints the figures:
 * burn-down throughput, enqueue-to-start latency at a fixed rate, and dead-worker detection time.
 *
 * <p>Without {@code --database-url} (or {@code TOLLGATE_BENCH_DATABASE_URL}) it starts the embedded
 * PostgreSQL, durable (fsync and synchronous commit on), in a fresh temporary folder. With a URL it
 * drops and recreates the schemas {@code bench_tollgate} and {@code bench_dbscheduler} there.
 */
public final class QueueBenchmark {

  private static final Set<String> FLAGS =
      Set.of(
          "dbs-fetch", "graphile-worker", "floor", "profile", "non-durable", "keep-data", "help");
  private static final Set<String> OPTIONS =
      Set.of(
          "scenarios",
          "runs",
          "warmup",
          "threads",
          "repeats",
          "batch",
          "pool-extra",
          "max-seconds",
          "rate",
          "seconds",
          "latency-threads",
          "dead-repeats",
          "history",
          "prefetch",
          "lanes",
          "database-url");

  private QueueBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Args args;
    try {
      args = Args.parse(argv, FLAGS, OPTIONS);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (args.flag("help")) {
      System.out.println(usage());
      return;
    }
    List<String> scenarios =
        List.of(args.string("scenarios", "throughput,latency,dead-worker").split(","));
    int runs = args.integer("runs", 100_000);
    // Enough for the JIT to settle before the first system is measured: with 1,000 runs the C2
    // compiler was still busy through the first burn-down (Tollgate unbatched at 4 threads),
    // taking CPU from the system being measured (docs/benchmarks.md, run queue, quiet machine).
    int warmup = args.integer("warmup", Math.max(10_000, Math.min(20_000, runs / 5)));
    List<Integer> threads = args.integers("threads", List.of(4, 8, 16));
    int repeats = args.integer("repeats", 3);
    int batch = args.integer("batch", 50);
    int poolExtra = args.integer("pool-extra", 4);
    int maxSeconds = args.integer("max-seconds", 0);
    int rate = args.integer("rate", 200);
    int seconds = args.integer("seconds", 20);
    int latencyThreads = args.integer("latency-threads", 8);
    int deadRepeats = args.integer("dead-repeats", 3);
    int history = args.integer("history", 0);
    int lanes = args.integer("lanes", 1);
    if (lanes < 1) {
      System.err.println("--lanes: expected a number of lanes from 1 up, got " + lanes);
      System.exit(2);
      return;
    }
    String url = args.string("database-url", System.getenv("TOLLGATE_BENCH_DATABASE_URL"));
    Duration pollInterval = Duration.ofMillis(100);

    try (Server server = Server.open(url, !args.flag("non-durable"), args.flag("keep-data"))) {
      System.out.println(
          "Machine: "
              + Runtime.getRuntime().availableProcessors()
              + " cores, "
              + System.getProperty("os.name")
              + " "
              + System.getProperty("os.arch")
              + "; JVM "
              + System.getProperty("java.vm.name")
              + " "
              + System.getProperty("java.runtime.version")
              + ", max heap "
              + Runtime.getRuntime().maxMemory() / (1 << 20)
              + " MiB");
      System.out.println("PostgreSQL: " + server.describe());
      System.out.println("Load average at start: " + Figures.f2(Throughput.loadAverage()));
      System.out.println();
      if (args.flag("profile") && server.embedded()) {
        server.enableStatementStatistics();
      }

      StringBuilder summary = new StringBuilder();
      if (scenarios.contains("throughput")) {
        List<QueueSystem> systems = new ArrayList<>();
        systems.add(new TollgateSystem(server, 1, pollInterval));
        systems.add(new TollgateSystem(server, batch, pollInterval));
        systems.add(
            new DbSchedulerSystem(server, DbSchedulerSystem.Polling.LOCK_AND_FETCH, pollInterval));
        if (history > 0) {
          systems.add(new TollgateSystem(server, 1, pollInterval, history));
        }
        if (lanes > 1) {
          systems.add(TollgateSystem.withLanes(server, 1, pollInterval, lanes));
          systems.add(TollgateSystem.withLanes(server, batch, pollInterval, lanes));
        }
        if (args.string("prefetch", null) != null) {
          systems.add(
              TollgateSystem.withPrefetch(
                  server, batch, pollInterval, args.integer("prefetch", 0)));
        }
        if (args.flag("dbs-fetch")) {
          systems.add(new DbSchedulerSystem(server, DbSchedulerSystem.Polling.FETCH, pollInterval));
        }
        if (args.flag("graphile-worker")) {
          systems.add(new GraphileWorkerSystem(server, GraphileWorkerSystem.folder()));
        }
        if (args.flag("floor")) {
          systems.add(new CommitFloorSystem(server));
          for (ClaimFloorSystem.Keeps keeps : ClaimFloorSystem.Keeps.values()) {
            systems.add(new ClaimFloorSystem(server, 10, keeps));
          }
        }
        System.out.printf(
            "== Burn-down throughput: %,d runs, threads %s, %d repetitions, pool = threads + %d%n",
            runs, threads, repeats, poolExtra);
        List<Throughput.Measurement> measurements =
            new Throughput(
                    server,
                    systems,
                    runs,
                    warmup,
                    threads,
                    repeats,
                    poolExtra,
                    maxSeconds > 0 ? Duration.ofSeconds(maxSeconds) : null,
                    args.flag("profile"))
                .run();
        if (args.flag("profile") && server.embedded()) {
          System.out.println(
              "Time in Tollgate's SQL functions (all burn-downs, pg_stat_user_functions):");
          System.out.println(
              server.queryString(
                  "SELECT string_agg(format('  %s: %s calls, %s ms total, %s ms self', funcname, calls,"
                      + " round(total_time), round(self_time)), E'\\n' ORDER BY total_time DESC)"
                      + " FROM pg_stat_user_functions WHERE schemaname = '"
                      + TollgateSystem.SCHEMA
                      + "'"));
        }
        summary.append("Burn-down of ").append(String.format("%,d", runs)).append(" runs:\n\n");
        summary.append(
            Throughput.table(
                measurements,
                systems.stream().map(QueueSystem::name).toList(),
                systems.get(2).name()));
        if (measurements.stream().anyMatch(Throughput.Measurement::partial)) {
          summary
              .append("\n\\* stopped at the cap of ")
              .append(maxSeconds)
              .append(" s: the figure is the runs completed by then, divided by the time.\n");
        }
        summary.append('\n');
      }
      if (scenarios.contains("latency")) {
        System.out.printf(
            "%n== Enqueue-to-start latency: %d runs/s for %d s (after a %d s warm-up), %d threads%n",
            rate, seconds, 2, latencyThreads);
        Latency latency =
            new Latency(server, rate, seconds, latencyThreads, latencyThreads + poolExtra);
        List<Latency.Result> results = new ArrayList<>();
        results.add(latency.tollgate(Duration.ofSeconds(5)));
        results.add(latency.dbScheduler(true, pollInterval));
        results.add(latency.dbScheduler(false, pollInterval));
        summary
            .append("Latency at ")
            .append(rate)
            .append(" runs/s for ")
            .append(seconds)
            .append(" s:\n\n");
        summary.append(
            "| system | enqueue call → start | enqueue returned → start | enqueue call → completed |\n");
        summary.append("| --- | --- | --- | --- |\n");
        for (Latency.Result r : results) {
          summary
              .append("| ")
              .append(r.name())
              .append(" | ")
              .append(Latency.percentiles(r.callToStart()))
              .append(" | ")
              .append(Latency.percentiles(r.ackToStart()))
              .append(" | ")
              .append(Latency.percentiles(r.toDone()))
              .append(" |\n");
        }
        summary.append('\n');
      }
      if (scenarios.contains("dead-worker")) {
        System.out.printf(
            "%n== Dead-worker detection, default options, %d repetitions%n", deadRepeats);
        List<DeadWorker.Result> results = new DeadWorker(server).run(deadRepeats);
        List<Double> restarted = results.stream().map(DeadWorker.Result::restarted).toList();
        summary
            .append("Dead-worker detection (kill → restarted elsewhere), seconds: ")
            .append(Figures.spread1(restarted))
            .append("; each: ")
            .append(restarted.stream().map(Figures::f1).toList())
            .append("\n\n");
      }
      System.out.println();
      System.out.println("== Summary (Markdown)");
      System.out.println();
      System.out.print(summary);
      System.out.println("Load average at end: " + Figures.f2(Throughput.loadAverage()));
    }
  }

  private static String usage() {
    return """
        usage: java -jar benchmarks/target/tollgate-benchmarks.jar [options]
          --scenarios LIST      throughput,latency,dead-worker (default: all three)
          --runs N              runs per burn-down (default 100000)
          --warmup N            warm-up runs per system, not reported (default runs/5, 10000..20000)
          --threads LIST        executing threads, each a separate measurement (default 4,8,16)
          --repeats N           repetitions of every burn-down (default 3)
          --batch N             Tollgate's batched completion size (default 50)
          --pool-extra N        connections beyond the thread count, same for all (default 4)
          --max-seconds N       stop a burn-down after N seconds and report the runs completed so
                                far as a partial measurement (default: run to the end)
          --dbs-fetch           also measure db-scheduler's default 'fetch' polling
          --graphile-worker     also measure graphile-worker (Node; run 'npm ci' in
                                benchmarks/peers/graphile-worker first)
          --floor               also measure floors: a one-row primary-key delete and a
                                commit per run, no queue; the same behind the least claim (a
                                one-table queue, 10 rows claimed at once with SKIP LOCKED); and
                                that queue keeping the least audit trail, a row per run saying
                                who claimed it, when, and how it ended (in a history table, or
                                on the run's row)
          --rate N --seconds N  latency scenario: runs per second and duration (default 200, 20)
          --latency-threads N   latency scenario: executing threads (default 8)
          --dead-repeats N      dead-worker repetitions (default 3)
          --history N           also measure unbatched Tollgate over a schema that already stores
                                N finished runs with 10 events each (default 0: not measured)
          --prefetch N          also measure batched Tollgate whose worker claims up to threads + N
                                runs at a time (its default prefetch is the thread count)
          --lanes N             also measure Tollgate, unbatched and batched, with its runs spread
                                over N lanes and N templates, one worker claiming from all of them
                                (default 1: not measured)
          --database-url URL    use this server (or TOLLGATE_BENCH_DATABASE_URL) instead of the
                                embedded one; the schemas bench_tollgate and bench_dbscheduler are
                                dropped and recreated there
          --non-durable         embedded server with fsync and synchronous_commit off
          --profile             sample pg_stat_activity, print pg_stat_statements and the WAL by
                                record type (pg_walinspect) per burn-down, time Tollgate's SQL
                                functions (embedded server only); costs some throughput
          --keep-data           keep the embedded server's data folder""";
  }
}
