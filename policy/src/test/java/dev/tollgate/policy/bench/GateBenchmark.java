package dev.tollgate.policy.bench;

import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.policy.MergeGate;
import dev.tollgate.policy.MergeVerdict;
import dev.tollgate.policy.PullRequestFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A harness (not a test) that prints how long the merge gate takes in process on a large change: it
 * generates a repository of N files (default 10,000) on {@code main}, a branch that modifies M of
 * them (default 1,000), then times reading the change with JGit and evaluating every pull-request
 * gate (including reading and scanning each changed file for secrets), and prints the median of R
 * runs (default 9) after 2 warm-up runs.
 *
 * <p>Usage: {@code GateBenchmark [files] [changed] [runs]}.
 */
public final class GateBenchmark {
  private GateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int changed = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    Path root = Files.createTempDirectory("tollgate-gate-bench");
    try {
      long t0 = System.nanoTime();
      generate(root, files, changed);
      System.out.printf(
          "generated %,d files, %,d changed on bf/BF-274-bench in %.1f s%n",
          files, changed, (System.nanoTime() - t0) / 1e9);
      String policy =
          String.join(
              "\n",
              "lanes:",
              "  in-progress:",
              "  done: {terminal: true}",
              "pull_request:",
              "  max_files: 2000",
              "  max_lines: 100000",
              "  touched_directories: [src/]",
              "  spec_kit: touched",
              "");
      long[] changeNanos = new long[runs];
      long[] gateNanos = new long[runs];
      MergeVerdict last = null;
      for (int i = -2; i < runs; i++) {
        long a = System.nanoTime();
        try (RepositoryView view = RepositoryView.open(root)) {
          ChangeSet set = view.changes("main", "HEAD");
          List<String> messages =
              view.commitsBetween("main", "HEAD").stream().map(CommitInfo::message).toList();
          long b = System.nanoTime();
          MergeGate gate =
              MergeGate.load(
                  root, policy, ".tollgate/policy.yml", GateBenchmark.class.getClassLoader());
          PullRequestFacts facts =
              new PullRequestFacts(
                  view.branch(),
                  Optional.empty(),
                  Set.of(),
                  OptionalInt.empty(),
                  set,
                  messages,
                  f -> f.blobId().map(view::blob));
          last = gate.evaluate(facts, Clock.systemUTC());
          long c = System.nanoTime();
          if (i >= 0) {
            changeNanos[i] = b - a;
            gateNanos[i] = c - b;
          }
        }
      }
      System.out.printf(
          "read change (JGit diff, %,d files, line counts): median %.0f ms%n",
          changed, median(changeNanos) / 1e6);
      System.out.printf(
          "evaluate 8 gates (incl. secrets scan): median %.0f ms%n", median(gateNanos) / 1e6);
      long[] total = new long[runs];
      for (int i = 0; i < runs; i++) {
        total[i] = changeNanos[i] + gateNanos[i];
      }
      System.out.printf(
          "total in-process gate time: median %.0f ms over %d runs%n", median(total) / 1e6, runs);
      System.out.println("verdict: " + last.verdict().status().label());
    } finally {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double median(long[] values) {
    long[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static void generate(Path root, int files, int changed) throws Exception {
    try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(root.resolve("work-items"));
      Files.writeString(
          root.resolve("work-items/wi-BF-274.yml"),
          "id: wi-BF-274\ntitle: Bench\nlane: in-progress\nstatus: in-progress\n");
      List<Path> paths = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        Path p = root.resolve(String.format("src/m%03d/File%05d.java", i / 100, i));
        paths.add(p);
        write(p, body(i, 0));
      }
      commit(git, "base", 0);
      git.checkout().setCreateBranch(true).setName("bf/BF-274-bench").call();
      int step = Math.max(1, files / changed);
      for (int i = 0, n = 0; i < files && n < changed; i += step, n++) {
        write(paths.get(i), body(i, 1));
      }
      commit(git, "BF-274: touch " + changed + " files", 1);
    }
  }

  private static String body(int i, int version) {
    StringBuilder b = new StringBuilder("package m;\n\n/** Generated file " + i + ". */\n");
    b.append("final class File").append(i).append(" {\n");
    for (int line = 0; line < 40; line++) {
      b.append("  int field").append(line).append(" = ").append(line * (version + 1)).append(";\n");
    }
    return b.append("}\n").toString();
  }

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static void commit(Git git, String message, int tick) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who =
        new PersonIdent(
            "Bench", "b@example.com", Instant.ofEpochSecond(1_700_000_000L + tick), ZoneOffset.UTC);
    git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }
}
