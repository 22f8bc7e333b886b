package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * What the sweeper decided for a run whose worker stopped heartbeating.
 *
 * @param runId the run
 * @param outcome requeued, failed or cancelled
 * @param attempt the attempt that was lost
 * @param availableAt when a requeued run may be claimed again, else null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
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
