package dev.tollgate.core.deploy.engine;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.Check;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.DeployWindows;
import dev.tollgate.core.deploy.HttpCheck;
import dev.tollgate.core.deploy.ShellCheck;
import dev.tollgate.core.deploy.WindowDecision;
import dev.tollgate.core.deploy.WindowSpec;
import dev.tollgate.core.deploy.engine.internal.CheckRunner;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockAttempt;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.NewRelease;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.runs.exec.StepRunner;
import dev.tollgate.core.runs.step.CancellationSignal;
import dev.tollgate.core.runs.step.Secrets;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.util.Sha256;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Runs a governed deploy of one environment: gates, lock, backup, pre-deploy smoke checks, deploy,
 * post-deploy smoke checks (with the zero-downtime probe), and the release record; an automatic
 * rollback when a check after the deploy fails.
 *
 * <p>Order and guarantees:
 *
 * <ol>
 *   <li>Gates, all evaluated and reported: the lock is free, the window is open (or the deploy is a
 *       declared emergency), the change is approved, a backup step exists when a rollback does. Any
 *       blocked gate stops here with its recovery guidance; nothing changed.
 *   <li>The lock is taken atomically (or waited for up to {@code --wait}); an emergency waits for
 *       it like anyone. The lock is renewed every third of its staleness bound; every later write
 *       presents its fencing token.
 *   <li>Backup (its last line of output is the backup reference; none means the deploy does not
 *       start), pre-deploy smoke, deploy, post-deploy smoke. A failed check after the deploy starts
 *       the rollback, then the smoke checks again; the release becomes {@code rolled_back} and the
 *       environment stays held until someone unlocks it. A failed rollback becomes {@code
 *       failed_rollback}, keeps the hold and says what to do.
 *   <li>Cancel (or SIGTERM, or a window closing under {@code abort_and_rollback}) stops the current
 *       step and rolls back; it never interrupts a rollback in progress.
 * </ol>
 *
 * Every step's output goes into the release's log: the events of a run in the queue.
 *
 * <p>Secrets the engine knows are masked ({@value Secrets#MASK}) in everything it says, logs and
 * records: the values of the variables named like secrets ({@link Secrets#isSecretName}) in the
 * environment its steps start from and in the spec's {@code env:} blocks, and whatever the caller
 * adds with {@link #withSecrets} (the database password, a GitHub token). See {@link #secrets}.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DeployEngine {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DeploySpec spec;
  private final DeployStore store;
  private final RunQueue queue;
  private final Clock clock;
  private final Path projectRoot;
  private final Function<DeployRequest, GateResult> changeGate;
  private final Optional<GateResult> backupGate;
  private final Consumer<String> say;
  private StepRunner steps;
  private Map<String, String> environment = System.getenv();
  private Secrets known = Secrets.none();
  private volatile Secrets secrets;
  private final CancellationSignal cancel = CancellationSignal.create();
  private final java.util.Map<String, String> extraParams = new java.util.LinkedHashMap<>();
  private List<String> approvers = List.of();
  private final AtomicBoolean rollingBack = new AtomicBoolean();

  private DeployEngine(Builder b) {
    this.spec = b.spec;
    this.store = b.store;
    this.queue = b.queue;
    this.clock = b.clock;
    this.projectRoot = b.projectRoot;
    this.changeGate = b.changeGate;
    this.backupGate = Optional.ofNullable(b.backupGate);
    Consumer<String> out = b.say;
    this.say = line -> out.accept(mask(line));
    this.steps = StepRunner.create();
    this.secrets = collectSecrets();
  }

  /** Returns a builder of the engine that deploys {@code spec}'s environment. */
  public static Builder builder(DeploySpec spec) {
    return new Builder(spec);
  }

  /**
   * A builder of {@link DeployEngine}: the store, the queue that keeps release logs and the project
   * root are required; every setter checks its input.
   */
  public static final class Builder {
    private final DeploySpec spec;
    private DeployStore store;
    private RunQueue queue;
    private Path projectRoot;
    private Clock clock = Clock.systemUTC();
    private Function<DeployRequest, GateResult> changeGate;
    private GateResult backupGate;
    private Consumer<String> say = line -> {};

    private Builder(DeploySpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
      this.changeGate = r -> ChangeCheck.evaluate(Optional.empty(), spec, r.commitSha(), r.actor());
    }

    /** Sets where locks, releases and the audit trail are kept. */
    public Builder store(DeployStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** Sets the run queue whose runs' events are the releases' logs. */
    public Builder queue(RunQueue value) {
      this.queue = Objects.requireNonNull(value, "queue");
      return this;
    }

    /** Sets the project's checkout: where steps run and release artifacts are found. */
    public Builder projectRoot(Path value) {
      this.projectRoot = Objects.requireNonNull(value, "projectRoot");
      return this;
    }

    /** Sets the clock that windows are judged by (default: the system clock in UTC). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets how the change-request gate is evaluated for a request (default: the spec's policy for a
     * deploy without a change request, which passes unless {@code change.required} is true).
     */
    public Builder changeGate(Function<DeployRequest, GateResult> value) {
      this.changeGate = Objects.requireNonNull(value, "changeGate");
      return this;
    }

    /**
     * Sets the result of the backup gate (default: it passes when the spec declares a backup step
     * or no rollback step, and blocks otherwise). A rollback sets it: its spec is the rollback
     * step, which restores a release's backup instead of taking one.
     */
    public Builder backupGate(GateResult value) {
      this.backupGate = Objects.requireNonNull(value, "backupGate");
      return this;
    }

    /** Sets who receives one line per thing the operator should see (default: nobody). */
    public Builder say(Consumer<String> value) {
      this.say = Objects.requireNonNull(value, "say");
      return this;
    }

    /**
     * Returns the engine.
     *
     * @throws IllegalStateException naming the first required value not set
     */
    public DeployEngine build() {
      if (store == null) {
        throw new IllegalStateException("a deploy engine needs a store");
      }
      if (queue == null) {
        throw new IllegalStateException("a deploy engine needs a run queue for release logs");
      }
      if (projectRoot == null) {
        throw new IllegalStateException("a deploy engine needs the project root");
      }
      return new DeployEngine(this);
    }
  }

  /**
   * Sets the environment every step starts from (default: this process's own; variables whose names
   * start with {@code TOLLGATE_} are left out). The values of its variables named like secrets are
   * masked.
   */
  public DeployEngine withEnvironment(Map<String, String> variables) {
    this.environment = Map.copyOf(variables);
    this.steps =
        StepRunner.builder().shellEnvironment(environment).dockerEnvironment(environment).build();
    this.secrets = collectSecrets();
    return this;
  }

  /** Adds secrets to mask that the engine cannot see for itself: a database password, a token. */
  public DeployEngine withSecrets(Secrets more) {
    this.known = known.and(Objects.requireNonNull(more, "more"));
    this.secrets = collectSecrets();
    return this;
  }

  /**
   * Everything this engine masks: what {@link #withSecrets} added, and the values of variables
   * named like secrets in the steps' environment and in every check's {@code env:}. A front end
   * masks what it renders from a {@link DeployResult} with it too (a job summary, say).
   */
  public Secrets secrets() {
    return secrets;
  }

  private Secrets collectSecrets() {
    Secrets all = known.and(Secrets.namedLikeSecrets(environment));
    List<Check> checks = new ArrayList<>();
    spec.backup().ifPresent(checks::add);
    checks.addAll(spec.smokePre());
    checks.add(spec.deploy());
    checks.addAll(spec.smokePost());
    spec.rollback().ifPresent(checks::add);
    for (Check check : checks) {
      if (check instanceof ShellCheck shell) {
        all = all.and(Secrets.namedLikeSecrets(shell.env()));
      }
    }
    return all;
  }

  private String mask(String text) {
    return secrets.mask(text);
  }

  /**
   * Adds a parameter every step sees as {@code TOLLGATE_PARAM_<NAME>} (a rollback passes the target
   * release's backup reference this way).
   */
  public DeployEngine withParam(String name, String value) {
    extraParams.put(name, value);
    return this;
  }

  /** Records who approved the change, on the release. */
  public DeployEngine withApprovers(List<String> names) {
    this.approvers = List.copyOf(names);
    return this;
  }

  /**
   * Asks a running deploy to stop: the current step is stopped and the rollback runs. A rollback in
   * progress is never interrupted.
   */
  public void cancel(String reason) {
    if (!rollingBack.get()) {
      cancel.cancel(reason);
    }
  }

  /** The gates of a deploy, evaluated now, in order. */
  public List<GateResult> gates(DeployRequest request) {
    List<GateResult> gates = new ArrayList<>();
    gates.add(lockGate(request));
    gates.add(windowGate(request));
    gates.add(changeGate.apply(request));
    gates.add(backupGate());
    return gates;
  }

  /** The steps a deploy runs, with the exact commands. */
  public List<String> plan() {
    List<String> plan = new ArrayList<>();
    plan.add(
        "lock "
            + spec.environment()
            + " (lease "
            + spec.lock().lease()
            + ", stale after "
            + spec.lock().staleAfter()
            + ")");
    spec.backup()
        .ifPresent(
            b ->
                plan.add(
                    "backup: "
                        + CheckRunner.describe(b)
                        + " (last output line = backup reference)"));
    spec.smokePre()
        .forEach(c -> plan.add("pre-deploy smoke " + c.name() + ": " + CheckRunner.describe(c)));
    plan.add("deploy: " + CheckRunner.describe(spec.deploy()));
    spec.zeroDowntime()
        .ifPresent(
            z ->
                plan.add(
                    "during the deploy, poll "
                        + z.url()
                        + " every "
                        + z.interval()
                        + "; any failure fails the deploy"));
    spec.smokePost()
        .forEach(c -> plan.add("post-deploy smoke " + c.name() + ": " + CheckRunner.describe(c)));
    plan.add(
        "record the release"
            + (spec.record().globs().isEmpty()
                ? ""
                : " with the SHA-256 of " + spec.record().globs())
            + ", unlock");
    spec.rollback()
        .ifPresent(
            r ->
                plan.add(
                    "on a failed check after the deploy: rollback: "
                        + CheckRunner.describe(r)
                        + ", smoke again, keep the environment held"));
    return plan;
  }

  /** Runs the deploy (or, for a dry run, evaluates the gates and returns the plan). */
  public DeployResult deploy(DeployRequest request) {
    List<String> plan = plan();
    Optional<Release> current =
        store.releases(spec.environment(), 1).stream()
            .findFirst()
            .filter(
                r -> r.status().equals("deployed") && r.commitSha().equals(request.commitSha()));
    if (current.isPresent() && !request.dryRun()) {
      // Re-running a finished deploy is a no-op: the commit is already what runs there.
      return new DeployResult(
          DeployResult.Outcome.DEPLOYED,
          List.of(),
          plan,
          current,
          request.version()
              + " ("
              + request.commitSha()
              + ") is already deployed to "
              + spec.environment()
              + " as release "
              + current.get().id()
              + "; nothing to do");
    }
    List<GateResult> gates = gates(request);
    List<GateResult> blocked = gates.stream().filter(g -> !(g instanceof GateResult.Pass)).toList();
    boolean onlyLockBlocks =
        blocked.size() == 1
            && blocked.get(0).gate().equals("deploy-lock")
            && !request.waitForLock().isZero();
    if (!blocked.isEmpty() && !onlyLockBlocks) {
      return new DeployResult(
          DeployResult.Outcome.BLOCKED,
          gates,
          plan,
          Optional.empty(),
          "blocked: " + reasons(blocked));
    }
    if (request.dryRun()) {
      return new DeployResult(
          DeployResult.Outcome.WOULD_PROCEED,
          gates,
          plan,
          Optional.empty(),
          "every gate passes; the deploy would proceed");
    }
    String holder =
        "deploy of "
            + request.version()
            + " by "
            + request.actor()
            + " ("
            + UUID.randomUUID().toString().substring(0, 8)
            + ")";
    Optional<Long> token = lock(request, holder);
    if (token.isEmpty()) {
      List<GateResult> now = new ArrayList<>(gates);
      now.set(0, lockGate(request));
      return new DeployResult(
          DeployResult.Outcome.BLOCKED,
          now,
          plan,
          Optional.empty(),
          "blocked: " + reasons(List.of(now.get(0))));
    }
    if (onlyLockBlocks) {
      // We waited: the window or the change may have moved on meanwhile. Check them again.
      List<GateResult> now = gates(request);
      now.set(0, new GateResult.Pass("deploy-lock", "acquired after waiting"));
      List<GateResult> still = now.stream().filter(g -> !(g instanceof GateResult.Pass)).toList();
      if (!still.isEmpty()) {
        store.releaseLock(spec.environment(), token.get(), request.actor());
        return new DeployResult(
            DeployResult.Outcome.BLOCKED,
            now,
            plan,
            Optional.empty(),
            "blocked: " + reasons(still));
      }
      gates = now;
    }
    return run(request, gates, plan, token.get(), holder);
  }

  /**
   * A deploy under way, from the moment its release is recorded: what every later step needs.
   *
   * @param request what was asked for
   * @param gates the gates it passed
   * @param plan its steps
   * @param token the lock's fencing token
   * @param release the release record it started
   * @param log the lease of the run whose events are the release's log
   */
  private record Attempt(
      DeployRequest request,
      List<GateResult> gates,
      List<String> plan,
      long token,
      Release release,
      Lease log) {}

  /** What happens to the environment's lock when a deploy ends. */
  private enum LockAfter {
    /** Unlocked: the next deploy may start. */
    RELEASE,
    /** Held until someone checks the environment and unlocks it. */
    HOLD
  }

  /**
   * How a deploy ends.
   *
   * @param outcome the outcome reported
   * @param status the release's final status
   * @param message what happened and what to do next (masked when it is written)
   * @param lock what happens to the lock
   */
  private record Ending(
      DeployResult.Outcome outcome, String status, String message, LockAfter lock) {}

  private DeployResult run(
      DeployRequest request, List<GateResult> gates, List<String> plan, long token, String holder) {
    String env = spec.environment();
    Lease log = openLog(request, holder);
    WindowDecision window =
        DeployWindows.of(spec.windows()).evaluate(clock.instant(), Duration.ZERO);
    boolean windowsApply = windowsApply(request);
    Release release =
        store
            .startRelease(
                NewRelease.builder(
                        env, request.version(), request.commitSha(), request.actor(), token)
                    .ref(request.ref().orElse(null))
                    .approvers(approvers)
                    .changeId(request.changeId().map(String::valueOf).orElse(null))
                    .windowDecision(windowsApply ? describe(window) : "bypassed: emergency")
                    .overrideReason(request.reason().filter(r -> request.emergency()).orElse(null))
                    .runId(log.runId())
                    .build())
            .orElseThrow(
                () -> new IllegalStateException("the lock was lost before the release started"));
    Attempt attempt = new Attempt(request, gates, plan, token, release, log);
    if (request.emergency()) {
      store.audit(
          env,
          request.actor(),
          "emergency",
          request.reason().orElse(""),
          JSON.createObjectNode().put("release", release.id()));
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tollgate-deploy-" + env);
              t.setDaemon(true);
              return t;
            });
    AtomicBoolean lockLost = new AtomicBoolean();
    long renewEvery = Math.max(200, spec.lock().staleAfter().toMillis() / 3);
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            if (!store.renewLock(env, token)) {
              lockLost.set(true);
              cancel.cancel("the lock was taken over");
            }
            queue.heartbeat(log);
          } catch (RuntimeException e) {
            // The next renewal retries; a lock that really goes stale is taken over and fenced.
          }
        },
        renewEvery,
        renewEvery,
        TimeUnit.MILLISECONDS);
    if (windowsApply && spec.windows().onClose() == WindowSpec.OnClose.ABORT_AND_ROLLBACK) {
      DeployWindows.of(spec.windows())
          .closesAfter(clock.instant())
          .ifPresent(
              closes -> {
                long delay = Math.max(0, Duration.between(clock.instant(), closes).toMillis());
                timer.schedule(
                    () -> cancel("the deploy window closed at " + closes),
                    delay,
                    TimeUnit.MILLISECONDS);
              });
    }
    // Steps run in the project's checkout, like the workflow step that calls Tollgate.
    Path work = projectRoot;
    ObjectNode params = JSON.createObjectNode();
    params
        .put("environment", env)
        .put("version", request.version())
        .put("commit", request.commitSha())
        .put("actor", request.actor())
        .put("release_id", release.id());
    request.ref().ifPresent(r -> params.put("ref", r));
    extraParams.forEach(params::put);
    try {
      CheckRunner checks =
          new CheckRunner(steps, clock, work, params, log.runId(), secrets, e -> logEvent(log, e));
      return steps(attempt, params, checks, lockLost);
    } finally {
      timer.shutdownNow();
    }
  }

  private DeployResult steps(
      Attempt attempt, ObjectNode params, CheckRunner checks, AtomicBoolean lockLost) {
    String env = spec.environment();
    Release release = attempt.release();
    // Backup.
    if (spec.backup().isPresent()) {
      say.accept("backup: " + spec.backup().get().name());
      CheckRunner.Result backup = checks.run(spec.backup().get(), cancel);
      if (!backup.ok() || backup.lastLine().isEmpty()) {
        String why =
            backup.ok()
                ? "the backup printed no reference (its last output line)"
                : backup.message();
        return end(
            attempt,
            new Ending(
                DeployResult.Outcome.FAILED,
                "failed",
                "backup failed before the deploy started: " + why + "; nothing was deployed",
                LockAfter.RELEASE));
      }
      store.recordBackup(release.id(), env, attempt.token(), backup.lastLine().get());
      params.put("backup_ref", backup.lastLine().get());
      say.accept("backup reference: " + backup.lastLine().get());
    }
    for (Check check : spec.smokePre()) {
      say.accept("pre-deploy smoke: " + check.name());
      CheckRunner.Result r = checks.run(check, cancel);
      if (!r.ok()) {
        return end(
            attempt,
            new Ending(
                cancel.isCancelled() ? DeployResult.Outcome.CANCELLED : DeployResult.Outcome.FAILED,
                cancel.isCancelled() ? "cancelled" : "failed",
                "pre-deploy smoke check failed, nothing was deployed: " + r.message(),
                LockAfter.RELEASE));
      }
    }
    // Deploy, with the zero-downtime probe alongside.
    say.accept("deploy: " + spec.deploy().name());
    AtomicInteger downtime = new AtomicInteger();
    AtomicBoolean deploying = new AtomicBoolean(true);
    Thread prober = null;
    if (spec.zeroDowntime().isPresent()) {
      HttpCheck z = spec.zeroDowntime().get();
      prober =
          new Thread(
              () -> {
                while (deploying.get()) {
                  CheckRunner.Result r =
                      checks.run(
                          new HttpCheck(
                              z.name(),
                              z.url(),
                              z.method(),
                              z.expectStatus(),
                              z.json(),
                              0,
                              z.interval(),
                              z.timeout(),
                              1,
                              Optional.empty()),
                          CancellationSignal.create());
                  if (!r.ok()) {
                    downtime.incrementAndGet();
                    emit(
                        attempt.log(),
                        new NewEvent("zero_downtime_failure", null, r.message(), null));
                  }
                  try {
                    Thread.sleep(Math.max(100, z.interval().toMillis()));
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "tollgate-zero-downtime");
      prober.setDaemon(true);
      prober.start();
    }
    CheckRunner.Result deployed = checks.run(spec.deploy(), cancel);
    deploying.set(false);
    if (prober != null) {
      prober.interrupt();
    }
    String failure = null;
    if (lockLost.get()) {
      return new DeployResult(
          DeployResult.Outcome.FAILED,
          attempt.gates(),
          attempt.plan(),
          store.release(release.id()),
          "the lock of "
              + env
              + " was taken over during the deploy; this deploy stopped and writes nothing more."
              + " Check the environment and `tollgate releases "
              + env
              + "`.");
    }
    if (!deployed.ok()) {
      failure = "deploy failed: " + deployed.message();
    } else if (downtime.get() > 0) {
      failure = "zero-downtime check failed " + downtime.get() + " time(s) during the deploy";
    } else {
      for (Check check : spec.smokePost()) {
        say.accept("post-deploy smoke: " + check.name());
        CheckRunner.Result r = checks.run(check, cancel);
        if (!r.ok()) {
          failure = "post-deploy smoke check failed: " + r.message();
          break;
        }
      }
    }
    if (failure == null) {
      recordArtifacts(release, attempt.token());
      return end(
          attempt,
          new Ending(
              DeployResult.Outcome.DEPLOYED,
              "deployed",
              "deployed " + attempt.request().version() + " to " + env,
              LockAfter.RELEASE));
    }
    if (lockLost.get()) {
      // Someone else holds the environment now: rolling back would fight them. Stop here.
      return new DeployResult(
          DeployResult.Outcome.FAILED,
          attempt.gates(),
          attempt.plan(),
          store.release(release.id()),
          mask(failure)
              + "; the lock of "
              + env
              + " was taken over meanwhile, so this deploy did not roll"
              + " back. Check the environment and `tollgate releases "
              + env
              + "`.");
    }
    say.accept(failure + "; rolling back");
    return rollBack(attempt, checks, failure);
  }

  private DeployResult rollBack(Attempt attempt, CheckRunner checks, String failure) {
    String env = spec.environment();
    Release release = attempt.release();
    boolean cancelled = cancel.isCancelled();
    rollingBack.set(true);
    if (spec.rollback().isEmpty()) {
      // Read again: the release in hand predates the backup's reference.
      String backupRef = store.release(release.id()).map(Release::backupRef).orElse(null);
      return end(
          attempt,
          new Ending(
              DeployResult.Outcome.FAILED_ROLLBACK,
              "failed_rollback",
              failure
                  + "; no rollback step is declared. "
                  + env
                  + " stays locked: restore it by hand"
                  + (backupRef == null ? "" : " from backup " + backupRef)
                  + ", then `tollgate unlock "
                  + env
                  + "`",
              LockAfter.HOLD));
    }
    CancellationSignal never = CancellationSignal.create();
    CheckRunner.Result rb = checks.run(spec.rollback().get(), never);
    String smoke = null;
    if (rb.ok()) {
      for (Check check : spec.smokePost()) {
        CheckRunner.Result r = checks.run(check, never);
        if (!r.ok()) {
          smoke = r.message();
          break;
        }
      }
    }
    if (!rb.ok() || smoke != null) {
      String backup = store.release(release.id()).map(Release::backupRef).orElse(null);
      return end(
          attempt,
          new Ending(
              DeployResult.Outcome.FAILED_ROLLBACK,
              "failed_rollback",
              "ROLLBACK FAILED ("
                  + (rb.ok() ? "smoke after rollback: " + smoke : rb.message())
                  + ") after: "
                  + failure
                  + ". "
                  + env
                  + " stays LOCKED. Next: restore from backup "
                  + (backup == null ? "(none recorded)" : backup)
                  + " by hand, verify, then `tollgate unlock "
                  + env
                  + "`.",
              LockAfter.HOLD));
    }
    return end(
        attempt,
        new Ending(
            cancelled ? DeployResult.Outcome.CANCELLED : DeployResult.Outcome.ROLLED_BACK,
            "rolled_back",
            (cancelled ? "stopped (" + cancel.reason().orElse("cancelled") + ")" : failure)
                + "; rolled back and the smoke checks pass."
                + " "
                + env
                + " stays locked until someone checks the cause and runs `tollgate unlock "
                + env
                + "`.",
            LockAfter.HOLD));
  }

  private DeployResult end(Attempt attempt, Ending ending) {
    String env = spec.environment();
    Release release = attempt.release();
    String message = mask(ending.message());
    store.finishRelease(release.id(), env, attempt.token(), ending.status(), message);
    emit(attempt.log(), new NewEvent("release_" + ending.status(), null, message, null));
    queue.complete(
        new Completion(
            attempt.log(),
            switch (ending.outcome()) {
              case DEPLOYED -> RunStatus.SUCCESS;
              case CANCELLED -> RunStatus.CANCELLED;
              default -> RunStatus.ERROR;
            },
            message));
    switch (ending.lock()) {
      case HOLD -> store.holdLock(env, attempt.token(), message);
      case RELEASE -> store.releaseLock(env, attempt.token(), release.actor());
    }
    say.accept(message);
    return new DeployResult(
        ending.outcome(), attempt.gates(), attempt.plan(), store.release(release.id()), message);
  }

  private Optional<Long> lock(DeployRequest request, String holder) {
    Instant deadline = clock.instant().plus(request.waitForLock());
    while (true) {
      LockAttempt attempt =
          store.acquireLock(
              spec.environment(),
              "deploy",
              holder,
              request.actor(),
              request.emergency()
                  ? "EMERGENCY: " + request.reason().orElse("")
                  : "deploy " + request.version(),
              spec.lock().lease(),
              spec.lock().staleAfter());
      if (attempt instanceof LockAttempt.Acquired a) {
        a.takenOverFrom().ifPresent(old -> say.accept("took over the stale lock of " + old));
        return Optional.of(a.fencingToken());
      }
      if (!clock.instant().isBefore(deadline)) {
        return Optional.empty();
      }
      say.accept("waiting for the lock: " + ((LockAttempt.Held) attempt).holder().reason());
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  private Lease openLog(DeployRequest request, String holder) {
    String lane = "deploy." + spec.environment();
    Run run =
        queue
            .enqueue(
                NewRun.builder("deploy")
                    .lane(lane)
                    .maxAttempts(1)
                    .params(
                        JSON.createObjectNode()
                            .put("environment", spec.environment())
                            .put("version", request.version())
                            .put("commit", request.commitSha())
                            .put("actor", request.actor()))
                    .build())
            .run();
    String worker = "deploy-" + UUID.randomUUID();
    for (Run claimed : queue.claim(worker, List.of(lane), 10)) {
      if (claimed.id() != run.id()) {
        // A log left queued by a deploy that died between enqueue and claim: close it.
        queue.complete(new Completion(claimed.lease(), RunStatus.ERROR, "orphaned deploy log"));
      }
    }
    return new Lease(run.id(), 1, worker);
  }

  private void logEvent(Lease log, StepEvent e) {
    emit(log, e.toNewEvent());
    if (e instanceof StepEvent.Output o) {
      say.accept("  " + o.step() + " | " + o.line());
    }
  }

  private void emit(Lease log, NewEvent event) {
    try {
      queue.appendEvents(log, List.of(masked(event)));
    } catch (RuntimeException ex) {
      // The log is best effort; the release record is authoritative.
    }
  }

  /** {@code event} with every text in it masked: its message and the strings of its data. */
  private NewEvent masked(NewEvent event) {
    if (secrets.isEmpty()) {
      return event;
    }
    JsonNode data = event.data() == null ? null : maskJson(event.data().deepCopy());
    return new NewEvent(event.kind(), event.stream(), mask(event.message()), data);
  }

  private JsonNode maskJson(JsonNode node) {
    if (node.isTextual()) {
      return JSON.getNodeFactory().textNode(mask(node.textValue()));
    }
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        o.set(name, maskJson(o.get(name)));
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, maskJson(a.get(i)));
      }
    }
    return node;
  }

  private void recordArtifacts(Release release, long token) {
    List<String> globs = spec.record().globs();
    if (globs.isEmpty()) {
      return;
    }
    List<Release.ReleaseArtifact> artifacts = new ArrayList<>();
    List<PathMatcher> matchers =
        globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    try (Stream<Path> files = Files.walk(projectRoot)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        Path rel = projectRoot.relativize(p);
        if (matchers.stream().anyMatch(m -> m.matches(rel))) {
          byte[] bytes = Files.readAllBytes(p);
          artifacts.add(
              new Release.ReleaseArtifact(
                  rel.toString().replace('\\', '/'), Sha256.hex(bytes), bytes.length));
        }
      }
    } catch (IOException e) {
      say.accept("could not record artifacts: " + e.getMessage());
    }
    store.recordArtifacts(release.id(), spec.environment(), token, artifacts);
  }

  private GateResult lockGate(DeployRequest request) {
    Optional<LockHolder> held = store.lock(spec.environment());
    if (held.isEmpty()) {
      return new GateResult.Pass("deploy-lock", spec.environment() + " is not locked");
    }
    LockHolder h = held.get();
    if (h.stale()) {
      return new GateResult.Pass(
          "deploy-lock",
          spec.environment()
              + " is locked by "
              + h.holder()
              + ", whose heartbeat stopped at "
              + h.heartbeatAt()
              + " (older than stale_after): this deploy takes the lock over");
    }
    String who = h.holder() + " (" + h.author() + ") since " + h.acquiredAt() + ": " + h.reason();
    return new GateResult.Blocked(
        "deploy-lock",
        spec.environment() + " is locked by " + who,
        Recovery.of(
            (h.isHold() ? "the environment is held" : "another deploy is running") + ": " + who,
            "one deploy at a time per environment; emergencies wait for the lock too",
            h.isHold()
                ? "find out why it is held, then `tollgate unlock " + spec.environment() + "`"
                : "wait for it to finish, or pass --wait 10m to queue behind it",
            "yes: nothing changed"));
  }

  private boolean windowsApply(DeployRequest request) {
    return !request.emergency()
        || spec.change().policy(dev.tollgate.core.deploy.ChangeType.EMERGENCY).windowsApply();
  }

  private GateResult windowGate(DeployRequest request) {
    if (!windowsApply(request)) {
      return new GateResult.Pass(
          "deploy-window", "emergency: windows do not apply (" + request.reason().orElse("") + ")");
    }
    WindowDecision d =
        DeployWindows.of(spec.windows()).evaluate(clock.instant(), spec.windows().runway());
    if (d instanceof WindowDecision.Open) {
      return new GateResult.Pass("deploy-window", describe(d));
    }
    String next =
        d instanceof WindowDecision.Closed c
            ? c.nextOpen().map(t -> "wait until " + t).orElse("no window opens again")
            : "wait for the next window";
    return new GateResult.Blocked(
        "deploy-window",
        describe(d),
        Recovery.of(
            describe(d),
            "deploy windows of "
                + spec.environment()
                + " ("
                + spec.windows().timezone()
                + "); deny beats allow",
            next
                + ", or deploy as an emergency: --emergency --reason '…' with an emergency change request",
            "yes: nothing changed"));
  }

  private GateResult backupGate() {
    if (backupGate.isPresent()) {
      return backupGate.get();
    }
    if (spec.rollback().isPresent() && spec.backup().isEmpty()) {
      return new GateResult.Blocked(
          "deploy-backup",
          "a rollback is declared but no backup step produces a backup reference",
          Recovery.of(
              "no backup step in .tollgate/deploy/" + spec.environment() + ".yml",
              "every release records the backup it can be restored from",
              "add a `backup:` step whose last output line is the backup reference",
              "yes: nothing changed"));
    }
    return new GateResult.Pass(
        "deploy-backup",
        spec.backup().isPresent()
            ? "backup step declared"
            : "no rollback declared; no backup needed");
  }

  private static String describe(WindowDecision d) {
    if (d instanceof WindowDecision.Open o) {
      return o.reason() + o.closesAt().map(t -> " (closes " + t + ")").orElse("");
    }
    if (d instanceof WindowDecision.Closed c) {
      return c.reason() + c.nextOpen().map(t -> "; next opens " + t).orElse("");
    }
    WindowDecision.NoRunway n = (WindowDecision.NoRunway) d;
    return n.reason();
  }

  private static String reasons(List<GateResult> blocked) {
    return String.join("; ", blocked.stream().map(GateResult::reason).toList());
  }
}
