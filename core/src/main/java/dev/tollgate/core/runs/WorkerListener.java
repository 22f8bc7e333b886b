package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/** Hears what a {@link Worker} does, for logs and metrics; every method defaults to nothing. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface WorkerListener {

  /** A run was claimed and is about to execute. */
  default void claimed(Run run) {}

  /** A run finished and its completion was committed (or refused as lost). */
  default void completed(Run run, RunOutcome outcome, CompletionResult result) {}

  /** A run was given back to the queue because the worker shut down. */
  default void released(Run run) {}

  /** The worker lost a run's lease (it was swept): the execution was stopped, nothing written. */
  default void lost(Run run) {}

  /** The sweeper decided something. */
  default void swept(List<SweepDecision> decisions) {}

  /** Something failed in the worker's own machinery (the database was unreachable, say). */
  default void problem(String what, Exception e) {}

  /** A listener that does nothing. */
  WorkerListener NONE = new WorkerListener() {};
}
