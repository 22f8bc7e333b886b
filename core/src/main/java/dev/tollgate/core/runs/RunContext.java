package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What an executor gets besides the run: a way to log, to store artifacts, and to learn that it
 * must stop.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface RunContext {

  /** Returns the lease this execution holds. */
  Lease lease();

  /** Appends an event to the run's log (buffered; flushed in batches and before completion). */
  void emit(NewEvent event);

  /** Stores an artifact now; returns false when the lease was lost. */
  boolean putArtifact(String name, byte[] content);

  /**
   * Returns why the execution must stop (cancel requested, lease lost, worker shutting down), or
   * null while it may continue.
   */
  String stopReason();

  /**
   * Waits up to {@code timeout} for a stop request; returns true if one arrived. Executors that
   * wait on something else poll {@link #stopReason()} instead.
   */
  boolean awaitStop(Duration timeout) throws InterruptedException;

  /** Registers code to run (once, on another thread) when a stop is requested. */
  void onStop(Runnable action);

  /**
   * Returns the time the run has left before its timeout, or empty when it has none. The worker
   * owns a run's timeout: it counts from the start of execution and stops the run when it passes.
   * An executor passes what is left on to what it runs (so a step can say it timed out) and never
   * keeps a clock of its own for it.
   */
  default Optional<Duration> timeLeft() {
    return Optional.empty();
  }
}
