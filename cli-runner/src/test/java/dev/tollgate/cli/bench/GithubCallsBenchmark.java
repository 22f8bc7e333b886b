package dev.tollgate.cli.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A harness (not a test) that prints how many GitHub API calls one {@code tollgate gate --github}
 * run makes on a {@code pull_request} event, and how long the shaded jar takes from start to exit:
 * for each {@link GithubStage.Case} it runs {@code java -jar <jar>} as a process against a local
 * WireMock (after one unmeasured run), R times, and prints the calls (the same in every run, else
 * it stops) and the median, minimum and maximum wall time. It also times {@code tollgate
 * --version}, the JVM's and the jar's start-up alone.
 *
 * <p>Given several jars (say, before and after a change), it alternates between them run by run, so
 * that load from other processes on the machine falls on all of them alike.
 *
 * <p>Usage: {@code GithubCallsBenchmark [runs] [latency-ms] [jar ...]}; defaults 7 runs, 0 ms,
 * {@code cli-runner/target/tollgate.jar}. A latency delays every WireMock answer, standing in for
 * GitHub's round trip.
 */
public final class GithubCallsBenchmark {
  private GithubCallsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int latency = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    List<Path> jars = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      jars.add(Path.of(args[i]));
    }
    if (jars.isEmpty()) {
      jars.add(Path.of("cli-runner/target/tollgate.jar"));
    }
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException(jar + " does not exist; build it first");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d runs per case and jar, %d ms per answer; %d cores, Java %s (%s)%n",
        runs,
        latency,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
    for (int j = 0; j < jars.size(); j++) {
      System.out.printf(Locale.ROOT, "jar %d: %s%n", j + 1, jars.get(j));
    }
    WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    try (GithubStage stage = new GithubStage(server.port(), latency)) {
      System.out.printf(
          Locale.ROOT,
          "%-60s %3s %5s %8s %8s %8s%n",
          "case",
          "jar",
          "calls",
          "median",
          "min",
          "max");
      version(jars, runs);
      for (GithubStage.Case c : GithubStage.Case.values()) {
        long[][] ms = new long[jars.size()][runs];
        List<List<String>> calls = new ArrayList<>();
        for (Path jar : jars) {
          GithubStage.Run warm = stage.run(jar, c);
          if (warm.exit() != 1) {
            throw new IllegalStateException(
                c + ": expected exit 1 (blocked) but was " + warm.exit() + "\n" + warm.err());
          }
          calls.add(warm.calls());
        }
        for (int i = 0; i < runs; i++) {
          for (int j = 0; j < jars.size(); j++) {
            GithubStage.Run r = stage.run(jars.get(j), c);
            ms[j][i] = r.nanos() / 1_000_000;
            if (!calls.get(j).equals(r.calls())) {
              throw new IllegalStateException(c + ": calls differ between runs: " + r.calls());
            }
          }
        }
        for (int j = 0; j < jars.size(); j++) {
          print(c.label, j + 1, calls.get(j).size(), ms[j]);
        }
        for (int j = 0; j < jars.size(); j++) {
          System.out.println("    jar " + (j + 1) + ":");
          for (String call : calls.get(j)) {
            System.out.println("      " + call);
          }
        }
      }
    } finally {
      server.stop();
    }
  }

  private static void version(List<Path> jars, int runs) throws Exception {
    long[][] ms = new long[jars.size()][runs];
    for (int i = -1; i < runs; i++) {
      for (int j = 0; j < jars.size(); j++) {
        List<String> cmd =
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jars.get(j).toAbsolutePath().toString(),
                "--version");
        long start = System.nanoTime();
        Process p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.waitFor();
        if (i >= 0) {
          ms[j][i] = (System.nanoTime() - start) / 1_000_000;
        }
      }
    }
    for (int j = 0; j < jars.size(); j++) {
      print("tollgate --version (JVM and jar start-up only)", j + 1, 0, ms[j]);
    }
  }

  private static void print(String label, int jar, int calls, long[] ms) {
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    long median =
        sorted.length % 2 == 1
            ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    System.out.printf(
        Locale.ROOT,
        "%-60s %3d %5d %6d ms %5d ms %5d ms%n",
        label,
        jar,
        calls,
        median,
        sorted[0],
        sorted[sorted.length - 1]);
  }
}
