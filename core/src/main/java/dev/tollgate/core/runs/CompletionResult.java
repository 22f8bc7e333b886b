package dev.tollgate.core.runs;

import java.util.Optional;

/**
 * What the queue made of a completion.
 *
 * @param runId the run
 * @param finalStatus the status the run now has (cancelled if cancel had been requested, whatever
 *     the worker reported), or empty when the completion was refused because the lease was lost
 */
public record CompletionResult(long runId, Optional<RunStatus> finalStatus) {
  /** Returns whether the completion was refused because the worker no longer held the run. */
  public boolean lost() {
    return finalStatus.isEmpty();
  }
}
