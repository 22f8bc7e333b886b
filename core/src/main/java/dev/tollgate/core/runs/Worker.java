package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.db.DatabaseRetry;
import dev.tollgate.core.util.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Claims runs from a {@link RunQueue} and executes them: in parallel up to its concurrency, with
 * heartbeats, batched events and completions, cancellation, and a graceful shutdown.
 *
 * <p>It wakes at once on a queue notification and polls as the fallback, so losing the listening
 * connection only slows pickup down to the poll interval. Unless told otherwise it also sweeps, so
 * a fleet of workers recovers the runs of a dead one within {@code staleAfter} plus one heartbeat
 * interval. {@link #shutdown()} stops claiming, lets running runs finish within the grace period
 * and releases the rest back to the queue without charging their attempt.
 *
 * <p>A write the database cannot take (a completion, a release, events, the registration at
 * start-up) is retried with backoff for {@link WorkerOptions#databaseRetry()} while the run keeps
 * being heartbeated: every write after a claim is fenced by the lease, so repeating it is safe, and
 * a step that has finished is never run again only because its completion met a database restart.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class Worker implements AutoCloseable {

  private static final Duration EVENT_FLUSH = Duration.ofMillis(200);
  private static final String STEP_STARTED = "step_started";

  private final RunQueue queue;
  private final RunExecutor executor;
  private final WorkerOptions options;
  private final WorkerListener listener;
  private final Clock clock;
  private final DatabaseRetry retry;
  private final DatabaseRetry heartbeatRetry;
  private final Map<Long, Execution> active = new ConcurrentHashMap<>();
  // Finished executions whose batched completion has not committed yet: they no longer take a
  // slot, but are still heartbeated so they are not swept.
  private final Map<Long, Execution> completing = new ConcurrentHashMap<>();
  // Finished executions whose own completion (unbatched) is being written on a completion thread:
  // they no longer take an execution slot, so the next run starts while the completion commits,
  // but they still count against the runs a claim may hold, and are heartbeated.
  private final Map<Long, Execution> finishing = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  // Slots promised to claims in flight (the claim loop's, or one riding on a completion), so two
  // claims at once do not take more than the concurrency and the prefetch allow.
  private final Object claiming = new Object();
  private int reserved;
  private final LinkedBlockingQueue<Finished> toComplete = new LinkedBlockingQueue<>();
  private final AtomicLong executed = new AtomicLong();
  private ExecutorService pool;
  // Writes unbatched completions (and their riding claims), one thread per execution slot.
  private ExecutorService completions;
  private ScheduledExecutorService scheduler;
  private Thread loop;
  private Thread completer;
  private AutoCloseable listening;
  private volatile boolean wakeRequested;
  private volatile boolean stopping;
  private volatile boolean started;

  private Worker(Builder b) {
    this.queue = b.queue;
    this.executor = b.executor;
    this.options = b.options;
    this.listener = b.listener;
    this.clock = b.clock;
    this.retry =
        DatabaseRetry.of(
            options.databaseRetry(),
            (what, e) ->
                this.listener.problem(
                    "could not "
                        + what
                        + "; retrying for up to "
                        + options.databaseRetry().toSeconds()
                        + " s",
                    e));
    // A heartbeat that fails is retried until the next one is due.
    this.heartbeatRetry = DatabaseRetry.of(options.heartbeatInterval(), (what, e) -> {});
  }

  /**
   * Returns a builder of a worker that claims from {@code queue} and runs what it claims with
   * {@code executor}; nothing happens until {@link #start()} or {@link #runUntilIdle()}.
   */
  public static Builder builder(RunQueue queue, RunExecutor executor) {
    return new Builder(queue, executor);
  }

  /** A builder of {@link Worker}s; every setter checks its input. */
  public static final class Builder {
    private final RunQueue queue;
    private final RunExecutor executor;
    private WorkerOptions options;
    private WorkerListener listener = WorkerListener.NONE;
    private Clock clock = Clock.systemUTC();

    private Builder(RunQueue queue, RunExecutor executor) {
      this.queue = Objects.requireNonNull(queue, "queue");
      this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Sets the options; default {@code WorkerOptions.builder().build()}. */
    public Builder options(WorkerOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /** Sets who hears what the worker does; default {@link WorkerListener#NONE}. */
    public Builder listener(WorkerListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** Sets the clock that says when a requeued run is due; default the system clock in UTC. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The worker. */
    public Worker build() {
      if (options == null) {
        options = WorkerOptions.builder().build();
      }
      return new Worker(this);
    }
  }

  /** Returns the options. */
  public WorkerOptions options() {
    return options;
  }

  /** Returns how many runs are executing now. */
  public int activeCount() {
    return active.size();
  }

  /** Returns how many runs this worker has finished (completed, released or lost). */
  public long executedCount() {
    return executed.get();
  }

  /** Starts claiming in the background. */
  public synchronized void start() {
    startMachinery();
    loop = new Thread(this::claimLoop, "tollgate-worker-claim");
    loop.start();
  }

  /**
   * Claims and executes what is runnable now, waits for it to finish, and returns how many runs it
   * executed ({@code --once}).
   */
  public long runUntilIdle() throws InterruptedException {
    startMachinery();
    try {
      while (!stopping) {
        int free = reserve(0);
        List<Run> claimed = claimReserved(free);
        if (claimed.isEmpty() && active.isEmpty() && finishing.isEmpty() && completing.isEmpty()) {
          break;
        }
        if (claimed.isEmpty() || claimed.size() < free) {
          waitForWake(Duration.ofMillis(100));
        }
      }
    } finally {
      shutdown();
    }
    return executed.get();
  }

  private synchronized void startMachinery() {
    if (started) {
      throw new IllegalStateException("a worker starts once");
    }
    started = true;
    retry.call(
        "register the worker",
        () -> {
          queue.registerWorker(options.workerId(), options.lanes());
          return null;
        });
    pool =
        Executors.newFixedThreadPool(
            options.concurrency(), DaemonThreads.named("tollgate-run-" + options.workerId()));
    if (options.completionBatch() <= 1) {
      completions =
          Executors.newFixedThreadPool(
              options.concurrency(),
              DaemonThreads.named("tollgate-complete-" + options.workerId()));
    }
    scheduler = Executors.newScheduledThreadPool(2, DaemonThreads.named("tollgate-worker-timer"));
    long beat = options.heartbeatInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        this::flushAllEvents,
        EVENT_FLUSH.toMillis(),
        EVENT_FLUSH.toMillis(),
        TimeUnit.MILLISECONDS);
    if (options.sweep()) {
      scheduler.scheduleWithFixedDelay(this::sweep, 0, beat, TimeUnit.MILLISECONDS);
    }
    if (options.completionBatch() > 1) {
      completer = new Thread(this::completeLoop, "tollgate-worker-complete");
      completer.start();
    }
    try {
      listening = queue.listen(this::onRunnable, this::onCancel);
    } catch (RuntimeException e) {
      listener.problem("could not listen for notifications; polling only", e);
    }
  }

  private void claimLoop() {
    while (!stopping) {
      int free = reserve(0);
      List<Run> claimed = claimReserved(free);
      if (claimed.isEmpty() || claimed.size() < free || free == 0) {
        waitForWake(options.pollInterval());
      }
    }
  }

  /**
   * Reserves and returns how many runs to claim now, counting {@code leaving} of the runs held as
   * gone (a run whose completion carries the claim): none while stopping or while every execution
   * slot is busy; otherwise enough to fill the slots and the prefetch buffer, so one claim serves
   * many runs. The runs held are the active ones and the finished ones whose completion has not
   * committed yet (still running in the database). Give the reservation back with {@link
   * #unreserve} once the claimed runs are launched.
   *
   * <p>A claim that rides on a completion ({@code leaving} 1) costs one statement in a transaction
   * that commits anyway, not a commit of its own, so it also tops up the prefetch buffer once half
   * of it is gone: the slot's next run is then claimed while the one before it runs, and starts
   * without waiting for a completion to commit (with a prefetch of 1, each completion claims one).
   */
  private int reserve(int leaving) {
    synchronized (claiming) {
      int inFlight = active.size() + finishing.size() - leaving + reserved;
      int below =
          options.concurrency()
              + (leaving > 0 && completions != null ? (options.prefetch() + 1) / 2 : 0);
      if (stopping || inFlight >= below) {
        return 0;
      }
      int free = options.concurrency() + options.prefetch() - inFlight;
      reserved += free;
      return free;
    }
  }

  private void unreserve(int count) {
    if (count > 0) {
      synchronized (claiming) {
        reserved -= count;
      }
    }
  }

  /** Claims up to {@code count} reserved runs, launches them and gives the reservation back. */
  private List<Run> claimReserved(int count) {
    List<Run> claimed = List.of();
    try {
      claimed = count > 0 ? claimSafely(count) : List.of();
    } finally {
      launchReserved(claimed, count);
    }
    return claimed;
  }

  /**
   * Launches {@code claimed}, runs claimed with a reservation of {@code count} slots, and gives
   * back what the claim did not use. Each run takes over its slot from the reservation in the same
   * step as it becomes active, so a run that finishes at once finds the slots as they are: had the
   * reservation been given back only after every launch, a fast run's completion would still count
   * it, find no free slot and claim nothing, leaving its successor to a separate claim.
   */
  private void launchReserved(List<Run> claimed, int count) {
    int left = count;
    try {
      for (Run run : claimed) {
        left--;
        launch(run);
      }
    } finally {
      unreserve(left);
    }
  }

  private List<Run> claimSafely(int limit) {
    try {
      return queue.claim(options.workerId(), options.lanes(), limit);
    } catch (RuntimeException e) {
      listener.problem("could not claim runs", e);
      waitForWake(options.pollInterval());
      return List.of();
    }
  }

  private void onRunnable(String lane) {
    if (lane == null || options.lanes().contains(lane)) {
      signal();
    }
  }

  private void onCancel(long runId) {
    Execution execution = active.get(runId);
    if (execution != null) {
      execution.requestStop("cancel requested");
    }
  }

  private void signal() {
    synchronized (wake) {
      wakeRequested = true;
      wake.notifyAll();
    }
  }

  private void waitForWake(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (wake) {
      while (!wakeRequested && !stopping) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(wake, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      wakeRequested = false;
    }
  }

  /**
   * Starts {@code run} on the pool; it takes one slot of the reservation it was claimed with, in
   * the same step as it becomes active.
   */
  private void launch(Run run) {
    Execution execution = new Execution(run);
    synchronized (claiming) {
      active.put(run.id(), execution);
      reserved--;
    }
    listener.claimed(run);
    try {
      pool.execute(() -> execute(execution));
    } catch (RejectedExecutionException e) {
      // Claimed with a completion while the worker shut down: give it straight back.
      try {
        retry.call("release run " + run.id(), () -> queue.release(execution.lease));
        listener.released(run);
      } catch (RuntimeException failed) {
        listener.problem("could not release run " + run.id(), failed);
      } finally {
        done(execution);
      }
    }
  }

  private void execute(Execution execution) {
    if (stopping) {
      // Claimed ahead but not started before the shutdown: give it straight back.
      execution.releasing = true;
      handOff(execution, RunOutcome.cancelled("worker shutting down"));
      return;
    }
    Run run = execution.run;
    if (run.timeout() != null) {
      execution.deadlineNanos = System.nanoTime() + run.timeout().toNanos();
      // Counted from the start of execution, not from the claim (a claimed-ahead run may wait).
      execution.timeout =
          scheduler.schedule(
              () -> {
                execution.timedOut = true;
                execution.requestStop("timed out after " + run.timeout());
              },
              run.timeout().toMillis(),
              TimeUnit.MILLISECONDS);
    }
    RunOutcome outcome;
    try {
      outcome = executor.execute(execution.run, execution);
      if (outcome == null) {
        outcome = RunOutcome.error("the executor returned no outcome");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = RunOutcome.cancelled("interrupted");
    } catch (Exception | LinkageError e) {
      outcome = RunOutcome.error(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (execution.timeout != null) {
      execution.timeout.cancel(false);
    }
    if (execution.timedOut) {
      outcome = RunOutcome.timeout("run timed out after " + execution.run.timeout());
    }
    handOff(execution, outcome);
  }

  /**
   * Ends {@code execution}'s turn in its execution slot: its completion (with its events and the
   * claim riding on it) is written on a completion thread, so the slot's next run starts while it
   * commits. The run still counts as held ({@link #finishing}) until the completion has committed,
   * so claims never hold more runs than the slots and the prefetch allow, and it is heartbeated
   * meanwhile. With batched completions the completer takes over as before.
   */
  private void handOff(Execution execution, RunOutcome outcome) {
    if (completions == null) {
      finish(execution, outcome);
      return;
    }
    long id = execution.run.id();
    synchronized (claiming) {
      finishing.put(id, execution);
      active.remove(id, execution);
    }
    try {
      completions.execute(() -> finish(execution, outcome));
    } catch (RejectedExecutionException e) {
      // Only after the pool has ended, which waits for this thread: finish here.
      finish(execution, outcome);
    }
  }

  private void finish(Execution execution, RunOutcome outcome) {
    long id = execution.run.id();
    // Set once the completer owns the run; it calls done() after the batch commits, which may be
    // before the finally below runs, so the map cannot tell (it counted such a run twice).
    boolean toCompleter = false;
    try {
      if (execution.lost) {
        listener.lost(execution.run);
        return;
      }
      boolean tryAgain =
          !execution.releasing
              && outcome.status() == RunStatus.ERROR
              && retries(execution.run, outcome);
      if (!execution.releasing && !tryAgain && options.completionBatch() <= 1) {
        // The last events, the completion and the next claim in one transaction: one durable
        // commit per run, not three. Only the first try claims: a try whose answer was lost may
        // have committed its claim, and a second would take more runs than there are slots.
        Completion completion =
            new Completion(execution.lease, outcome.status(), outcome.message());
        int limit = execution.lost ? 0 : reserve(1);
        List<Run> claimed = List.of();
        try {
          int[] tries = {0};
          DatabaseRetry.Result<CompletedAndClaimed> result =
              retry.call(
                  "complete run " + id,
                  () ->
                      execution.lost
                          ? new CompletedAndClaimed(
                              new CompletionResult(id, java.util.Optional.empty()), List.of())
                          : completeWithEvents(execution, completion, tries[0]++ == 0 ? limit : 0));
          claimed = result.value().claimed();
          listener.completed(
              execution.run,
              outcome,
              confirmed(result.value().completion(), execution.lease, result.failures()));
        } finally {
          launchReserved(claimed, limit);
        }
        return;
      }
      if (options.completionBatch() > 1 && !tryAgain && !execution.releasing) {
        // Its last events ride with the batch's completion: one commit for the batch.
        completing.put(id, execution);
        active.remove(id, execution);
        toCompleter = true;
        toComplete.add(new Finished(execution, outcome));
        signal();
        return;
      }
      retry.call(
          "write the events of run " + id,
          () -> {
            flushEvents(execution);
            return null;
          });
      if (execution.releasing) {
        retry.call("release run " + id, () -> queue.release(execution.lease));
        listener.released(execution.run);
        return;
      }
      Completion completion = new Completion(execution.lease, outcome.status(), outcome.message());
      DatabaseRetry.Result<CompletionResult> result =
          retry.call(
              "complete run " + id,
              () ->
                  execution.lost
                      ? new CompletionResult(id, java.util.Optional.empty())
                      : tryAgain ? queue.completeOrRetry(completion) : queue.complete(completion));
      listener.completed(
          execution.run, outcome, confirmed(result.value(), execution.lease, result.failures()));
    } catch (RuntimeException e) {
      // The database stayed out of reach for the whole retry: the run stays running without
      // heartbeats, and the sweeper requeues it.
      listener.problem("could not complete run " + id, e);
    } finally {
      if (!toCompleter) {
        done(execution);
      }
    }
  }

  /** Whether the executor wants the failed run tried again; a failing answer counts as no. */
  private boolean retries(Run run, RunOutcome outcome) {
    try {
      return executor.retries(run, outcome);
    } catch (RuntimeException e) {
      listener.problem("could not tell whether run " + run.id() + " is to be tried again", e);
      return false;
    }
  }

  /**
   * The result of a completion that was retried: a first try may have committed although its answer
   * was lost, so a retry that finds the run no longer running asks the run itself.
   */
  private CompletionResult confirmed(CompletionResult result, Lease lease, int failures) {
    if (!result.lost() || failures == 0) {
      return result;
    }
    try {
      return queue
          .find(lease.runId())
          .filter(r -> r.attempt() == lease.attempt() && r.status().isTerminal())
          .map(r -> new CompletionResult(lease.runId(), java.util.Optional.of(r.status())))
          .orElse(result);
    } catch (RuntimeException e) {
      return result;
    }
  }

  private void done(Execution execution) {
    // By identity: a run retried after a failure may already run again here as a new execution.
    active.remove(execution.run.id(), execution);
    finishing.remove(execution.run.id(), execution);
    completing.remove(execution.run.id(), execution);
    executed.incrementAndGet();
    signal();
  }

  private void completeLoop() {
    List<Finished> batch = new ArrayList<>();
    while (!(stopping && pool.isTerminated() && toComplete.isEmpty())) {
      try {
        Finished first = toComplete.poll(20, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        toComplete.drainTo(batch, options.completionBatch() - 1);
        List<Completion> completions = new ArrayList<>();
        for (Finished f : batch) {
          completions.add(
              new Completion(f.execution.lease, f.outcome.status(), f.outcome.message()));
        }
        try {
          DatabaseRetry.Result<List<CompletionResult>> results =
              retry.call(
                  "complete " + batch.size() + " runs", () -> completeBatch(batch, completions));
          for (int i = 0; i < batch.size(); i++) {
            Execution execution = batch.get(i).execution;
            listener.completed(
                execution.run,
                batch.get(i).outcome,
                confirmed(results.value().get(i), execution.lease, results.failures()));
          }
        } catch (RuntimeException e) {
          listener.problem("could not complete " + batch.size() + " runs", e);
        }
        batch.forEach(f -> done(f.execution));
        batch.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Completes a batch of finished runs together with the events they have not written yet, in one
   * transaction. Each run's events are taken under its flush lock, so a flush still under way (the
   * periodic one) lands first; on failure they are put back, in order, for the retry.
   */
  private List<CompletionResult> completeBatch(List<Finished> batch, List<Completion> completions) {
    List<List<NewEvent>> events = new ArrayList<>();
    for (Finished f : batch) {
      Execution execution = f.execution;
      synchronized (execution.flushLock) {
        events.add(execution.takeEvents());
      }
    }
    try {
      return queue.completeAll(options.workerId(), completions, events);
    } catch (RuntimeException e) {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).execution.putBack(events.get(i));
      }
      throw e;
    }
  }

  private void heartbeat() {
    List<Lease> leases = new ArrayList<>();
    // A run retried after a failure may be claimed again by this worker: an answer about the
    // lease sent here must not reach the next attempt's execution of the same run.
    Map<Long, Execution> sent = new java.util.HashMap<>();
    for (Execution e : active.values()) {
      leases.add(e.lease);
      sent.put(e.run.id(), e);
    }
    for (Execution e : finishing.values()) {
      leases.add(e.lease);
    }
    for (Execution e : completing.values()) {
      leases.add(e.lease);
    }
    if (leases.isEmpty()) {
      return;
    }
    try {
      Map<Long, Heartbeat> answers =
          heartbeatRetry
              .call("heartbeat", () -> queue.heartbeat(options.workerId(), leases))
              .value();
      answers.forEach(
          (runId, answer) -> {
            Execution execution = active.get(runId);
            if (execution == null || execution != sent.get(runId)) {
              return;
            }
            if (answer == Heartbeat.CANCEL_REQUESTED) {
              execution.requestStop("cancel requested");
            } else if (answer == Heartbeat.LOST) {
              execution.lost = true;
              execution.requestStop("lease lost: the run was swept and may run elsewhere");
            }
          });
    } catch (RuntimeException e) {
      listener.problem("could not heartbeat", e);
    }
  }

  private void sweep() {
    if (stopping) {
      return;
    }
    try {
      List<SweepDecision> decisions = queue.sweep(options.staleAfter(), 100);
      if (!decisions.isEmpty()) {
        listener.swept(decisions);
      }
      // A requeued run becomes runnable after its backoff: look for it then, not a poll later.
      for (SweepDecision d : decisions) {
        if (d.availableAt() != null) {
          long delay = Math.max(0, d.availableAt().toEpochMilli() - clock.millis());
          scheduler.schedule(this::signal, delay + 5, TimeUnit.MILLISECONDS);
        }
      }
    } catch (RuntimeException e) {
      listener.problem("could not sweep", e);
    }
  }

  private void flushAllEvents() {
    for (Execution execution : active.values()) {
      try {
        flushEvents(execution);
      } catch (RuntimeException e) {
        listener.problem("could not write events of run " + execution.run.id(), e);
      }
    }
  }

  /**
   * Completes the run together with the events it has not written yet, and claims up to {@code
   * limit} runs in the same transaction, under the run's flush lock so that no flush overtakes the
   * events; on failure the events are kept, in order, for the retry.
   */
  private CompletedAndClaimed completeWithEvents(
      Execution execution, Completion completion, int limit) {
    synchronized (execution.flushLock) {
      List<NewEvent> batch = execution.takeEvents();
      try {
        return queue.completeAndClaim(completion, batch, options.lanes(), limit);
      } catch (RuntimeException e) {
        execution.putBack(batch);
        throw e;
      }
    }
  }

  private void flushEvents(Execution execution) {
    flushEvents(execution, false);
  }

  /**
   * Writes the run's buffered events; {@code unflushed}: without waiting for the database's disk
   * flush (see {@link RunQueue#appendEventsUnflushed}).
   */
  private void flushEvents(Execution execution, boolean unflushed) {
    // Taken and written under one lock, so two flushes never reorder a run's events.
    synchronized (execution.flushLock) {
      List<NewEvent> batch = execution.takeEvents();
      if (batch.isEmpty()) {
        return;
      }
      boolean appended;
      try {
        appended =
            execution.lost
                || (unflushed
                    ? queue.appendEventsUnflushed(execution.lease, batch)
                    : queue.appendEvents(execution.lease, batch));
      } catch (RuntimeException e) {
        // Kept, in order, for the next flush: a log line is not dropped for a database blip.
        execution.putBack(batch);
        throw e;
      }
      if (!appended) {
        execution.lost = true;
        execution.requestStop("lease lost: the run was swept and may run elsewhere");
      }
    }
  }

  /**
   * Stops claiming, waits up to the grace period for running runs, stops and releases the rest, and
   * closes the worker's threads. Safe to call more than once.
   */
  public void shutdown() {
    synchronized (this) {
      if (!started || stopping && pool.isTerminated()) {
        return;
      }
      stopping = true;
    }
    signal();
    try {
      if (loop != null) {
        loop.join(5_000);
      }
      pool.shutdown();
      if (!pool.awaitTermination(options.gracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
        for (Execution execution : active.values()) {
          execution.releasing = true;
          execution.requestStop("worker shutting down");
        }
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
      if (completions != null) {
        // Every execution has handed its completion over by now; let those commit.
        completions.shutdown();
        completions.awaitTermination(30, TimeUnit.SECONDS);
      }
      if (completer != null) {
        completer.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      if (listening != null) {
        try {
          listening.close();
        } catch (Exception e) {
          listener.problem("could not stop listening", e);
        }
      }
      try {
        queue.unregisterWorker(options.workerId());
      } catch (RuntimeException e) {
        listener.problem("could not record the worker's stop", e);
      }
    }
  }

  @Override
  public void close() {
    shutdown();
  }

  private record Finished(Execution execution, RunOutcome outcome) {}

  /** One run being executed: the context its executor sees. */
  private final class Execution implements RunContext {
    final Run run;
    final Lease lease;
    final List<NewEvent> buffer = new ArrayList<>();
    final Object flushLock = new Object();
    final CountDownLatch stopped = new CountDownLatch(1);
    final List<Runnable> stopActions = new ArrayList<>();
    volatile String stopReason;
    volatile boolean lost;
    volatile boolean releasing;
    volatile boolean timedOut;
    volatile ScheduledFuture<?> timeout;
    volatile long deadlineNanos;

    Execution(Run run) {
      this.run = run;
      this.lease = run.lease();
    }

    /** The events emitted and not written yet, taken out of the buffer. */
    List<NewEvent> takeEvents() {
      synchronized (buffer) {
        List<NewEvent> taken = new ArrayList<>(buffer);
        buffer.clear();
        return taken;
      }
    }

    /**
     * Puts back {@code events} that {@link #takeEvents} took and could not write, ahead of any
     * emitted since, so the retry writes them in order.
     */
    void putBack(List<NewEvent> events) {
      synchronized (buffer) {
        buffer.addAll(0, events);
      }
    }

    void requestStop(String reason) {
      List<Runnable> actions;
      synchronized (this) {
        if (stopReason != null) {
          return;
        }
        stopReason = reason;
        actions = List.copyOf(stopActions);
      }
      stopped.countDown();
      for (Runnable action : actions) {
        Thread t = new Thread(action, "tollgate-run-" + run.id() + "-stop");
        t.setDaemon(true);
        t.start();
      }
    }

    @Override
    public Lease lease() {
      return lease;
    }

    @Override
    public void emit(NewEvent event) {
      synchronized (buffer) {
        buffer.add(event);
      }
      if (STEP_STARTED.equals(event.kind())) {
        // Written before the step runs, so the run's record counts every start of its steps,
        // even one whose worker dies a moment later. If the database cannot take it now, the
        // step still runs and the event follows with the next flush. The step does not wait for
        // the disk: the event is committed and visible, and the run's completion, a durable
        // commit after it, flushes it at the latest.
        try {
          flushEvents(this, true);
        } catch (RuntimeException e) {
          listener.problem("could not record the start of a step of run " + run.id(), e);
        }
      }
    }

    @Override
    public boolean putArtifact(String name, byte[] content) {
      boolean stored = queue.putArtifact(lease, name, content);
      if (!stored) {
        lost = true;
        requestStop("lease lost: the run was swept and may run elsewhere");
      }
      return stored;
    }

    @Override
    public String stopReason() {
      return stopReason;
    }

    @Override
    public java.util.Optional<Duration> timeLeft() {
      if (run.timeout() == null || deadlineNanos == 0) {
        return java.util.Optional.empty();
      }
      long left = deadlineNanos - System.nanoTime();
      return java.util.Optional.of(left > 0 ? Duration.ofNanos(left) : Duration.ZERO);
    }

    @Override
    public boolean awaitStop(Duration timeout) throws InterruptedException {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onStop(Runnable action) {
      boolean now;
      synchronized (this) {
        now = stopReason != null;
        if (!now) {
          stopActions.add(action);
        }
      }
      if (now) {
        action.run();
      }
    }
  }
}
