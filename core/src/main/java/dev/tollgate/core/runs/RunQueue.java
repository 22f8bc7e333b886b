package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apiguardian.api.API;

/**
 * The run queue: enqueue, claim, heartbeat, complete, cancel, sweep, plus the runs' events and
 * artifacts.
 *
 * <p>The PostgreSQL implementation ({@code dev.tollgate.core.postgres.PostgresRunQueue}) calls the
 * SQL functions of the Tollgate schema, so a worker in any language speaks the same protocol. Every
 * write after a claim is fenced by the {@link Lease}; liveness is judged by the database clock
 * only. Implementations are thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface RunQueue {

  /**
   * Enqueues a run, or returns the live run that already holds its idempotency key. Wakes listening
   * workers when the transaction commits.
   */
  Enqueued enqueue(NewRun run);

  /**
   * Claims up to {@code limit} runnable runs from {@code lanes}: higher priority first, then FIFO.
   */
  List<Run> claim(String workerId, Collection<String> lanes, int limit);

  /** Heartbeats one run. */
  Heartbeat heartbeat(Lease lease);

  /** Heartbeats several runs of one worker in one statement, answering per run id. */
  Map<Long, Heartbeat> heartbeat(String workerId, Collection<Lease> leases);

  /** Completes one run; see {@link CompletionResult} for how cancellation and lost leases show. */
  CompletionResult complete(Completion completion);

  /**
   * Appends an attempt's last events and completes it, in one transaction where the queue can: one
   * durable commit instead of two. When the events are refused (the lease is lost), nothing is
   * completed and the result is lost. Repeating it after a lost answer is safe, as for {@link
   * #complete(Completion)}: a first try that committed leaves the events stored once.
   */
  default CompletionResult complete(Completion completion, List<NewEvent> events) {
    if (!events.isEmpty() && !appendEvents(completion.lease(), events)) {
      return new CompletionResult(completion.lease().runId(), Optional.empty());
    }
    return complete(completion);
  }

  /**
   * Appends an attempt's last events, completes it and claims up to {@code limit} runs of {@code
   * lanes} for the same worker, in one transaction where the queue can: a worker with a backlog
   * then pays one durable commit per run instead of two (the completion's and the claim's). The
   * completion is fenced as in {@link #complete(Completion, List)}; the claim is made whatever the
   * completion's result (a lost lease does not stop a worker from taking other runs), as {@link
   * #claim} makes it. Default: the two calls one after the other, for a queue that cannot share a
   * transaction.
   *
   * <p>Not for a retry after a lost answer: if the first try committed, its claimed runs are this
   * worker's, and only the sweeper gives them back. Retry with {@link #complete(Completion, List)}
   * alone.
   */
  default CompletedAndClaimed completeAndClaim(
      Completion completion, List<NewEvent> events, Collection<String> lanes, int limit) {
    CompletionResult result = complete(completion, events);
    List<Run> claimed = limit > 0 ? claim(completion.lease().workerId(), lanes, limit) : List.of();
    return new CompletedAndClaimed(result, claimed);
  }

  /** Completes several runs of one worker in one statement, in the given order. */
  List<CompletionResult> completeAll(String workerId, List<Completion> completions);

  /**
   * Appends each attempt's last events and completes the attempts, several runs of one worker in
   * one transaction where the queue can: one durable commit for them all, instead of one more per
   * run for its events. {@code events.get(i)} are the events of {@code completions.get(i)} (empty
   * for none). A run whose events are refused (its lease is lost) is not completed, and its result
   * is lost; the others are completed as {@link #completeAll(String, List)} completes them.
   * Repeating it after a lost answer is safe, as for {@link #complete(Completion, List)}. Default:
   * each run's events, then the completions, for a queue that cannot share a transaction.
   *
   * @throws IllegalArgumentException when the two lists differ in length
   */
  default List<CompletionResult> completeAll(
      String workerId, List<Completion> completions, List<List<NewEvent>> events) {
    if (events.size() != completions.size()) {
      throw new IllegalArgumentException(
          completions.size() + " completions but " + events.size() + " lists of events");
    }
    List<Completion> accepted = new ArrayList<>();
    for (int i = 0; i < completions.size(); i++) {
      if (events.get(i).isEmpty() || appendEvents(completions.get(i).lease(), events.get(i))) {
        accepted.add(completions.get(i));
      }
    }
    return CompletionResult.inOrderOf(completions, completeAll(workerId, accepted));
  }

  /**
   * Reports a failed attempt that is to be tried again (its template's {@code retry_on} names the
   * failure): while the run has attempts left and no cancel was requested, it goes back to the
   * queue, the attempt charged, after a random delay of up to {@code min(max_backoff, backoff *
   * 2^(attempts used - 1))}, and the result's status is {@link RunStatus#QUEUED}; otherwise the run
   * is completed with the completion's status as {@link #complete} does. Default: {@link
   * #complete}, for a queue that cannot put a run back.
   */
  default CompletionResult completeOrRetry(Completion completion) {
    return complete(completion);
  }

  /**
   * Gives a running run back to the queue without charging the attempt (a worker shutting down).
   * Returns false when the lease was lost.
   */
  boolean release(Lease lease);

  /** Cancels a run; see {@link CancelResult}. */
  CancelResult cancel(long runId, String reason);

  /**
   * Enqueues a finished run again (same template, parameters and lane), linked to the original.
   *
   * @throws dev.tollgate.core.TollgateException of kind BAD_INPUT when the run does not exist or
   *     has not failed or been cancelled
   */
  Run retry(long runId);

  /**
   * Appends events to the lease's run, in order. Returns false (and writes nothing) when the lease
   * was lost or the run is finished.
   */
  boolean appendEvents(Lease lease, List<NewEvent> events);

  /**
   * Appends events as {@link #appendEvents} does, without waiting for them to reach the disk: the
   * commit returns once the events are stored and visible, and the database's next flush (at the
   * latest the next durable commit, such as the run's completion) makes them durable. A worker that
   * dies after the call loses nothing; only a crash of the database server within its WAL writer's
   * delay (a fraction of a second) can lose them. The Tollgate worker records the start of a step
   * this way, so that the step does not wait for a disk flush. Default: {@link #appendEvents}.
   */
  default boolean appendEventsUnflushed(Lease lease, List<NewEvent> events) {
    return appendEvents(lease, events);
  }

  /**
   * Decides the fate of up to {@code limit} runs whose heartbeat is older than {@code staleAfter}.
   */
  List<SweepDecision> sweep(Duration staleAfter, int limit);

  /** Returns a run. */
  Optional<Run> find(long runId);

  /** Returns the template definition recorded under {@code sha256} when a run was enqueued. */
  Optional<String> templateDefinition(String sha256);

  /** Lists runs, newest first. */
  List<Run> list(RunFilter filter);

  /**
   * The newest finished run (by creation time, then id) of each of {@code lanes} that has one,
   * keyed by lane: what a runboard shows as a lane's last completed run. It reads one index entry
   * per lane, whatever the size of the history.
   */
  Map<String, Run> lastFinished(Collection<String> lanes);

  /** Returns every recorded start of a run's steps, by attempt, then by position. */
  List<RunStep> steps(long runId);

  /** Returns a run's events with {@code seq > afterSeq}, in order, at most {@code limit}. */
  List<RunEvent> events(long runId, int afterSeq, int limit);

  /**
   * Stores an artifact for the lease's run, replacing one with the same name.
   *
   * @throws dev.tollgate.core.TollgateException of kind BAD_INPUT for an unsafe name or content
   *     over the size limit
   * @return false when the lease was lost (nothing stored)
   */
  boolean putArtifact(Lease lease, String name, byte[] content);

  /** Lists a run's artifacts by name. */
  List<Artifact> artifacts(long runId);

  /** Returns an artifact's content. */
  Optional<byte[]> artifactContent(long runId, String name);

  /**
   * Returns the run's {@code sha256_manifest.txt}: one {@code <sha256> <name>} line per artifact,
   * sorted by name, in the format {@code sha256sum -c} reads.
   */
  String manifest(long runId);

  /** Reads the queue's health figures. */
  QueueStats stats();

  /**
   * Listens for queue notifications on a dedicated connection: {@code onRunnable} is called when a
   * run becomes runnable in a lane, {@code onCancel} with the id of a run whose cancel was
   * requested. If the connection drops, it reconnects with backoff; callers keep polling as the
   * fallback. Close the returned handle to stop.
   */
  AutoCloseable listen(java.util.function.Consumer<String> onRunnable, LongConsumer onCancel);

  /**
   * Subscribes to appends to the logs of the runs the returned watch is told to watch: {@code
   * onAppended} is called with a run's id after an append to its log commits, and {@code onResync}
   * each time the subscription (re)connects, after which appends made while it was away are not
   * announced and callers should read every watched run once. Callbacks run on the subscription's
   * own thread and must not block. A queue that cannot announce appends returns {@link
   * LogWatch#none()}, which this default does; callers then poll.
   */
  default LogWatch watchLogs(LongConsumer onAppended, Runnable onResync) {
    return LogWatch.none();
  }

  /** Records a worker session (host, pid, lanes) so operators can see who is working. */
  void registerWorker(String workerId, Collection<String> lanes);

  /** Marks a worker session stopped. */
  void unregisterWorker(String workerId);
}
