package dev.tollgate.cli.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.tollgate.core.db.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A harness (not a test) that prints how long the runner takes from process start to exit for the
 * commands whose start-up issue 14 sets aims for, next to {@code java -version} in the same run:
 *
 * <ul>
 *   <li>{@code tollgate --version};
 *   <li>{@code tollgate spec-kit validate examples/demo};
 *   <li>{@code tollgate gate --github} on a {@code pull_request} event whose sticky comment exists,
 *       with a policy that needs no reviews, against a local WireMock that answers at once ({@link
 *       GithubStage.Case#EXISTING_COMMENT}, as the action runs it);
 *   <li>{@code tollgate deploy} of a spec whose only step is {@code shell: 'true'}, against a
 *       running PostgreSQL (the tests' embedded one, or {@code TOLLGATE_TEST_DATABASE_URL}), each
 *       run shipping a new empty commit, each build in a schema it migrated itself with {@code db
 *       migrate} before the measured runs.
 * </ul>
 *
 * <p>Each build is {@code LABEL=COMMAND...}: the words that start the runner, such as {@code
 * before=java -jar /tmp/before/tollgate.jar} or {@code cds=sh action/launch.sh
 * cli-runner/target/tollgate.jar}. Each build gets its own empty {@code TOLLGATE_CDS_DIR}, and one
 * unmeasured run per case (which writes the class-data archive of a launcher build). Then, R times,
 * it runs {@code java -version} and every build once, alternating run by run, so that load from
 * other processes falls on all alike; it prints the median, minimum and maximum wall time and the
 * median of each run's difference from {@code java -version} in the same round.
 *
 * <p>Usage: {@code StartupBenchmark RUNS BUILD...} from the repository root; {@code -Dcases=TEXT}
 * measures only the cases whose name contains TEXT.
 */
public final class StartupBenchmark {
  private StartupBenchmark() {}

  /**
   * One way of starting the runner, with the schema its {@code deploy} runs use: each build
   * migrates its own, so that jars at different schema versions can be compared.
   */
  record Build(
      String label, List<String> launcher, Map<String, String> environment, String schema) {}

  /** One command measured: runs it with a build and returns its wall time in nanoseconds. */
  interface Case {
    long run(Build build) throws Exception;
  }

  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: StartupBenchmark RUNS LABEL=COMMAND...");
    }
    int runs = Integer.parseInt(args[0]);
    List<Build> builds = new ArrayList<>();
    for (String spec : Arrays.asList(args).subList(1, args.length)) {
      int eq = spec.indexOf('=');
      List<String> words = new ArrayList<>();
      for (String w : spec.substring(eq + 1).trim().split("\\s+")) {
        Path p = Path.of(w);
        words.add(w.contains("/") && Files.exists(p) ? p.toAbsolutePath().toString() : w);
      }
      Path cds = Files.createTempDirectory("tollgate-bench-cds");
      builds.add(
          new Build(
              spec.substring(0, eq),
              words,
              Map.of("TOLLGATE_CDS_DIR", cds.toString()),
              TestDatabase.uniqueSchema("bench_startup")));
    }
    System.out.printf(
        Locale.ROOT,
        "%d runs per case and build; %d cores, Java %s (%s)%n",
        runs,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"));
    for (Build b : builds) {
      System.out.println("build " + b.label() + ": " + String.join(" ", b.launcher()));
    }
    Path demo = Path.of("examples/demo").toAbsolutePath();
    Path work = Files.createTempDirectory("tollgate-bench-startup");

    Map<String, Case> cases = new LinkedHashMap<>();
    cases.put("tollgate --version", b -> time(b, work, List.of("--version"), -1));
    cases.put(
        "spec-kit validate examples/demo",
        b -> time(b, work, List.of("spec-kit", "validate", demo.toString()), 1));

    WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    try (GithubStage stage = new GithubStage(server.port(), 0)) {
      cases.put(
          "gate --github (comment exists, no reviews)",
          b -> {
            GithubStage.Run r =
                stage.run(b.launcher(), b.environment(), GithubStage.Case.EXISTING_COMMENT);
            if (r.exit() != 1 || r.calls().size() != 3) {
              throw new IllegalStateException(
                  b.label() + ": expected exit 1 and 3 calls but was " + r.exit() + r.calls());
            }
            return r.nanos();
          });
      Path project = work.resolve("deploy");
      Files.createDirectories(project.resolve(".tollgate/deploy"));
      Files.writeString(
          project.resolve(".tollgate/deploy/bench.yml"),
          "deploy:\n  shell: 'true'\n",
          StandardCharsets.UTF_8);
      git(project, "init", "-q");
      String url = TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user();
      for (Build b : builds) {
        // The build's own migrations, unmeasured: an older jar refuses a newer schema.
        time(
            b, project, List.of("db", "migrate", "--database-url", url, "--schema", b.schema()), 0);
      }
      int[] commits = {0};
      cases.put(
          "deploy of a no-op spec",
          b -> {
            // Each deploy ships a new commit, so that none is skipped as already deployed.
            git(project, "commit", "--allow-empty", "-q", "-m", "bench " + commits[0]++);
            return time(
                b,
                project,
                List.of(
                    "deploy",
                    "bench",
                    "--ref",
                    "HEAD",
                    "--database-url",
                    url,
                    "--schema",
                    b.schema(),
                    "--dir",
                    project.toString()),
                0);
          });

      System.out.printf(
          Locale.ROOT,
          "%-44s %-10s %8s %8s %8s %18s%n",
          "case",
          "build",
          "median",
          "min",
          "max",
          "- java -version");
      String only = System.getProperty("cases", "");
      for (Map.Entry<String, Case> c : cases.entrySet()) {
        if (!c.getKey().contains(only)) {
          continue;
        }
        for (Build b : builds) {
          c.getValue().run(b);
        }
        long[] javaVersion = new long[runs];
        long[][] ms = new long[builds.size()][runs];
        for (int i = 0; i < runs; i++) {
          javaVersion[i] = javaVersion(work) / 1_000_000;
          for (int j = 0; j < builds.size(); j++) {
            ms[j][i] = c.getValue().run(builds.get(j)) / 1_000_000;
          }
        }
        print(c.getKey(), "java -version", javaVersion, null);
        for (int j = 0; j < builds.size(); j++) {
          print(c.getKey(), builds.get(j).label(), ms[j], javaVersion);
        }
      }
    } finally {
      server.stop();
    }
  }

  private static long javaVersion(Path dir) throws Exception {
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(JAVA, "-version")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.waitFor();
    return System.nanoTime() - start;
  }

  /** Runs the build with {@code args} in {@code dir}; checks the exit code unless it is -1. */
  private static long time(Build b, Path dir, List<String> args, int exit) throws Exception {
    List<String> cmd = new ArrayList<>(b.launcher());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("bench-output.txt").toFile());
    pb.environment().putAll(b.environment());
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(b.label() + ": " + args + " did not exit within 2 minutes");
    }
    long nanos = System.nanoTime() - start;
    if (exit >= 0 && p.exitValue() != exit) {
      throw new IllegalStateException(
          b.label()
              + ": "
              + args
              + " exited "
              + p.exitValue()
              + ", not "
              + exit
              + ":\n"
              + Files.readString(dir.resolve("bench-output.txt"), StandardCharsets.UTF_8));
    }
    return nanos;
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("git", "-c", "user.name=b", "-c", "user.email=b@example.com"));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed");
    }
  }

  private static long median(long[] xs) {
    long[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static void print(String label, String build, long[] ms, long[] javaVersion) {
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    String beyond = "";
    if (javaVersion != null) {
      long[] diff = new long[ms.length];
      for (int i = 0; i < ms.length; i++) {
        diff[i] = ms[i] - javaVersion[i];
      }
      beyond = median(diff) + " ms";
    }
    System.out.printf(
        Locale.ROOT,
        "%-44s %-10s %5d ms %5d ms %5d ms %18s%n",
        label,
        build,
        median(ms),
        sorted[0],
        sorted[sorted.length - 1],
        beyond);
  }
}
