package dev.tollgate.cli.runs;

import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.RunnerEnvironment;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.config.Durations;
import dev.tollgate.core.db.DatabaseRetry;
import dev.tollgate.core.runs.CompletionResult;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunOutcome;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.runs.SweepDecision;
import dev.tollgate.core.runs.Worker;
import dev.tollgate.core.runs.WorkerListener;
import dev.tollgate.core.runs.WorkerOptions;
import dev.tollgate.core.runs.exec.StepRunner;
import dev.tollgate.core.runs.exec.TemplateRunExecutor;
import dev.tollgate.core.runs.template.ParamsCipher;
import dev.tollgate.core.runs.template.TemplateCatalog;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tollgate worker}: claims runs from lanes and executes their templates' steps, until
 * stopped (SIGTERM or Ctrl-C: stop claiming, finish or release within the grace period) or, with
 * {@code --once}, until nothing is runnable.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Claim runs from the lanes and execute their steps in parallel, with heartbeats, live logs"
          + " and cancellation. The worker also sweeps runs of dead workers. On SIGTERM it stops"
          + " claiming, lets running runs finish within --grace, and releases the rest back to the"
          + " queue without charging an attempt.",
      "Exit codes: 0 stopped cleanly (with --once: every run it executed succeeded), 1 with"
          + " --once: a run failed or was cancelled, 2 bad input, 3 could not finish."
    })
