package dev.tollgate.cli.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A harness (not a test) that prints how many GitHub API calls one {@code tollgate gate --github}
 * run makes on a {@code pull_request} event, and how long the shaded jar takes from start to exit:
 * for each {@link GithubStage.Case} it runs {@code java -jar <jar>} as a process against a local
 * WireMock (after one unmeasured run), R times, and prints the calls of the first measured run and
 * the median, minimum and maximum wall time. It also times {@code tollgate --version}, the JVM's
 * and the jar's start-up alone.
 *
 * <p>Usage: {@code GithubCallsBenchmark [jar] [runs] [latency-ms]}; defaults {@code
 * cli-runner/target/tollgate.jar}, 7 runs, 0 ms. A latency delays every WireMock answer, standing
 * in for GitHub's round trip.
 */
public final class GithubCallsBenchmark {
  private GithubCallsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "cli-runner/target/tollgate.jar");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int latency = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " does not exist; build it first");
    }
    System.out.printf(
        Locale.ROOT,
        "jar %s, %d runs per case, %d ms per answer; %d cores, Java %s (%s)%n",
        jar,
        runs,
        latency,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
    WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    try (GithubStage stage = new GithubStage(server.port(), latency)) {
      System.out.printf(
          Locale.ROOT, "%-62s %5s %8s %8s %8s%n", "case", "calls", "median", "min", "max");
      version(jar, runs);
      for (GithubStage.Case c : GithubStage.Case.values()) {
        GithubStage.Run warm = stage.run(jar, c);
        if (warm.exit() != 1) {
          throw new IllegalStateException(
              c + ": expected exit 1 (blocked) but was " + warm.exit() + "\n" + warm.err());
        }
        long[] ms = new long[runs];
        List<String> calls = null;
        for (int i = 0; i < runs; i++) {
          GithubStage.Run r = stage.run(jar, c);
          ms[i] = r.nanos() / 1_000_000;
          if (calls == null) {
            calls = r.calls();
          } else if (!calls.equals(r.calls())) {
            throw new IllegalStateException(c + ": calls differ between runs: " + r.calls());
          }
        }
        print(c.label, calls.size(), ms);
        for (String call : calls) {
          System.out.println("    " + call);
        }
      }
    } finally {
      server.stop();
    }
  }

  private static void version(Path jar, int runs) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toAbsolutePath().toString(),
            "--version");
    new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor();
    long[] ms = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor();
      ms[i] = (System.nanoTime() - start) / 1_000_000;
    }
    print("tollgate --version (JVM and jar start-up only)", 0, ms);
  }

  private static void print(String label, int calls, long[] ms) {
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    long median =
        sorted.length % 2 == 1
            ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    System.out.printf(
        Locale.ROOT,
        "%-62s %5d %6d ms %5d ms %5d ms%n",
        label,
        calls,
        median,
        sorted[0],
        sorted[sorted.length - 1]);
  }
}
