package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.template.RunParams;
import dev.tollgate.core.runs.template.RunTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * End to end with a real step: {@code --runs N} (default 300) runs of a template whose one step is
 * {@code shell: "true"}, executed by the runner jar as a user runs it, {@code tollgate worker
 * --once --concurrency C}, next to N bare {@code bash -c true} spawned from this JVM, C at a time.
 * Per concurrency and round, in turn: the worker over an empty queue (the JVM's start, the
 * connection and the shutdown: subtracted), the worker over N queued runs, the bare spawns. Prints
 * per run the worker's time beyond its empty start and the bare spawn's, and their ratio; the time
 * per run from the first claim to the last completion as the database recorded them (the worker's
 * pace without its JVM's start and stop, so without the noise of one empty start subtracted from
 * one full one), and its ratio to the bare spawn; where the worker's time went: the median step
 * time as the worker timed it, and the median time from a run's claim to its completion in the
 * database; the server's commits and WAL flushes to disk per run while the worker ran (its start
 * and stop included), counted with every session closed; and, as a user times it with a shell's
 * {@code time}, the whole {@code worker --once} (its JVM's start and stop included) against N
 * {@code bash -c true} run one after the other by {@code sh}.
 *
 * <p>The worker runs as {@code tollgate} runs it, through {@code action/launch.sh} (or another
 * launcher with {@code --launcher}; archives, if it writes any, go to a folder of this harness's
 * own), or with {@code --plain-java} as {@code java -jar JAR}; {@code --worker-java-options "…"}
 * hands the worker's JVM more options (as {@code JAVA_TOOL_OPTIONS}), to try compiler or memory
 * settings; {@code --completion-batch N} runs the worker with {@code --completion-batch N} (default
 * 1, the worker's own default).
 *
 * <p>Needs {@code cli-runner/target/tollgate.jar} ({@code ./mvnw -B -q -pl cli-runner -am package
 * -DskipTests}); the database is the embedded one of {@link Server} (or {@code --database-url}).
 */
public final class WorkerOnceBenchmark {
  private WorkerOnceBenchmark() {}

  private static final String SCHEMA = "bench_worker_once";

  public static void main(String[] argv) throws Exception {
    Args args =
        Args.parse(
            argv,
            Set.of("plain-java"),
            Set.of(
                "runs",
                "concurrency",
                "rounds",
                "jar",
                "launcher",
                "database-url",
                "worker-java-options",
                "completion-batch"));
    int runs = args.integer("runs", 300);
    int rounds = args.integer("rounds", 2);
    List<Integer> concurrencies = args.integers("concurrency", List.of(1, 4, 16));
    Path jar = Path.of(args.string("jar", "cli-runner/target/tollgate.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: ./mvnw -B -q -pl cli-runner -am package -DskipTests");
    }
    Path launcher =
        args.flag("plain-java")
            ? null
            : Path.of(args.string("launcher", "action/launch.sh")).toAbsolutePath();
    if (launcher != null && !Files.isRegularFile(launcher)) {
      throw new IllegalStateException(
          launcher + " is missing: run from the repository's root, or pass --plain-java");
    }
    Path project = Files.createTempDirectory("tollgate-worker-once");
    Runner runner =
        new Runner(
            jar,
            launcher,
            project.resolve("cds"),
            args.string("worker-java-options", ""),
            args.integer("completion-batch", 1));
    Path templates = Files.createDirectories(project.resolve(RunTemplate.DIRECTORY));
    Path file = templates.resolve("true-step.yml");
    Files.writeString(
        file, "name: true-step\nlane: bench\nsteps:\n  - name: nothing\n    shell: \"true\"\n");
    RunTemplate template = RunTemplate.read(file, "true-step.yml");
    String url = args.string("database-url", System.getenv("TOLLGATE_BENCH_DATABASE_URL"));
    try (Server server = Server.open(url, true, false)) {
      server.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      String childUrl = server.urlForChild();
      System.out.println("PostgreSQL: " + server.describe());
      System.out.println(
          "Machine: "
              + Runtime.getRuntime().availableProcessors()
              + " cores; load average at start "
              + Figures.f2(Throughput.loadAverage()));
      try (Database db = server.pool(SCHEMA, 1)) {
        Migrations.apply(db.dataSource(), db.schema());
      }
      {
        NewRun run = template.newRun(RunParams.empty()).build();
        System.out.printf(
            "%n%d runs of a one-step template (shell: \"true\"), %d rounds, the worker started %s%n",
            runs,
            rounds,
            (launcher == null ? "as java -jar JAR" : "through " + launcher)
                + (runner.completionBatch() > 1
                    ? " with --completion-batch " + runner.completionBatch()
                    : "")
                + (runner.javaOptions().isBlank()
                    ? ""
                    : " with JAVA_TOOL_OPTIONS=" + runner.javaOptions()));
        System.out.println(
            "| concurrency | round | worker --once, empty queue s | worker --once, runs s"
                + " | worker ms/run | bare bash -c true ms/run | worker / bare"
                + " | first claim to last completion ms/run | that / bare"
                + " | step p50 ms | claim to completion p50 ms | commits/run | WAL flushes/run"
                + " | bash -c true × N from sh s | whole worker --once / that | load |");
        System.out.println(
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
                + " --- | --- |");
        // Warm-up: the page cache holds the jar and the binaries, the schema is in memory.
        worker(runner, project, childUrl, 1);
        long seen = server.queryLong("SELECT coalesce(max(id), 0) FROM " + SCHEMA + ".run_history");
        for (int round = 1; round <= rounds; round++) {
          for (int c : concurrencies) {
            double empty = worker(runner, project, childUrl, c);
            // Enqueued through a pool closed before counting, so that only the worker's sessions
            // (which end with its process, flushing their statistics) are in the counters.
            try (Database db = server.pool(SCHEMA, 1)) {
              RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
              for (int i = 0; i < runs; i++) {
                queue.enqueue(run);
              }
            }
            server.awaitPoolsClosed();
            Server.Counters before = server.counters();
            double full = worker(runner, project, childUrl, c);
            server.awaitPoolsClosed();
            Server.Counters after = server.counters();
            long left = server.queryLong("SELECT count(*) FROM " + SCHEMA + ".runs");
            if (left > 0) {
              throw new IllegalStateException(left + " runs left after worker --once");
            }
            // Where a run's time went, from what the worker stored: the step's own time as the
            // worker timed it (its guarded start, the process and its exit), and the time from the
            // claim's transaction to the completion's (each the start of its transaction).
            String step =
                server.queryString(
                    "SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY"
                        + " (e.data->>'millis')::float8))::numeric, 1)::text FROM "
                        + SCHEMA
                        + ".run_event_rows e WHERE e.kind = 'step_finished' AND e.run_id > "
                        + seen);
            String held =
                server.queryString(
                    "SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM"
                        + " h.finished_at - h.claimed_at)::float8 * 1000))::numeric, 1)::text FROM "
                        + SCHEMA
                        + ".run_history h WHERE h.id > "
                        + seen);
            // The runs' span as the database recorded it, from the first claim to the last
            // completion: the worker's time per run without its JVM's start and stop, so without
            // the noise of subtracting one empty start from one full one.
            String span =
                server.queryString(
                    "SELECT round((extract(epoch FROM max(h.finished_at) - min(h.claimed_at))"
                        + " * 1000 / count(*))::numeric, 1)::text FROM "
                        + SCHEMA
                        + ".run_history h WHERE h.id > "
                        + seen);
            seen = server.queryLong("SELECT max(id) FROM " + SCHEMA + ".run_history");
            double bare = bare(runs, c, project);
            double shell = shellLoop(runs, project);
            double perRun = (full - empty) * 1000 / runs;
            double barePerRun = bare * 1000 / runs;
            System.out.printf(
                "| %d | %d | %.2f | %.2f | %.1f | %.1f | %.2f× | %s | %.2f× | %s | %s | %.2f | %.2f"
                    + " | %.2f | %.2f× | %.1f |%n",
                c,
                round,
                empty,
                full,
                perRun,
                barePerRun,
                perRun / barePerRun,
                span,
                Double.parseDouble(span) / barePerRun,
                step,
                held,
                (double) (after.commits() - before.commits()) / runs,
                (double) (after.walSyncs() - before.walSyncs()) / runs,
                shell,
                full / shell,
                Throughput.loadAverage());
          }
        }
      }
    }
  }

  /** How the runner is started: through the launcher (with its archive folder) or plain java. */
  private record Runner(
      Path jar, Path launcher, Path archives, String javaOptions, int completionBatch) {
    List<String> command(String... args) {
      List<String> command = new ArrayList<>();
      if (launcher == null) {
        command.addAll(List.of("java", "-jar", jar.toString()));
      } else {
        command.addAll(List.of("sh", launcher.toString(), jar.toString()));
      }
      command.addAll(List.of(args));
      return command;
    }
  }

  /** Seconds that {@code tollgate worker --once} takes, from its start to its exit. */
  private static double worker(Runner runner, Path project, String url, int concurrency)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "worker",
                "--once",
                "--lanes",
                "bench",
                "--concurrency",
                String.valueOf(concurrency)));
    if (runner.completionBatch() > 1) {
      // Only when asked for, so that a jar from before the option can be measured too.
      args.addAll(List.of("--completion-batch", String.valueOf(runner.completionBatch())));
    }
    ProcessBuilder pb =
        new ProcessBuilder(runner.command(args.toArray(String[]::new)))
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("TOLLGATE_DATABASE_URL", url);
    pb.environment().put("TOLLGATE_SCHEMA", SCHEMA);
    pb.environment().put("TOLLGATE_CDS_DIR", runner.archives().toString());
    if (!runner.javaOptions().isBlank()) {
      pb.environment().put("JAVA_TOOL_OPTIONS", runner.javaOptions());
    }
    long start = System.nanoTime();
    Process p = pb.start();
    int code = p.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (code != 0) {
      throw new IllegalStateException("tollgate worker --once exited with " + code);
    }
    return seconds;
  }

  /**
   * Seconds that {@code runs} {@code bash -c true} take one after the other in a loop of {@code
   * sh}: the bare spawns as a shell's {@code time} measures them, no JVM involved.
   */
  private static double shellLoop(int runs, Path dir) throws Exception {
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "i=0; while [ \"$i\" -lt \"$1\" ]; do bash -c true || exit 1; i=$((i+1)); done",
                "shell-loop",
                String.valueOf(runs))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the loop of bash -c true failed");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Seconds that {@code runs} bare {@code bash -c true} take, {@code concurrency} at a time. */
  private static double bare(int runs, int concurrency, Path dir) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      List<Future<Integer>> all = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        all.add(
            pool.submit(
                () ->
                    new ProcessBuilder("bash", "-c", "true")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor()));
      }
      for (Future<Integer> f : all) {
        if (f.get() != 0) {
          throw new IllegalStateException("bash -c true failed");
        }
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdown();
    }
  }
}