public final class WorkerCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db;

  @Option(
      names = "--lanes",
      paramLabel = "LANE[,LANE…]",
      split = ",",
      defaultValue = "default",
      description = "Lanes to claim from (default: ${DEFAULT-VALUE}).")
  List<String> lanes;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "1",
      description = "Runs executed at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--worker-id",
      paramLabel = "ID",
      description = "Id written on claimed runs (default: host-pid-random).")
  String workerId;

  @Option(names = "--once", description = "Execute what is runnable now, then exit.")
  boolean once;

  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "Heartbeat period; cancels are seen within it (default: ${DEFAULT-VALUE}).")
  String heartbeatInterval;

  @Option(
      names = "--stale-after",
      paramLabel = "DURATION",
      defaultValue = "15s",
      description =
          "Heartbeat age after which a run's worker counts as dead (default: ${DEFAULT-VALUE}).")
  String staleAfter;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description = "Polling period when no notification arrives (default: ${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How long a shutdown waits for running runs (default: ${DEFAULT-VALUE}).")
  String grace;

  @Option(
      names = "--no-sweep",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Do not sweep stale runs (another process does).")
  boolean sweep;

  @Option(
      names = "--completion-batch",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Commit up to N completions together (default: ${DEFAULT-VALUE}, one per run);"
              + " larger batches raise throughput for short runs.")
  int completionBatch;

  @Option(
      names = "--database-retry",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "How long to keep retrying when the database cannot be reached: at start-up, and for"
              + " a completion, release or log write (default: ${DEFAULT-VALUE}).")
  String databaseRetry;

  @Override
  public Integer call() throws InterruptedException {
    WorkerOptions options;
    try {
      WorkerOptions.Builder b =
          WorkerOptions.builder()
              .lanes(lanes)
              .concurrency(concurrency)
              .heartbeatInterval(duration("--heartbeat-interval", heartbeatInterval))
              .staleAfter(duration("--stale-after", staleAfter))
              .pollInterval(duration("--poll-interval", pollInterval))
              .gracePeriod(duration("--grace", grace))
              .sweep(sweep)
              .completionBatch(completionBatch)
              .databaseRetry(duration("--database-retry", databaseRetry));
      if (workerId != null) {
        b.workerId(workerId);
      }
      options = b.build();
    } catch (IllegalArgumentException e) {
      throw db.usage(e.getMessage());
    }
    boolean json = db.json();
    TemplateCatalog catalog = db.templates();
    Optional<ParamsCipher> cipher = RunnerEnvironment.cipher(db.environment());
    // From here on a SIGTERM must not leave behind what start-up started (the embedded
    // PostgreSQL): the hook holds the JVM until this method has closed the session.
    Thread hook = new Thread(this::stop, "tollgate-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Session s = connect(options.databaseRetry())) {
      synchronized (this) {
        if (stopRequested) {
          return ExitCode.OK;
        }
      }
      return work(s, options, json, catalog, cipher);
    } finally {
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running and has just been released.
      }
    }
  }

  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean stopRequested;
  private Worker running;
  private Printer printer;

  /**
   * Hands the worker to the shutdown hook; false when a stop was requested during start-up, which
   * the caller then honours itself.
   */
  private synchronized boolean publish(Worker worker, Printer printer) {
    if (stopRequested) {
      return false;
    }
    this.printer = printer;
    this.running = worker;
    return true;
  }

  /**
   * The shutdown hook: once the worker runs, stop claiming and let running runs finish or be
   * released; during start-up, say so and let start-up end so that the session it opened (and an
   * embedded server it started) is closed. Either way, wait until it is.
   */
  private void stop() {
    Worker worker;
    synchronized (this) {
      stopRequested = true;
      worker = running;
    }
    if (worker != null) {
      printer.say("stopping: no new claims; waiting up to " + grace + " for running runs");
      worker.shutdown();
    } else {
      db.err()
          .println(
              "tollgate worker: stopping during start-up; nothing will be claimed, and an embedded"
                  + " PostgreSQL this worker started is stopped before it exits");
      db.err().flush();
    }
    stopped.countDown();
    // Let the main thread close the database (and stop an embedded server it started) before the
    // JVM halts; starting one may take up to its start-up timeout.
    try {
      closed.await(90, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Opens the queue, retrying with backoff while the database cannot be reached (it may be
   * restarting, or starting beside this worker); other problems fail at once.
   */
  private Session connect(Duration patience) {
    return DatabaseRetry.of(
            patience,
            (what, e) -> {
              db.err()
                  .println(
                      "tollgate worker: could not "
                          + what
                          + " ("
                          + e.getMessage()
                          + "); retrying for up to "
                          + Durations.format(patience));
              db.err().flush();
            })
        .onlyWhen(DatabaseRetry::unreachable)
        .call("connect to the database", () -> Session.open(db))
        .value();
  }

  private int work(
      Session s,
      WorkerOptions options,
      boolean json,
      TemplateCatalog catalog,
      Optional<ParamsCipher> cipher)
      throws InterruptedException {
    Printer printer = new Printer(db.out(), db.err(), json);
    Map<String, String> environment = db.environment();
    StepRunner steps =
        StepRunner.builder().shellEnvironment(environment).dockerEnvironment(environment).build();
    TemplateRunExecutor executor =
        new TemplateRunExecutor(
            catalog, steps, cipher, RunnerEnvironment.secrets(s.db(), environment));
    Worker worker = Worker.builder(s.queue(), executor).options(options).listener(printer).build();
    printer.say(
        "worker "
            + options.workerId()
            + " on lanes "
            + String.join(",", options.lanes())
            + " (concurrency "
            + options.concurrency()
            + ")");
    if (db.verbose()) {
      // Waits for the C library's binding, which the start line alone does not.
      printer.say("shell steps start " + steps.describeStarts());
    }
    if (once) {
      if (!publish(worker, printer)) {
        return ExitCode.OK;
      }
      worker.runUntilIdle();
      return printer.allSucceeded() ? ExitCode.OK : ExitCode.FINDINGS;
    }
    worker.start();
    if (!publish(worker, printer)) {
      worker.shutdown(); // the hook ran between start-up and start(): it could not stop it
      return ExitCode.OK;
    }
    stopped.await();
    return ExitCode.OK;
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (RuntimeException e) {
      throw db.usage(option + ": expected a duration such as 500ms, 5s, 1m, found '" + text + "'");
    }
  }

  /** Prints what the worker does, one line (or one JSON object) per thing. */
  private static final class Printer implements WorkerListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    volatile int failures;

    /** Runs put back to be tried again and not finished since: with --once, not succeeded. */
    final Set<Long> retrying = ConcurrentHashMap.newKeySet();

    /** Whether every run this worker executed has succeeded. */
    boolean allSucceeded() {
      return failures == 0 && retrying.isEmpty();
    }

    Printer(PrintWriter out, PrintWriter err, boolean json) {
      this.out = out;
      this.err = err;
      this.json = json;
    }

    synchronized void say(String text) {
      if (json) {
        out.println(
            dev.tollgate.actions.report.JsonText.mapper()
                .createObjectNode()
                .put("event", "info")
                .put("message", text));
      } else {
        out.println(text);
      }
      out.flush();
    }

    private synchronized void event(String kind, Run run, String text) {
      if (json) {
        var o = dev.tollgate.actions.report.JsonText.mapper().createObjectNode();
        o.put("event", kind)
            .put("id", run.id())
            .put("template", run.template())
            .put("attempt", run.attempt());
        if (text != null) {
          o.put("message", text);
        }
        out.println(o);
      } else {
        out.println(
            "run "
                + run.id()
                + " ("
                + run.template()
                + ", attempt "
                + run.attempt()
                + "): "
                + kind
                + (text == null ? "" : " — " + text));
      }
      out.flush();
    }

    @Override
    public void claimed(Run run) {
      event("claimed", run, null);
    }

    @Override
    public void completed(Run run, RunOutcome outcome, CompletionResult result) {
      if (result.finalStatus().filter(st -> st == RunStatus.QUEUED).isPresent()) {
        // Its template's retry_on names the failure: back in the queue, after a backoff.
        retrying.add(run.id());
        event(
            "retrying",
            run,
            outcome.message()
                + "; back in the queue after a backoff ("
                + run.chargedAttempts()
                + " of "
                + run.maxAttempts()
                + " attempts used)");
        return;
      }
      retrying.remove(run.id());
      String status = result.finalStatus().map(st -> st.wireName()).orElse("refused (lease lost)");
      if (result.finalStatus().map(st -> st != RunStatus.SUCCESS).orElse(true)) {
        failures++;
      }
      event(status, run, outcome.message());
    }

    @Override
    public void released(Run run) {
      event("released", run, "back in the queue; the attempt is not charged");
    }

    @Override
    public void lost(Run run) {
      failures++;
      event("lost", run, "swept while running; stopped without completing");
    }

    @Override
    public void swept(List<SweepDecision> decisions) {
      for (SweepDecision d : decisions) {
        say(
            "swept run "
                + d.runId()
                + ": "
                + d.outcome().name().toLowerCase(java.util.Locale.ROOT));
      }
    }

    @Override
    public synchronized void problem(String what, Exception e) {
      err.println("tollgate worker: " + what + ": " + e.getMessage());
      err.flush();
    }
  }
}
