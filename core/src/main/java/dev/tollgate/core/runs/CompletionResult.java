package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What the queue made of a completion.
 *
 * @param runId the run
 * @param finalStatus the status the run now has (cancelled if cancel had been requested, whatever
 *     the worker reported; queued when {@link RunQueue#completeOrRetry} put it back to be tried
 *     again), or empty when the completion was refused because the lease was lost
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record CompletionResult(long runId, Optional<RunStatus> finalStatus) {
  /** Returns whether the completion was refused because the worker no longer held the run. */
  public boolean lost() {
    return finalStatus.isEmpty();
  }
}
