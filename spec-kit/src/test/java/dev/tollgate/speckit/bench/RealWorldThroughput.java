package dev.tollgate.speckit.bench;

import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A harness (not a test) that measures the validator's throughput on the real-world corpus of
 * {@link RealWorldPrecision}: every kit root of every repository validated in process, after a
 * warm-up, as the median of the measured passes. With 0 measured passes it validates the corpus
 * once, cold, which is what a fresh JVM pays.
 *
 * <pre>
 * java -cp ... dev.tollgate.speckit.bench.RealWorldThroughput CORPUS [PASSES]
 * </pre>
 */
public final class RealWorldThroughput {
  private RealWorldThroughput() {}

  public static void main(String[] args) throws IOException {
    Path corpus = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    List<Path> roots = new ArrayList<>();
    long bytes = 0;
    try (Stream<Path> s = Files.list(corpus)) {
      for (Path repo : s.filter(Files::isDirectory).sorted().toList()) {
        if (repo.getFileName().toString().startsWith(".")) {
          continue;
        }
        roots.addAll(RealWorldPrecision.kitRoots(repo));
        try (Stream<Path> files = Files.walk(repo)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            bytes += Files.size(f);
          }
        }
      }
    }
    SpecKitValidator validator = new SpecKitValidator(SpecKitConfig.defaults());
    if (passes == 0) {
      long t0 = System.nanoTime();
      int findings = pass(validator, roots);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "cold pass: %d roots, %.2f MB, %d findings, %.3f s, %.1f MB/s%n",
          roots.size(),
          bytes / 1e6,
          findings,
          s,
          bytes / 1e6 / s);
      return;
    }
    for (int i = 0; i < 3; i++) {
      pass(validator, roots);
    }
    double[] seconds = new double[passes];
    double[] cpu = new double[passes];
    int findings = 0;
    for (int i = 0; i < passes; i++) {
      long c0 = processCpuNanos();
      long t0 = System.nanoTime();
      findings = pass(validator, roots);
      seconds[i] = (System.nanoTime() - t0) / 1e9;
      cpu[i] = (processCpuNanos() - c0) / 1e9;
    }
    Arrays.sort(seconds);
    Arrays.sort(cpu);
    double median = seconds[passes / 2];
    double medianCpu = cpu[passes / 2];
    // Wall time swings with whatever else runs on the machine; the CPU time the process spends
    // (all its threads, collector included) is the steadier figure to compare two versions by.
    System.out.printf(
        Locale.ROOT,
        "warm: %d roots, %.2f MB, %d findings, median wall %.3f s (min %.3f, max %.3f), %.1f MB/s;"
            + " median CPU %.3f s, %.1f MB per CPU-second%n",
        roots.size(),
        bytes / 1e6,
        findings,
        median,
        seconds[0],
        seconds[passes - 1],
        bytes / 1e6 / median,
        medianCpu,
        bytes / 1e6 / medianCpu);
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : System.nanoTime();
  }

  private static int pass(SpecKitValidator validator, List<Path> roots) {
    int findings = 0;
    for (Path root : roots) {
      findings += validator.validate(List.of(root)).findings().size();
    }
    return findings;
  }
}
