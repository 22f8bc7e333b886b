package dev.tollgate.core.runs.exec;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.Durations;
import dev.tollgate.core.runs.exec.internal.DockerExecutor;
import dev.tollgate.core.runs.exec.internal.Emitter;
import dev.tollgate.core.runs.exec.internal.HttpExecutor;
import dev.tollgate.core.runs.exec.internal.Limits;
import dev.tollgate.core.runs.exec.internal.ProcessSupervisor;
import dev.tollgate.core.runs.exec.internal.ShellExecutor;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.DockerStep;
import dev.tollgate.core.runs.template.HttpStep;
import dev.tollgate.core.runs.template.ShellStep;
import dev.tollgate.core.runs.template.Step;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Executes one step of a run, the way a worker does: starts it, streams what it does as {@link
 * StepEvent}s, stops it when it runs out of time or is cancelled, and says how it ended.
 *
 * <p>A step's own problems (a non-zero exit code, an unexpected HTTP status, no Docker engine) are
 * {@link StepOutcome}s, never exceptions. Every run starts with a {@link StepEvent.Started} and
 * ends with a {@link StepEvent.Finished} event. Thread-safe: one runner can run many steps at once.
 *
 * <p>Shell and docker steps run in a process group of their own when {@code setsid} (Linux) or Perl
 * (macOS) is available, so stopping a step stops everything it started: SIGTERM, then SIGKILL after
 * a grace of {@link Builder#killGrace} (default 2s). Whatever a step leaves running when it ends
 * normally is stopped the same way, and so is everything it runs when the worker dies, even by
 * SIGKILL: a watchdog process outside the worker stops the step's group within the grace.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class StepRunner {
  private final Clock clock;
  // Built on the first http step: a java.net.http client (its selector thread, its TLS context and
  // trust store) costs a cold JVM a few hundred milliseconds, wasted on a deploy of shell steps.
  private volatile HttpClient httpClient;
  private final ProcessSupervisor.Options processes;
  private final Map<String, String> shellEnvironment;
  private final DockerExecutor.Options docker;

  private StepRunner(Builder b) {
    this.clock = b.clock;
    this.httpClient = b.httpClient;
    List<String> session =
        b.processGroups ? b.session.orElseGet(ProcessSupervisor::findSessionLauncher) : List.of();
    this.processes = new ProcessSupervisor.Options(b.bash, session, b.killGrace, b.directSessions);
    processes.prepare();
    this.shellEnvironment = b.shellEnvironment;
    this.docker = new DockerExecutor.Options(b.docker, b.dockerEnvironment, b.dockerCheckTimeout);
  }

  /**
   * A runner with every default: the system clock, bash and docker from the PATH, the worker's
   * environment.
   */
  public static StepRunner create() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether shell and docker steps get a process group of their own, so their whole tree can be
   * stopped.
   */
  public boolean usesProcessGroups() {
    return processes.groups();
  }

  /**
   * How shell and docker steps start, in words for an operator (a worker prints it under {@code
   * --verbose}): in a session of their own through the C library's {@code posix_spawn}, or through
   * the session launcher and why, or without a process group. May wait for the C library's binding
   * to load (about 0.2 s on a cold JVM).
   */
  public String describeStarts() {
    return processes.describe();
  }

  /**
   * Runs {@code step} for the run described by {@code ctx} and returns how it ended. The time it
   * has is the shorter of the step's timeout and the context's time limit.
   *
   * <p>If the calling thread is interrupted, the step is stopped and reported {@link
   * StepOutcome.Cancelled}, and the thread's interrupt flag is set again.
   *
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when the event sink threw (the first
   *     such exception is its cause); the step has ended by then
   */
  public StepOutcome run(Step step, StepContext ctx) {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(ctx, "ctx");
    Duration limit =
        ctx.timeLimit().filter(t -> t.compareTo(step.timeout()) < 0).orElse(step.timeout());
    Emitter emitter = new Emitter(step.name(), ctx.events(), ctx.secrets(), clock);
    if (step instanceof ShellStep) {
      // Recorded once the step's process is held at its gate, before it lets the step run: the
      // record comes first all the same, and the process starts while it is written.
      emitter.startedLater(step.kind(), describe(step, limit), limit);
    } else {
      emitter.started(step.kind(), describe(step, limit), limit);
    }
    Limits limits = Limits.start(limit, ctx.cancellation());
    StepOutcome outcome;
    boolean interrupted = false;
    try {
      Limits.Stop early = limits.check();
      if (early != Limits.Stop.NONE) {
        outcome = limits.outcome(early);
      } else if (step instanceof ShellStep s) {
        outcome = ShellExecutor.run(s, ctx, emitter, limits, processes, shellEnvironment);
      } else if (step instanceof HttpStep h) {
        outcome = HttpExecutor.run(h, ctx, emitter, limits, httpClient());
      } else {
        outcome = DockerExecutor.run((DockerStep) step, ctx, emitter, limits, processes, docker);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      outcome = new StepOutcome.Cancelled("the worker thread was interrupted", limits.elapsed());
    }
    StepOutcome masked = emitter.finish(outcome);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Optional<RuntimeException> sinkFailure = emitter.failure();
    if (sinkFailure.isPresent()) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "the events of step "
              + step.name()
              + " could not be recorded: "
              + sinkFailure.get().getMessage(),
          sinkFailure.get());
    }
    return masked;
  }

  private static String describe(Step step, Duration limit) {
    String tail = " (timeout " + Durations.format(limit) + ")";
    if (step instanceof HttpStep h) {
      return "http step " + step.name() + ": " + h.method() + " " + h.url() + tail;
    }
    if (step instanceof DockerStep d) {
      return "docker step " + step.name() + ": " + d.image() + tail;
    }
    return "shell step " + step.name() + tail;
  }

  /** A builder of {@link StepRunner}s whose setters check their input. */
  private HttpClient httpClient() {
    HttpClient c = httpClient;
    if (c == null) {
      synchronized (this) {
        c = httpClient;
        if (c == null) {
          c = HttpExecutor.defaultClient();
          httpClient = c;
        }
      }
    }
    return c;
  }

  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private HttpClient httpClient;
    private String bash = "bash";
    private String docker = "docker";
    private boolean processGroups = true;
    private Optional<List<String>> session = Optional.empty();
    private boolean directSessions = true;
    private Duration killGrace = Duration.ofSeconds(2);
    private Duration dockerCheckTimeout = Duration.ofSeconds(5);
    private Map<String, String> shellEnvironment = System.getenv();
    private Map<String, String> dockerEnvironment = System.getenv();

    private Builder() {}

    /** Sets the clock that stamps events. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Sets the HTTP client of http steps; the default follows no redirects. */
    public Builder httpClient(HttpClient value) {
      this.httpClient = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /** Sets the bash executable; default {@code bash} from the PATH. */
    public Builder bash(String value) {
      this.bash = nonBlank(value, "bash");
      return this;
    }

    /** Sets the docker executable; default {@code docker} from the PATH. */
    public Builder docker(String value) {
      this.docker = nonBlank(value, "docker");
      return this;
    }

    /**
     * Sets whether shell and docker steps get a process group of their own (through {@code setsid}
     * or Perl, found on the PATH), and with it a watchdog that stops them when the worker dies;
     * default true. Without one, only processes still descending from the step are stopped, and
     * only while the worker lives.
     */
    public Builder processGroups(boolean value) {
      this.processGroups = value;
      return this;
    }

    /** Sets the {@code setsid} executable instead of looking for it on the PATH. */
    public Builder setsid(String value) {
      this.session = Optional.of(List.of(nonBlank(value, "setsid"), "--wait"));
      return this;
    }

    /**
     * Starts sessions with Perl's {@code POSIX::setsid} through the {@code perl} executable, as on
     * macOS, where there is no {@code setsid} command; by default Perl is used only without {@code
     * setsid} on the PATH.
     */
    public Builder perlSessions(String perl) {
      this.session = Optional.of(ProcessSupervisor.perlSessionLauncher(nonBlank(perl, "perl")));
      return this;
    }

    /**
     * Sets whether a shell step's session is started straight through the C library's {@code
     * posix_spawn} where it can (Linux with glibc 2.34 or newer, and JNA on the class path: the
     * runner jar has it, a service adds {@code net.java.dev.jna:jna}); default true. That is one
     * program image per step where the JDK's own start and the session launcher add two (about 6 ms
     * per step on a 2-core machine). Where it cannot, or with false, {@code setsid} or Perl starts
     * the session. The step's guard is the same either way.
     */
    public Builder directSessions(boolean value) {
      this.directSessions = value;
      return this;
    }

    /** Sets how long a stopped step's processes have between SIGTERM and SIGKILL; default 2s. */
    public Builder killGrace(Duration value) {
      Objects.requireNonNull(value, "killGrace");
      if (value.isNegative()) {
        throw new IllegalArgumentException("killGrace must not be negative but was " + value);
      }
      this.killGrace = value;
      return this;
    }

    /** Sets how long {@code docker version} may take to show an engine answers; default 5s. */
    public Builder dockerCheckTimeout(Duration value) {
      Objects.requireNonNull(value, "dockerCheckTimeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "dockerCheckTimeout must be longer than 0 but was " + value);
      }
      this.dockerCheckTimeout = value;
      return this;
    }

    /**
     * Sets the environment shell steps start from (default: the worker's own); variables whose
     * names start with {@code TOLLGATE_} are left out, the step's and Tollgate's are added.
     */
    public Builder shellEnvironment(Map<String, String> value) {
      this.shellEnvironment = Map.copyOf(Objects.requireNonNull(value, "shellEnvironment"));
      return this;
    }

    /**
     * Sets the environment of the {@code docker} command (default: the worker's own), e.g. to
     * choose an engine with {@code DOCKER_HOST}; {@code TOLLGATE_} variables are left out.
     */
    public Builder dockerEnvironment(Map<String, String> value) {
      this.dockerEnvironment = Map.copyOf(Objects.requireNonNull(value, "dockerEnvironment"));
      return this;
    }

    /** The runner. */
    public StepRunner build() {
      return new StepRunner(this);
    }

    private static String nonBlank(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }
}
