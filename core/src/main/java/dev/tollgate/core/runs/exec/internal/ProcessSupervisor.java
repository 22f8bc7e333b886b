package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.runs.exec.StepEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one process for a step: streams its output as events, stops it when the step is cancelled or
 * out of time, and leaves none of its processes behind.
 *
 * <p>With {@link Options#setsid} the process starts in a session and process group of its own, so
 * everything it starts, even processes whose parent has already exited, can be signalled at once
 * ({@code kill -- -PGID}). Without it only the processes still descending from it are found.
 * Stopping sends SIGTERM, waits {@link Options#grace}, then sends SIGKILL.
 */
public final class ProcessSupervisor {
  private ProcessSupervisor() {}

  /**
   * How processes are run.
   *
   * @param bash the bash executable, also used to signal process groups
   * @param setsid the {@code setsid} executable; empty to run without a process group of its own
   * @param grace how long a process has between SIGTERM and SIGKILL
   */
  public record Options(String bash, Optional<String> setsid, Duration grace) {}

  /** How a process ended. */
  public sealed interface Ended {}

  /** It exited by itself with {@code code}. */
  public record Exited(int code) implements Ended {}

  /** It was stopped because of {@code stop}. */
  public record Stopped(Limits.Stop stop) implements Ended {}

  /** It could not be started. */
  public record StartFailed(String message) implements Ended {}

  /**
   * Runs {@code command} to its end or until {@code limits} stop it; output goes to {@code emitter}
   * line by line.
   *
   * @param onStop run after the process was stopped (not after a normal exit), e.g. to remove a
   *     container the process created
   * @throws InterruptedException when the calling thread is interrupted; the process is stopped
   *     first
   */
  public static Ended run(
      List<String> command,
      Map<String, String> environment,
      Path directory,
      Emitter emitter,
      Limits limits,
      Options options,
      Runnable onStop)
      throws InterruptedException {
    // Resolved here, with the worker's PATH: behind setsid a missing program would only be an
    // exit code 127, and setsid would search the step's PATH instead.
    Optional<String> program = resolve(command.get(0));
    if (program.isEmpty()) {
      return new StartFailed(
          "'"
              + command.get(0)
              + (command.get(0).contains("/")
                  ? "' does not exist or is not executable"
                  : "' is not on the PATH"));
    }
    List<String> full = new ArrayList<>();
    options.setsid().ifPresent(s -> full.addAll(List.of(s, "--wait")));
    full.add(program.get());
    full.addAll(command.subList(1, command.size()));
    ProcessBuilder pb = new ProcessBuilder(full).directory(directory.toFile());
    pb.environment().clear();
    pb.environment().putAll(environment);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new StartFailed(e.getMessage());
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // stdin is only closed so the process sees end of input; nothing to do if it fails.
    }
    Thread out = pump(process, StepEvent.Stream.STDOUT, emitter);
    Thread err = pump(process, StepEvent.Stream.STDERR, emitter);
    Ended ended;
    try {
      ended = await(process, limits);
    } catch (InterruptedException e) {
      stop(process, options);
      onStop.run();
      throw e;
    }
    if (ended instanceof Stopped) {
      stop(process, options);
      onStop.run();
    } else {
      // What the step left running in its group would hold the output pipes open forever.
      options.setsid().ifPresent(s -> sweepGroup(process.pid(), options));
    }
    joinPumps(out, err, options.grace().plusSeconds(1));
    return ended;
  }

  /** The executable {@code program} names, looked up on the worker's PATH unless it has a '/'. */
  static Optional<String> resolve(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program)) ? Optional.of(program) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate.toAbsolutePath().toString());
        }
      }
    }
    return Optional.empty();
  }

  private static Ended await(Process process, Limits limits) throws InterruptedException {
    while (true) {
      Limits.Stop stop = limits.check();
      if (stop != Limits.Stop.NONE) {
        return new Stopped(stop);
      }
      Duration wait = Limits.min(limits.remaining(), Limits.POLL);
      if (process.waitFor(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)) {
        return new Exited(process.exitValue());
      }
    }
  }

  private static Thread pump(Process process, StepEvent.Stream stream, Emitter emitter) {
    Thread t =
        new Thread(
            new LinePump(
                stream == StepEvent.Stream.STDOUT
                    ? process.getInputStream()
                    : process.getErrorStream(),
                stream,
                emitter),
            "tollgate-step-" + process.pid() + "-" + stream.label());
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void joinPumps(Thread out, Thread err, Duration patience)
      throws InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    for (Thread t : List.of(out, err)) {
      long left = end - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      }
    }
    // A process that escaped its group (its own setsid) may hold a pipe open; its output is no
    // longer wanted once the step has finished, and the emitter drops it.
  }

  /** SIGTERM to the process, its group and its descendants; SIGKILL to what is left after grace. */
  static void stop(Process process, Options options) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    options.setsid().ifPresent(s -> signalGroup(process.pid(), "TERM", options.bash()));
    tree.forEach(ProcessHandle::destroy);
    awaitGone(tree, options.grace());
    options.setsid().ifPresent(s -> signalGroup(process.pid(), "KILL", options.bash()));
    tree.stream().filter(ProcessSupervisor::isRunning).forEach(ProcessHandle::destroyForcibly);
    awaitGone(tree, Duration.ofSeconds(1));
  }

  /** After a normal exit: stops whatever is still running in the process group. */
  private static void sweepGroup(long pgid, Options options) {
    if (!groupHasMembers(pgid)) {
      return;
    }
    signalGroup(pgid, "TERM", options.bash());
    long end = System.nanoTime() + options.grace().toNanos();
    while (groupHasMembers(pgid) && System.nanoTime() < end) {
      sleep(Duration.ofMillis(20));
    }
    if (groupHasMembers(pgid)) {
      signalGroup(pgid, "KILL", options.bash());
    }
  }

  /**
   * Whether a process of group {@code pgid} is still running. Reads {@code /proc}; where there is
   * none, assumes there may be.
   */
  private static boolean groupHasMembers(long pgid) {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return true;
    }
    return ProcessHandle.allProcesses()
        .anyMatch(h -> isRunning(h) && pgidOf(h.pid()).map(g -> g == pgid).orElse(false));
  }

  private static Optional<Long> pgidOf(long pid) {
    Optional<String> stat = stat(pid);
    if (stat.isEmpty()) {
      return Optional.empty();
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses, so read after the last
    // ')'.
    String s = stat.get();
    String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
    try {
      return Optional.of(Long.parseLong(fields[2]));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void signalGroup(long pgid, String signal, String bash) {
    try {
      Process kill =
          new ProcessBuilder(
                  bash,
                  "-c",
                  "kill -s \"$1\" -- \"-$2\" 2>/dev/null; exit 0",
                  "tollgate-kill",
                  signal,
                  Long.toString(pgid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      // Without bash the group cannot be signalled; the descendants are still stopped one by one.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitGone(List<ProcessHandle> tree, Duration patience) {
    long end = System.nanoTime() + patience.toNanos();
    while (tree.stream().anyMatch(ProcessSupervisor::isRunning) && System.nanoTime() < end) {
      sleep(Duration.ofMillis(20));
    }
  }

  /**
   * Whether a process is running. A zombie (exited, not yet reaped: common for orphans in
   * containers whose first process does not reap) counts as gone, although {@link
   * ProcessHandle#isAlive} says otherwise.
   */
  public static boolean isRunning(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return false;
    }
    Optional<String> stat = stat(handle.pid());
    if (stat.isEmpty()) {
      // Gone from /proc means gone; without /proc (not Linux), trust isAlive.
      return !Files.isDirectory(Path.of("/proc"));
    }
    String s = stat.get();
    int close = s.lastIndexOf(')');
    char state = close >= 0 && close + 2 < s.length() ? s.charAt(close + 2) : '?';
    return state != 'Z' && state != 'X' && state != 'x';
  }

  private static Optional<String> stat(long pid) {
    try {
      return Optional.of(
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
