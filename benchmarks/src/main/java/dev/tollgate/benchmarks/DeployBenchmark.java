package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.deploy.DeploySpecLoader;
import dev.tollgate.core.deploy.engine.DeployEngine;
import dev.tollgate.core.deploy.engine.DeployRequest;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockAttempt;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.RunQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Measures governed-deploy overhead: lock acquire and release latency, the engine's time for a
 * deploy whose steps are no-ops (against the cost of starting one no-op shell), and, given the
 * runner jar, `tollgate deploy` start to exit against `tollgate --version` (JVM start).
 *
 * <p>Usage: {@code java -cp benchmarks/target/tollgate-benchmarks.jar
 * dev.tollgate.benchmarks.DeployBenchmark [--locks N] [--deploys N] [--jar PATH] [--cli N]
 * [--database-url URL]}
 */
public final class DeployBenchmark {
  private DeployBenchmark() {}

  public static void main(String[] argv) throws Exception {
    int locks = 1000;
    int deploys = 30;
    int cli = 10;
    String jar = null;
    String url = System.getenv("TOLLGATE_BENCH_DATABASE_URL");
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--locks" -> locks = Integer.parseInt(argv[++i]);
        case "--deploys" -> deploys = Integer.parseInt(argv[++i]);
        case "--cli" -> cli = Integer.parseInt(argv[++i]);
        case "--jar" -> jar = Path.of(argv[++i]).toAbsolutePath().toString();
        case "--database-url" -> url = argv[++i];
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    System.out.println(
        "cores: "
            + Runtime.getRuntime().availableProcessors()
            + ", java "
            + System.getProperty("java.version"));
    try (Server server = Server.open(url, true, false);
        Database db = Database.connect(server.settings(), "bench_deploy", 4)) {
      dropSchema(db);
      Migrations.apply(db.dataSource(), db.schema());
      DeployStore store = PostgresDeployStore.open(db.dataSource(), db.schema());
      List<Double> acquire = new ArrayList<>();
      List<Double> release = new ArrayList<>();
      for (int i = 0; i < locks + 100; i++) {
        long t0 = System.nanoTime();
        LockAttempt a =
            store.acquireLock(
                "bench",
                "deploy",
                "b",
                "bench",
                "benchmark",
                Duration.ofMinutes(1),
                Duration.ofMinutes(1));
        long t1 = System.nanoTime();
        store.releaseLock("bench", ((LockAttempt.Acquired) a).fencingToken(), "bench");
        long t2 = System.nanoTime();
        if (i >= 100) {
          acquire.add((t1 - t0) / 1e6);
          release.add((t2 - t1) / 1e6);
        }
      }
      System.out.println("lock acquire (" + locks + " after 100 warm-up): " + summary(acquire));
      System.out.println("lock release: " + summary(release));

      Path project = Files.createTempDirectory("tollgate-bench-deploy");
      Files.createDirectories(project.resolve(".tollgate/deploy"));
      Files.writeString(
          project.resolve(".tollgate/deploy/bench.yml"), "deploy:\n  shell: 'true'\n");
      var spec = DeploySpecLoader.load(project, "bench");
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
      List<Double> engine = new ArrayList<>();
      for (int i = 0; i < deploys + 5; i++) {
        DeployEngine e =
            DeployEngine.builder(spec)
                .store(store)
                .queue(queue)
                .clock(Clock.systemUTC())
                .projectRoot(project)
                .changeGate(r -> new GateResult.Pass("change-request", "none needed"))
                .build();
        String sha = String.format(Locale.ROOT, "%040x", i + 1);
        long t0 = System.nanoTime();
        DeployResult r =
            e.deploy(DeployRequest.builder("bench", sha, "v" + i).actor("bench").build());
        long t1 = System.nanoTime();
        if (r.outcome() != DeployResult.Outcome.DEPLOYED) {
          throw new IllegalStateException(r.message());
        }
        if (i >= 5) {
          engine.add((t1 - t0) / 1e6);
        }
      }
      List<Double> shell = new ArrayList<>();
      for (int i = 0; i < deploys; i++) {
        long t0 = System.nanoTime();
        new ProcessBuilder("bash", "-c", "true").start().waitFor();
        shell.add((System.nanoTime() - t0) / 1e6);
      }
      System.out.println("no-op deploy through the engine (" + deploys + "): " + summary(engine));
      System.out.println("  of which one `bash -c true` costs: " + summary(shell));

      if (jar != null) {
        String child = server.urlForChild();
        List<Double> version = new ArrayList<>();
        List<Double> deploy = new ArrayList<>();
        for (int i = 0; i < cli + 2; i++) {
          double v = time(List.of("java", "-jar", jar, "--version"), project);
          double d =
              time(
                  List.of(
                      "java",
                      "-jar",
                      jar,
                      "deploy",
                      "bench",
                      "--ref",
                      "HEAD",
                      "--database-url",
                      child,
                      "--schema",
                      "bench_deploy",
                      "--dir",
                      project.toString()),
                  project,
                  i);
          if (i >= 2) {
            version.add(v);
            deploy.add(d);
          }
        }
        System.out.println("`tollgate --version` (JVM start): " + summary(version));
        System.out.println("`tollgate deploy` of a no-op spec: " + summary(deploy));
        System.out.printf(
            Locale.ROOT,
            "overhead beyond JVM start (median difference): %.0f ms%n",
            median(deploy) - median(version));
      }
    }
  }

  private static double time(List<String> cmd, Path dir) throws Exception {
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.waitFor();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double time(List<String> cmd, Path dir, int i) throws Exception {
    // Each deploy ships a new commit, so none is skipped as already deployed.
    git(dir, "commit", "--allow-empty", "-q", "-m", "bench " + i);
    return time(cmd, dir);
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("git", "-c", "user.name=b", "-c", "user.email=b@example.com"));
    cmd.addAll(List.of(args));
    if (!Files.exists(dir.resolve(".git"))) {
      new ProcessBuilder("git", "init", "-q").directory(dir.toFile()).start().waitFor();
    }
    new ProcessBuilder(cmd).directory(dir.toFile()).start().waitFor();
  }

  private static void dropSchema(Database db) throws Exception {
    try (var c = db.dataSource().getConnection();
        var st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS bench_deploy CASCADE");
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static String summary(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return String.format(
        Locale.ROOT,
        "p50 %.2f ms, p90 %.2f, p99 %.2f, max %.2f (n=%d)",
        s.get(s.size() / 2),
        s.get((int) (s.size() * 0.9)),
        s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))),
        s.get(s.size() - 1),
        s.size());
  }
}
