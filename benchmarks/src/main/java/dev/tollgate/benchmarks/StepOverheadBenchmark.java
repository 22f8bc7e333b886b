package dev.tollgate.benchmarks;

import dev.tollgate.core.runs.exec.StepRunner;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.ShellStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What guarding a step costs: the wall time of a {@code shell: 'true'} step through the {@link
 * StepRunner} with process groups and the watchdog (the default), without them, and one bare {@code
 * bash -c true} through {@link ProcessBuilder} as the peer, interleaved round by round so load on
 * the machine falls on all alike. Where there is {@code setsid}, two more bare commands show what
 * its program images cost by themselves: {@code setsid --wait bash -c true}, and the same with a
 * {@code /bin/sh} in between (as a gate in a shell of its own costs).
 *
 * <p>{@code --steps N} (default 300) steps of each kind, after 30 of warm-up.
 */
public final class StepOverheadBenchmark {
  private StepOverheadBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, Set.of(), Set.of("steps"));
    int n = args.integer("steps", 300);
    Path dir = Files.createTempDirectory("tollgate-step-bench");
    StepRunner guarded = StepRunner.builder().build();
    StepRunner plain = StepRunner.builder().processGroups(false).build();
    if (!guarded.usesProcessGroups()) {
      System.out.println("no setsid or perl on this machine: the guarded runner has no watchdog");
    }
    ShellStep step = ShellStep.of("noop", Duration.ofMinutes(1), "true");
    StepContext ctx = StepContext.builder(1, 1).workingDirectory(dir).events(e -> {}).build();
    List<Double> withWatchdog = new ArrayList<>();
    List<Double> withoutGroups = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<String> session = onPath("setsid") ? List.of("setsid", "--wait") : List.of();
    List<String> sessionBash = new ArrayList<>(session);
    sessionBash.addAll(List.of("bash", "-c", "true"));
    List<String> sessionShBash = new ArrayList<>(session);
    sessionShBash.addAll(List.of("/bin/sh", "-c", "exec \"$@\"", "sh", "bash", "-c", "true"));
    boolean images = !session.isEmpty() && Files.isExecutable(Path.of("/bin/sh"));
    List<Double> bareSession = new ArrayList<>();
    List<Double> bareSessionSh = new ArrayList<>();
    for (int i = 0; i < n + 30; i++) {
      double a = time(() -> check(guarded.run(step, ctx)));
      double b = time(() -> check(plain.run(step, ctx)));
      double c = time(() -> spawn(List.of("bash", "-c", "true")));
      double d = images ? time(() -> spawn(sessionBash)) : 0;
      double e = images ? time(() -> spawn(sessionShBash)) : 0;
      if (i >= 30) {
        withWatchdog.add(a);
        withoutGroups.add(b);
        bare.add(c);
        bareSession.add(d);
        bareSessionSh.add(e);
      }
    }
    System.out.println("| what | p50 | p90 | p99 | n |");
    System.out.println("| --- | --- | --- | --- | --- |");
    row("step with process group and watchdog (default)", withWatchdog);
    row("step without process group (processGroups(false))", withoutGroups);
    row("bare `bash -c true` (ProcessBuilder)", bare);
    if (images) {
      row("bare `" + String.join(" ", session) + " bash -c true`", bareSession);
      row("bare `" + String.join(" ", session) + " /bin/sh -c ... bash -c true`", bareSessionSh);
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static double time(Body body) throws Exception {
    long start = System.nanoTime();
    body.run();
    return (System.nanoTime() - start) / 1e6;
  }

  private static void check(StepOutcome outcome) {
    if (!outcome.succeeded()) {
      throw new IllegalStateException("the step failed: " + outcome.summary());
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d.isEmpty() ? "." : d, program)));
  }

  private static void spawn(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.getOutputStream().close();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command + " failed");
    }
  }

  private static void row(String what, List<Double> ms) {
    double[] sorted = Figures.sorted(ms.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.println(
        "| "
            + what
            + " | "
            + Figures.f1(Figures.percentile(sorted, 50))
            + " ms | "
            + Figures.f1(Figures.percentile(sorted, 90))
            + " | "
            + Figures.f1(Figures.percentile(sorted, 99))
            + " | "
            + ms.size()
            + " |");
  }
}
