package dev.tollgate.speckit.bench;

import dev.tollgate.core.report.Report;
import dev.tollgate.core.util.FileTrees;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark harness (not a test) for the Spec Kit validator: generates a corpus of N realistic
 * features, then reports parse+validate throughput in MB/s and features/s, and the runner's
 * start-to-exit time on {@code examples/demo}.
 *
 * <p>Run from the repository root (see {@code docs/benchmarks.md}):
 *
 * <pre>
 * ./mvnw -q -DskipTests install
 * ./mvnw -q -pl spec-kit exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tollgate.speckit.bench.SpecKitBenchmark -Dexec.args="200 10"
 * </pre>
 *
 * Arguments: features to generate (default 200), measured iterations (default 10). The figures are
 * printed, never asserted.
 */
public final class SpecKitBenchmark {
  private SpecKitBenchmark() {}

  /** Runs the benchmark; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    int features = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path root = Files.createTempDirectory("tollgate-bench");
    try {
      long bytes = generate(root, features);
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf(
          Locale.ROOT,
          "corpus: %d features, %.2f MB, %d cores, Java %s%n",
          features,
          bytes / 1e6,
          cores,
          Runtime.version());
      SpecKitValidator validator = new SpecKitValidator(SpecKitConfig.defaults());
      int findings = 0;
      for (int i = 0; i < Math.max(3, iterations / 2); i++) { // warm-up
        findings = validator.validate(List.of(root)).findings().size();
      }
      double[] seconds = new double[iterations];
      for (int i = 0; i < iterations; i++) {
        long t0 = System.nanoTime();
        Report r = validator.validate(List.of(root));
        seconds[i] = (System.nanoTime() - t0) / 1e9;
        findings = r.findings().size();
      }
      Arrays.sort(seconds);
      double median = seconds[iterations / 2];
      double mbps = bytes / 1e6 / median;
      System.out.printf(
          Locale.ROOT,
          "parse+validate: median %.1f ms (min %.1f, max %.1f) over %d runs, %d findings%n",
          median * 1e3,
          seconds[0] * 1e3,
          seconds[iterations - 1] * 1e3,
          iterations,
          findings);
      System.out.printf(
          Locale.ROOT,
          "throughput: %.1f MB/s (%.1f MB/s per core), %.0f features/s%n",
          mbps,
          mbps / cores,
          features / median);
      cliStartToExit();
    } finally {
      FileTrees.delete(root);
    }
  }

  /** Times {@code java -jar tollgate.jar spec-kit validate examples/demo}, if the jar is built. */
  private static void cliStartToExit() throws IOException, InterruptedException {
    Path repo = Path.of("").toAbsolutePath();
    while (repo != null && !Files.exists(repo.resolve("mvnw"))) {
      repo = repo.getParent();
    }
    Path jar = repo == null ? null : repo.resolve("cli-runner/target/tollgate.jar");
    if (jar == null || !Files.exists(jar) || !Files.isDirectory(repo.resolve("examples/demo"))) {
      System.out.println("cli: skipped (build cli-runner/target/tollgate.jar first)");
      return;
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    int runs = 7;
    List<Double> ms = new ArrayList<>();
    int exit = -1;
    for (int i = 0; i < runs + 1; i++) {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  java.toString(), "-jar", jar.toString(), "spec-kit", "validate", "examples/demo")
              .directory(repo.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      exit = p.waitFor();
      if (i > 0) { // the first run only warms the file cache
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    }
    ms.sort(Comparator.naturalOrder());
    System.out.printf(
        Locale.ROOT,
        "cli start-to-exit on examples/demo: median %.0f ms (min %.0f, max %.0f) over %d runs,"
            + " exit code %d%n",
        ms.get(ms.size() / 2),
        ms.get(0),
        ms.get(ms.size() - 1),
        runs,
        exit);
  }

  /** Writes N features with constitution, spec, plan and tasks; returns the bytes written. */
  static long generate(Path root, int features) throws IOException {
    long bytes = 0;
    bytes +=
        write(
            root.resolve(".specify/memory/constitution.md"),
            """
            # Shop Constitution

            ## Core Principles

            ### I. Tests first
            Every change MUST come with a test that fails without it.

            ### II. Small changes
            Pull requests SHOULD touch one feature.

            ## Governance
            Amendments need two approvals.

            **Version**: 1.2.0 | **Ratified**: 2026-01-10 | **Last Amended**: 2026-03-02
            """);
    for (int f = 1; f <= features; f++) {
      String dir = String.format(Locale.ROOT, "specs/%03d-feature-%d/", f, f);
      bytes += write(root.resolve(dir + "spec.md"), spec(f));
      bytes += write(root.resolve(dir + "plan.md"), plan(f));
      bytes += write(root.resolve(dir + "tasks.md"), tasks(f));
    }
    return bytes;
  }

  private static String spec(int f) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Feature Specification: Feature ").append(f).append("\n\n");
    sb.append("**Feature Branch**: `").append(f).append("-feature`\n");
    sb.append("**Created**: 2026-02-01\n**Status**: Draft\n\n");
    sb.append("## User Scenarios & Testing *(mandatory)*\n\n");
    for (int s = 1; s <= 3; s++) {
      sb.append("### User Story ")
          .append(s)
          .append(" - Shopper flow ")
          .append(s)
          .append(" (Priority: P")
          .append(s)
          .append(")\n\n");
      sb.append("A shopper completes step ").append(s).append(" of checkout.\n\n");
      sb.append("**Acceptance Scenarios**:\n\n");
      for (int a = 1; a <= 3; a++) {
        sb.append(a)
            .append(". **Given** a cart with ")
            .append(a)
            .append(" items, **When** the shopper pays, **Then** the order is recorded.\n");
      }
      sb.append('\n');
    }
    sb.append("## Requirements *(mandatory)*\n\n### Functional Requirements\n\n");
    for (int r = 1; r <= 12; r++) {
      sb.append(String.format(Locale.ROOT, "- **FR-%03d**: System MUST handle case %d.%n", r, r));
    }
    sb.append("\n## Success Criteria *(mandatory)*\n\n");
    for (int c = 1; c <= 4; c++) {
      sb.append(
          String.format(
              Locale.ROOT, "- **SC-%03d**: 95%% of checkouts finish in %d seconds.%n", c, c + 1));
    }
    return sb.toString();
  }

  private static String plan(int f) {
    return """
        # Implementation Plan: Feature %d

        ## Summary
        Adds a checkout step.

        ## Technical Context
        **Language/Version**: Java 17
        **Storage**: PostgreSQL

        ## Constitution Check
        Tests first: yes. Small changes: yes.

        ## Project Structure
        Code lives in `src/main/java/shop/checkout/`.
        """
        .formatted(f);
  }

  private static String tasks(int f) {
    StringBuilder sb = new StringBuilder("# Tasks: Feature " + f + "\n\n");
    int t = 1;
    sb.append("## Phase 1: Setup\n\n");
    for (int i = 0; i < 4; i++, t++) {
      sb.append(
          String.format(Locale.ROOT, "- [x] T%03d Create module in src/setup/S%d.java%n", t, t));
    }
    for (int s = 1; s <= 3; s++) {
      sb.append("\n## Phase ")
          .append(s + 1)
          .append(": User Story ")
          .append(s)
          .append(" - Shopper flow ")
          .append(s)
          .append(" (Priority: P")
          .append(s)
          .append(")\n\n");
      for (int i = 0; i < 8; i++, t++) {
        int fr = (t % 12) + 1;
        sb.append(
            String.format(
                Locale.ROOT,
                "- [ ] T%03d [P] [US%d] Implement step %d (FR-%03d) in src/main/java/shop/S%d.java%n",
                t,
                s,
                t,
                fr,
                t));
      }
    }
    return sb.toString();
  }

  private static long write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    Files.write(file, b);
    return b.length;
  }
}
