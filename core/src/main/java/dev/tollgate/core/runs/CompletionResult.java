package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * The results of {@code completions}, in their order: each run's from {@code results}, or lost
   * for a run {@code results} does not answer for (its completion was refused before it was made,
   * as when its events were).
   */
  public static List<CompletionResult> inOrderOf(
      List<Completion> completions, List<CompletionResult> results) {
    Map<Long, CompletionResult> byRun = new HashMap<>();
    for (CompletionResult r : results) {
      byRun.put(r.runId(), r);
    }
    List<CompletionResult> ordered = new ArrayList<>();
    for (Completion c : completions) {
      long id = c.lease().runId();
      ordered.add(byRun.getOrDefault(id, new CompletionResult(id, Optional.empty())));
    }
    return ordered;
  }
}
