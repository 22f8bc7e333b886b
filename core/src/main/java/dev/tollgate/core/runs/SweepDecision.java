package dev.tollgate.core.runs;

import java.time.Instant;

/**
 * What the sweeper decided for a run whose worker stopped heartbeating.
 *
 * @param runId the run
 * @param outcome requeued, failed or cancelled
 * @param attempt the attempt that was lost
 * @param availableAt when a requeued run may be claimed again, else null
 */
public record SweepDecision(long runId, Outcome outcome, int attempt, Instant availableAt) {

  /** The three decisions. */
  public enum Outcome {
    /** Back in the queue after a jittered backoff. */
    REQUEUED,
    /** Its attempts are used up: the run is now {@code error}. */
    ERROR,
    /** Cancel had been requested: the run is now {@code cancelled}. */
    CANCELLED
  }
}
