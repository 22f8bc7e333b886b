package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.util.DaemonThreads;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs one process for a step: streams its output as events, stops it when the step is cancelled or
 * out of time, and leaves none of its processes behind, even when the worker itself dies.
 *
 * <p>With a {@linkplain Options#session session launcher} ({@code setsid}, or Perl's {@code
 * POSIX::setsid} where there is none, as on macOS) the process starts in a session and process
 * group of its own, so everything it starts, even processes whose parent has already exited, can be
 * signalled at once ({@code kill -- -PGID}). Where the C library can start it in its session itself
 * ({@link SessionSpawn}, {@linkplain Options#direct unless turned off}), a step with pipes starts
 * that way instead, without the launcher's and the JDK's {@code jspawnhelper}'s program images.
 * Without a launcher only the processes still descending from it are found. Stopping sends SIGTERM,
 * waits {@link Options#grace}, then sends SIGKILL.
 *
 * <p>Each such step is guarded by a <em>watchdog</em>: a small shell in a session of its own that
 * holds the read end of a pipe whose write end only this JVM holds. The steps of a JVM share one
 * (each registers its group before it starts and removes it when it has ended); a step with
 * something to undo after a stop (a container) gets one of its own. When the JVM dies first, by any
 * signal (SIGKILL included, and a SIGKILL of the worker's whole process group), the kernel closes
 * the pipe; the watchdog reads end of file and stops the step's process group (SIGTERM, SIGKILL
 * after the grace), so a step never outlives the worker that owns it by more than the grace. The
 * step itself is held at a gate until the watchdog knows its group: a JVM that dies between the two
 * starts leaves no step running. A bash script's own shell runs that gate before the script ({@link
 * #runScript}); any other command waits behind it in a {@code /bin/sh} of its own, one program
 * image more. Nothing else is on the step's path: registering its group and handing it over at the
 * end are each one line written to the watchdog, never waited for. The step's {@code step_started}
 * is written while the step waits at its gate (its program images load meanwhile), and the step is
 * let through only once it is, and only if the step has not been stopped by then. What a step moves
 * out of its group on purpose ({@code setsid} of its own, a double-forked daemon) is out of reach,
 * as it is for a normal stop.
 */
public final class ProcessSupervisor {
  private ProcessSupervisor() {}

  /**
   * The shell code of the gate a step waits at: it runs the step (with no standard input) only once
   * the JVM says {@code go}, which it does after the watchdog knows the step's group.
   */
  private static final String GATE =
      "IFS= read -r go || exit 125; [ \"$go\" = go ] || exit 125; exec \"$@\" </dev/null";

  /**
   * The shell the gate runs in: the system's POSIX {@code /bin/sh} where there is one (the gate is
   * POSIX shell code, and a small {@code sh} such as dash starts in a fraction of bash's time:
   * about 2 ms less per step here), else the options' bash.
   */
  private static final Optional<String> GATE_SHELL = resolve("/bin/sh");

  /**
   * The gate of a bash script, run by the script's own shell before the script itself, so that a
   * guarded script step costs one program image less than one behind {@link #GATE} (about 3 ms per
   * step here: {@code /bin/sh} loading is most of what a guard costs). It is the same gate: no
   * command of the script runs before the JVM says {@code go}, and end of input exits with 125. It
   * shares the script's first line (bash numbers the lines of a {@code -c} string itself, and
   * {@code LINENO} cannot be set back), so the script's line numbers and its errors' are its own.
   * Its variable has the reserved {@code TOLLGATE_} prefix, which no step's environment carries;
   * {@code case} rather than {@code [} leaves nothing an exported function could replace.
   */
  private static final String INLINE_GATE =
      "IFS= read -r TOLLGATE_GATE || exit 125; case $TOLLGATE_GATE in go) ;; *) exit 125 ;; esac;"
          + " unset TOLLGATE_GATE; exec </dev/null; ";

  /**
   * Variables with which bash runs code of its own before a {@code -c} string, prints what it runs,
   * or changes how {@code read} behaves; with any of them in a step's environment the gate stays
   * outside the step's shell ({@link #GATE}). {@code BASH_FUNC_} starts exported functions.
   */
  private static final List<String> OUTSIDE_GATE_VARIABLES =
      List.of("BASH_ENV", "SHELLOPTS", "BASHOPTS", "TMOUT");

  /**
   * The shell code of the watchdog. Its first line of input is the step's process group, its second
   * {@code done}; end of file instead of {@code done} means the JVM is gone, and the group is
   * stopped: SIGTERM, then SIGKILL once {@code $1} tenths of a second have passed, then the cleanup
   * command in the remaining arguments, if any.
   */
  private static final String WATCHDOG =
      String.join(
          "\n",
          "trap '' HUP INT TERM",
          "echo ready",
          "IFS= read -r pgid || exit 0",
          "case $pgid in ''|*[!0-9]*) exit 0 ;; esac",
          "IFS= read -r word",
          "[ \"$word\" = done ] && exit 0",
          "kill -s TERM -- \"-$pgid\" 2>/dev/null",
          "n=$1; shift",
          "while [ \"$n\" -gt 0 ] && kill -0 -- \"-$pgid\" 2>/dev/null; do sleep 0.1; n=$((n-1)); done",
          "kill -s KILL -- \"-$pgid\" 2>/dev/null",
          "[ $# -gt 0 ] && \"$@\"",
          "exit 0");

  /**
   * How processes are run.
   *
   * @param bash the bash executable, also used to signal process groups and as the watchdog
   * @param session the command that runs the rest of its arguments in a new session ({@code setsid
   *     --wait}, say); empty to run without a process group of its own and without a watchdog
   * @param grace how long a process has between SIGTERM and SIGKILL
   * @param direct whether a step with a process group starts in its session straight through the C
   *     library where it can ({@link SessionSpawn}: Linux with glibc 2.34 or newer and JNA on the
   *     class path), one program image instead of the JDK's {@code jspawnhelper}, {@code session}
   *     and the step's; {@code session} is used where it cannot
   */
  public record Options(String bash, List<String> session, Duration grace, boolean direct) {
    /** Checks and copies the values. */
    public Options {
      session = List.copyOf(session);
    }

    /** Options that start steps straight through the C library where it can. */
    public Options(String bash, List<String> session, Duration grace) {
      this(bash, session, grace, true);
    }

    /** Whether steps get a process group of their own, and so a watchdog. */
    public boolean groups() {
      return !session.isEmpty();
    }

    /**
     * Starts what starting a step in its session straight through the C library needs (JNA and its
     * binding, about 0.2 s on a cold JVM) on a thread of its own, so that the first step does not
     * wait for it; nothing when these options do not start steps that way.
     */
    public void prepare() {
      if (groups() && direct) {
        SessionSpawn.prepare();
      }
    }

    /**
     * How steps start with these options, in words for an operator; may wait for the C library's
     * binding to load.
     */
    public String describe() {
      if (!groups()) {
        return "without a process group of their own (process groups off, or no setsid or Perl on"
            + " the PATH)";
      }
      if (direct && SessionSpawn.available()) {
        return "each in a session of its own, by the C library's posix_spawn";
      }
      String launcher = "each in a session of its own, by " + Path.of(session.get(0)).getFileName();
      return direct ? launcher + " (no posix_spawn: " + SessionSpawn.whyNot() + ")" : launcher;
    }

    // Written out: a record's generated equals and hashCode link method handles on first use,
    // which costs a fresh JVM dozens of generated classes before its first step
    // (docs/benchmarks.md, "Runner start-up", fourth round).
    @Override
    public boolean equals(Object o) {
      return o instanceof Options other
          && Objects.equals(bash, other.bash)
          && session.equals(other.session)
          && Objects.equals(grace, other.grace)
          && direct == other.direct;
    }

    @Override
    public int hashCode() {
      return ((Objects.hashCode(bash) * 31 + session.hashCode()) * 31 + Objects.hashCode(grace))
              * 31
          + Boolean.hashCode(direct);
    }
  }

  /** How a process ended. */
  public sealed interface Ended {}

  /** It exited by itself with {@code code}. */
  public record Exited(int code) implements Ended {}

  /** It was stopped because of {@code stop}. */
  public record Stopped(Limits.Stop stop) implements Ended {}

  /** It could not be started. */
  public record StartFailed(String message) implements Ended {}

  /**
   * What to undo after a step was stopped, e.g. remove a container the process created: run by this
   * JVM after a stop, and by the watchdog after the JVM died.
   *
   * @param command the command, run with the step's environment; empty for none
   */
  public record Cleanup(List<String> command) {
    /** No cleanup. */
    public static final Cleanup NONE = new Cleanup(List.of());

    /** Checks and copies the values. */
    public Cleanup {
      command = List.copyOf(command);
    }
  }

  /**
   * Runs {@code command} to its end or until {@code limits} stop it; output goes to {@code emitter}
   * line by line.
   *
   * @param cleanup run after the process was stopped (not after a normal exit)
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
      Cleanup cleanup)
      throws InterruptedException {
    return run(command, environment, directory, emitter, limits, options, cleanup, false);
  }

  /**
   * Runs {@code script} as {@code bash -c script} (the options' bash) like {@link #run}, with no
   * cleanup. With process groups the script's own shell holds it at its gate, where nothing in its
   * environment makes bash run or show code of its own first, which saves starting a shell for the
   * gate alone.
   *
   * @throws InterruptedException when the calling thread is interrupted; the process is stopped
   *     first
   */
  public static Ended runScript(
      String script,
      Map<String, String> environment,
      Path directory,
      Emitter emitter,
      Limits limits,
      Options options)
      throws InterruptedException {
    boolean inline = options.groups() && inlineGateFits(environment);
    return run(
        List.of(options.bash(), "-c", inline ? inlineGated(script) : script),
        environment,
        directory,
        emitter,
        limits,
        options,
        Cleanup.NONE,
        inline);
  }

  /** {@code script} behind the gate its own shell runs first. */
  static String inlineGated(String script) {
    return INLINE_GATE + script;
  }

  /** Whether the step's shell can run its gate: nothing in the environment runs or shows first. */
  static boolean inlineGateFits(Map<String, String> environment) {
    for (String name : environment.keySet()) {
      if (name.startsWith("BASH_FUNC_") || OUTSIDE_GATE_VARIABLES.contains(name)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs {@code command} as {@link #run(List, Map, Path, Emitter, Limits, Options, Cleanup)} says.
   *
   * @param ownGate whether {@code command} holds itself at its gate ({@link #INLINE_GATE}) rather
   *     than behind {@link #GATE}
   */
  private static Ended run(
      List<String> command,
      Map<String, String> environment,
      Path directory,
      Emitter emitter,
      Limits limits,
      Options options,
      Cleanup cleanup,
      boolean ownGate)
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
    if (!options.groups()) {
      // No gate: the process runs as soon as it starts, so its step_started is written first.
      emitter.startedNow();
      Limits.Stop stop = limits.check();
      if (stop != Limits.Stop.NONE) {
        return new Stopped(stop);
      }
    }
    Launched launched;
    try {
      launched =
          launch(
              program.get(),
              command,
              environment,
              directory,
              options,
              cleanup,
              ownGate,
              null,
              emitter::startedNow,
              () -> limits.check() == Limits.Stop.NONE);
    } catch (IOException e) {
      return new StartFailed(e.getMessage());
    }
    Process process = launched.process();
    Watchdog watchdog = launched.watchdog();
    boolean handedOver = false;
    try {
      Future<?> out = pump(process, StepEvent.Stream.STDOUT, emitter);
      Future<?> err = pump(process, StepEvent.Stream.STDERR, emitter);
      Ended ended;
      try {
        ended = await(process, limits);
      } catch (InterruptedException e) {
        stop(process, options);
        runCleanup(cleanup, environment);
        throw e;
      }
      if (ended instanceof Stopped) {
        stop(process, options);
        runCleanup(cleanup, environment);
      } else if (options.groups()) {
        // What the step left running in its group would hold the output pipes open forever. The
        // shared watchdog stops it without this thread scanning every process of the machine.
        // No watchdog: the step ended before its gate, and its group was dismissed already.
        handedOver = watchdog != null && watchdog.handOver();
        if (!handedOver) {
          sweepGroup(process.pid(), options);
        }
      }
      joinPumps(out, err, options.grace().plusSeconds(1));
      return ended;
    } finally {
      // Only now, with the group stopped or swept, may the watchdog stand down.
      if (watchdog != null && !handedOver) {
        watchdog.dismiss();
      }
    }
  }

  private record Launched(Process process, Watchdog watchdog) {}

  /**
   * Whether a step whose {@code go} could not be written ended by itself without reaching its own
   * gate. bash parses the whole first line of a {@code -c} string, gate included, before it runs
   * any of it; when that line does not parse it exits (2) without reading its input. A shell still
   * at its gate sees end of input once it is closed here and exits with 125 instead.
   */
  static boolean endedBeforeItsGate(Process process, Options options) {
    closeQuietly(process.getOutputStream());
    try {
      return process.waitFor(options.grace().toMillis() + 1000, TimeUnit.MILLISECONDS)
          && process.exitValue() != 125;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Starts {@code program} (resolved) with the rest of {@code command}: behind its gate (its own
   * when {@code ownGate}) and with its watchdog when there are process groups; its output goes to
   * two pipes, or to {@code log} (both streams appended) when not null. Once the process is held at
   * its gate and its watchdog knows its group, {@code beforeGo} runs (the step's {@code
   * step_started} is recorded while the process starts), then the step is let through its gate if
   * {@code mayGo} says so, else held back: its gate sees the end of its input and it exits with 125
   * without running anything.
   *
   * @throws IOException when it, or its watchdog, cannot be started; nothing is left running
   */
  private static Launched launch(
      String program,
      List<String> command,
      Map<String, String> environment,
      Path directory,
      Options options,
      Cleanup cleanup,
      boolean ownGate,
      Path log,
      Runnable beforeGo,
      BooleanSupplier mayGo)
      throws IOException {
    // A step with pipes starts in its session through the C library where it can: no
    // jspawnhelper and no session launcher, one program image instead of three.
    boolean direct =
        options.groups() && options.direct() && log == null && SessionSpawn.available();
    List<String> full = new ArrayList<>();
    if (options.groups()) {
      if (!direct) {
        full.addAll(options.session());
      }
      if (!ownGate) {
        full.addAll(List.of(GATE_SHELL.orElse(options.bash()), "-c", GATE, "tollgate-step"));
      }
    }
    full.add(program);
    full.addAll(command.subList(1, command.size()));
    Watchdog watchdog = null;
    if (options.groups()) {
      try {
        watchdog =
            cleanup.command().isEmpty()
                ? SharedWatchdog.of(options).registration()
                : StepWatchdog.start(options, environment, directory, cleanup);
      } catch (IOException e) {
        throw new IOException("cannot start the step's watchdog: " + e.getMessage(), e);
      }
    }
    Process process;
    try {
      if (direct) {
        // The program and /bin/sh come resolved; only a gate shell named by the options may not.
        String first = full.get(0);
        if (first.indexOf('/') < 0) {
          full.set(
              0,
              resolve(first)
                  .orElseThrow(() -> new IOException("'" + first + "' is not on the PATH")));
        }
        process = SessionSpawn.start(full, environment, directory);
      } else {
        ProcessBuilder pb = new ProcessBuilder(full).directory(directory.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment);
        if (log != null) {
          pb.redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        process = pb.start();
      }
    } catch (IOException e) {
      if (watchdog != null) {
        watchdog.dismiss();
      }
      throw e;
    }
    if (watchdog != null) {
      Optional<String> refused = watchdog.register(process);
      if (refused.isEmpty()) {
        try {
          beforeGo.run();
        } catch (RuntimeException | Error e) {
          process.destroyForcibly();
          watchdog.dismiss();
          throw e;
        }
        refused = mayGo.getAsBoolean() ? Watchdog.release(process) : Watchdog.holdBack(process);
      }
      if (refused.isPresent()) {
        if (ownGate && endedBeforeItsGate(process, options)) {
          // Its shell stopped at the script's first command, which did not parse: none of the
          // script ran, and what it said on stderr is the step's result, as without the gate.
          watchdog.dismiss();
          return new Launched(process, null);
        }
        process.destroyForcibly();
        watchdog.dismiss();
        throw new IOException(refused.get());
      }
    } else {
      closeQuietly(process.getOutputStream());
    }
    return new Launched(process, watchdog);
  }

  /**
   * A process that runs beside a step's work (a server a smoke check needs), guarded like a step:
   * in a group of its own, stopped with its group by {@link #close()}, and by its watchdog if the
   * JVM dies first.
   */
  public static final class Background implements AutoCloseable {
    private final Process process;
    private final Watchdog watchdog;
    private final Options options;

    private Background(Process process, Watchdog watchdog, Options options) {
      this.process = process;
      this.watchdog = watchdog;
      this.options = options;
    }

    /** The process (the group's leader, when there are process groups). */
    public Process process() {
      return process;
    }

    /** Stops the process and everything in its group: SIGTERM, SIGKILL after the grace. */
    @Override
    public void close() {
      stop(process, options);
      if (watchdog != null) {
        watchdog.dismiss();
      }
    }
  }

  /**
   * Starts {@code command} in the background, its output (both streams) appended to {@code log}.
   *
   * @throws IOException when it cannot be started
   */
  public static Background background(
      List<String> command,
      Map<String, String> environment,
      Path directory,
      Path log,
      Options options)
      throws IOException {
    String program =
        resolve(command.get(0))
            .orElseThrow(() -> new IOException("'" + command.get(0) + "' is not on the PATH"));
    Launched launched =
        launch(
            program,
            command,
            environment,
            directory,
            options,
            Cleanup.NONE,
            false,
            log,
            () -> {},
            () -> true);
    return new Background(launched.process(), launched.watchdog(), options);
  }

  /** What guards one step's process group while this JVM lives and stops it when it dies. */
  private interface Watchdog {
    /**
     * Tells the watchdog the step's group; empty when it knows it, and the step may be let past its
     * gate ({@link #release}), else why the step must not run.
     */
    Optional<String> register(Process step);

    /** Tells the watchdog the step is over. */
    void dismiss();

    /**
     * Tells the watchdog the step's main process has exited and hands it the group to stop whatever
     * the step left running (SIGTERM, SIGKILL after the grace), which also ends its guard; false
     * when this watchdog cannot, and the caller sweeps the group and dismisses it.
     */
    default boolean handOver() {
      return false;
    }

    /** Sends the step its {@code go}; empty when it was sent. */
    static Optional<String> release(Process step) {
      try (OutputStream gate = step.getOutputStream()) {
        gate.write("go\n".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        return Optional.of("the step did not start: " + e.getMessage());
      }
      return Optional.empty();
    }

    /**
     * Keeps the step from running: its gate sees the end of its input, and it exits with 125
     * without running anything. Always empty: the step is then reaped as a step that ended.
     */
    static Optional<String> holdBack(Process step) {
      closeQuietly(step.getOutputStream());
      return Optional.empty();
    }

    /**
     * Waits until a new watchdog says {@code ready}: it then runs in its own session, so a kill of
     * this JVM's process group can no longer reach it. Until then no step may pass its gate.
     *
     * @throws IOException when it exits first
     */
    static Process awaitReady(Process watchdog) throws IOException {
      java.io.InputStream out = watchdog.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = out.read(); c != '\n'; c = out.read()) {
        if (c < 0) {
          watchdog.destroyForcibly();
          throw new IOException("the watchdog exited before it was ready");
        }
        line.append((char) c);
      }
      if (!line.toString().equals("ready")) {
        watchdog.destroyForcibly();
        throw new IOException("the watchdog said '" + line + "' instead of ready");
      }
      return watchdog;
    }

    /** The watchdog's command: the session launcher, bash, its script and the grace in tenths. */
    static List<String> command(Options options, String script, String name) {
      List<String> command = new ArrayList<>(options.session());
      command.addAll(
          List.of(
              options.bash(),
              "-c",
              script,
              name,
              Long.toString(Math.max(1, (options.grace().toMillis() + 99) / 100))));
      return command;
    }
  }

  /**
   * The watchdog of one step that has something to undo after it is stopped (a container): a shell
   * in a session of its own, reading a pipe only this JVM writes to, that runs the cleanup after
   * stopping the group.
   */
  private static final class StepWatchdog implements Watchdog {
    private final Process process;

    private StepWatchdog(Process process) {
      this.process = process;
    }

    static StepWatchdog start(
        Options options, Map<String, String> environment, Path directory, Cleanup cleanup)
        throws IOException {
      List<String> command = Watchdog.command(options, WATCHDOG, "tollgate-watchdog");
      command.addAll(cleanup.command());
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().putAll(environment);
      return new StepWatchdog(Watchdog.awaitReady(pb.start()));
    }

    @Override
    public Optional<String> register(Process step) {
      try {
        OutputStream watch = process.getOutputStream();
        watch.write((step.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        watch.flush();
      } catch (IOException e) {
        return Optional.of("the step's watchdog is not running: " + e.getMessage());
      }
      return Optional.empty();
    }

    @Override
    public void dismiss() {
      // It exits by itself on 'done'; nothing to wait for.
      try (OutputStream watch = process.getOutputStream()) {
        watch.write("done\n".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // It is gone already; closing the pipe (done by try) is all it needs.
      }
    }
  }

  /**
   * The shell code of the watchdog steps share: {@code +PGID} lines add a group to guard, {@code
   * -PGID} lines remove one, {@code ~PGID} lines remove one and stop what is left in it (in the
   * background); at end of file (this JVM is gone) every group still guarded is stopped: SIGTERM,
   * then SIGKILL once {@code $1} tenths of a second have passed.
   */
  private static final String SHARED_WATCHDOG =
      String.join(
          "\n",
          "trap '' HUP INT TERM",
          "echo ready",
          "n=$1",
          "stop() {",
          "  for g in \"$@\"; do kill -s TERM -- \"-$g\" 2>/dev/null; done",
          "  i=$n",
          "  while [ \"$i\" -gt 0 ]; do",
          "    alive=",
          "    for g in \"$@\"; do kill -0 -- \"-$g\" 2>/dev/null && alive=1; done",
          "    [ -z \"$alive\" ] && return",
          "    sleep 0.1; i=$((i-1))",
          "  done",
          "  for g in \"$@\"; do kill -s KILL -- \"-$g\" 2>/dev/null; done",
          "}",
          "groups=' '",
          "while IFS= read -r line; do",
          "  g=${line#?}",
          "  case $g in '' | *[!0-9]*) continue ;; esac",
          "  case $line in",
          "    +*) groups=\"$groups$g \" ;;",
          "    -*) groups=\"${groups/ $g / }\" ;;",
          "    '~'*) groups=\"${groups/ $g / }\"",
          "      kill -0 -- \"-$g\" 2>/dev/null && { stop \"$g\" & } ;;",
          "  esac",
          "done",
          "[ \"$groups\" = ' ' ] && exit 0",
          "stop $groups",
          "exit 0");

  /**
   * The watchdog the steps of this JVM share (one per set of {@link Options}), so guarding a step
   * costs two lines on a pipe rather than a process. If it is found dead when a step registers, a
   * new one is started and every group still guarded is registered with it again.
   */
  private static final class SharedWatchdog {
    private static final Map<Options, SharedWatchdog> ALL = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED =
        new java.util.concurrent.atomic.AtomicBoolean();

    private final Options options;
    private final java.util.Set<Long> guarded = new java.util.HashSet<>();
    private Process process;

    private SharedWatchdog(Options options) {
      this.options = options;
    }

    static SharedWatchdog of(Options options) {
      return ALL.computeIfAbsent(options, SharedWatchdog::new);
    }

    /** A guard for one step, registering its group with this watchdog. */
    Watchdog registration() {
      return new Watchdog() {
        private long pgid = -1;

        @Override
        public Optional<String> register(Process step) {
          try {
            add(step.pid());
            pgid = step.pid();
          } catch (IOException e) {
            return Optional.of("the steps' watchdog is not running: " + e.getMessage());
          }
          return Optional.empty();
        }

        @Override
        public void dismiss() {
          if (pgid > 0) {
            remove(pgid, "-");
          }
        }

        @Override
        public boolean handOver() {
          return pgid > 0 && remove(pgid, "~");
        }
      };
    }

    synchronized void add(long pgid) throws IOException {
      guarded.add(pgid);
      try {
        write("+" + pgid);
      } catch (IOException e) {
        // It died (someone killed it): a new one takes over every group still guarded.
        restart();
      }
    }

    /**
     * Stops guarding {@code pgid}: {@code -} forgets it, {@code ~} first stops what is left in it;
     * false when the watchdog is dead (a new one starts at the next registration).
     */
    synchronized boolean remove(long pgid, String how) {
      guarded.remove(pgid);
      try {
        write(how + pgid);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    private void write(String line) throws IOException {
      if (process == null || !process.isAlive()) {
        throw new IOException("not running");
      }
      OutputStream out = process.getOutputStream();
      out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    private void restart() throws IOException {
      if (process != null) {
        process.destroyForcibly();
      }
      ProcessBuilder pb =
          new ProcessBuilder(Watchdog.command(options, SHARED_WATCHDOG, "tollgate-watchdog"))
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      String path = System.getenv("PATH");
      if (path != null) {
        pb.environment().put("PATH", path);
      }
      process = Watchdog.awaitReady(pb.start());
      if (HOOKED.compareAndSet(false, true)) {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(ProcessSupervisor::endWatchdogs, "tollgate-watchdog-end"));
      }
      for (long group : guarded) {
        write("+" + group);
      }
    }

    /**
     * Ends the watchdog if it guards no step, by closing its input, and waits for it to exit, at
     * most a second: a child still running when the JVM exits keeps a thread waiting for it in
     * native code, which makes the JVM's exit wait about 0.3 s. One that guards a step is left to
     * the JVM's death: the JVM's other shutdown hooks (a worker's graceful stop) may still be
     * ending that step their own way. A step registered later starts a new watchdog.
     */
    synchronized void end() {
      if (process == null || !guarded.isEmpty()) {
        return;
      }
      Process ending = process;
      process = null;
      closeQuietly(ending.getOutputStream());
      try {
        ending.waitFor(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Ends the watchdogs the steps of this JVM share that guard no step (a shutdown hook calls this):
   * each exits before this returns. One that still guards a step is left as it is, to stop that
   * step when the JVM dies. A step started afterwards starts a new watchdog.
   */
  public static void endWatchdogs() {
    SharedWatchdog.ALL.values().forEach(SharedWatchdog::end);
  }

  private static void runCleanup(Cleanup cleanup, Map<String, String> environment) {
    if (cleanup.command().isEmpty()) {
      return;
    }
    ProcessBuilder pb =
        new ProcessBuilder(cleanup.command())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear();
    pb.environment().putAll(environment);
    try {
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // What it undoes may not exist yet, or its service is gone; nothing more can be done.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(OutputStream stdin) {
    try {
      stdin.close();
    } catch (IOException e) {
      // stdin is only closed so the process sees end of input; nothing to do if it fails.
    }
  }

  /**
   * The command that starts a program in a session of its own: {@code setsid --wait} from the PATH
   * (Linux), else Perl's {@code POSIX::setsid} (macOS ships Perl but no {@code setsid}); empty when
   * neither is there.
   */
  public static List<String> findSessionLauncher() {
    Optional<String> setsid = resolve("setsid");
    if (setsid.isPresent()) {
      return List.of(setsid.get(), "--wait");
    }
    return resolve("perl").map(ProcessSupervisor::perlSessionLauncher).orElse(List.of());
  }

  /** The session launcher that uses {@code perl}'s {@code POSIX::setsid}, then execs. */
  public static List<String> perlSessionLauncher(String perl) {
    return List.of(
        perl,
        "-MPOSIX",
        "-e",
        "POSIX::setsid() or die \"setsid: $!\\n\"; exec {$ARGV[0]} @ARGV or die \"cannot run"
            + " $ARGV[0]: $!\\n\"");
  }

  /**
   * The executable {@code program} names, looked up on the worker's PATH unless it has a '/'.
   *
   * <p>Every shell step looks its program up, so each PATH entry is checked with {@link
   * File#isFile} and {@link File#canExecute}, which answer a missing file with {@code false}:
   * {@link Files#isExecutable} answers it with two exceptions, stack traces included, inside the
   * JDK for each folder that lacks the program (sixteen per step on this project's test machine).
   */
  public static Optional<String> resolve(String program) {
    if (program.contains("/")) {
      return executable(new File(program)) ? Optional.of(program) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File candidate = new File(dir.isEmpty() ? "." : dir, program);
        if (executable(candidate)) {
          return Optional.of(candidate.getAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean executable(File file) {
    return file.isFile() && file.canExecute();
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

  /**
   * The threads that read the steps' output, kept between steps (a minute when idle): starting two
   * new threads for every step cost about 1 ms of it on a 2-core machine (docs/benchmarks.md,
   * "Steps: what the watchdog costs"). Daemon threads, so an idle or stuck one never holds the JVM
   * up.
   */
  private static final ExecutorService PUMPS =
      Executors.newCachedThreadPool(DaemonThreads.named("tollgate-step-output"));

  private static Future<?> pump(Process process, StepEvent.Stream stream, Emitter emitter) {
    LinePump pump =
        new LinePump(
            stream == StepEvent.Stream.STDOUT ? process.getInputStream() : process.getErrorStream(),
            stream,
            emitter);
    String name = "tollgate-step-" + process.pid() + "-" + stream.label();
    return PUMPS.submit(
        () -> {
          // Named for the step while it reads, as a thread of its own was, for thread dumps.
          Thread self = Thread.currentThread();
          String idle = self.getName();
          self.setName(name);
          try {
            pump.run();
          } finally {
            self.setName(idle);
          }
        });
  }

  private static void joinPumps(Future<?> out, Future<?> err, Duration patience)
      throws InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    for (Future<?> pump : List.of(out, err)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        pump.get(left, TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // A pump that failed has emitted what it read; one still reading is covered below.
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
    if (options.groups()) {
      signalGroup(process.pid(), "TERM", options.bash());
    }
    tree.forEach(ProcessHandle::destroy);
    awaitGone(tree, options.grace());
    if (options.groups()) {
      signalGroup(process.pid(), "KILL", options.bash());
    }
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
