package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What {@link RunQueue#completeAndClaim} did: the completion's result, and the runs claimed in the
 * same transaction.
 *
 * @param completion what the queue made of the completion
 * @param claimed the runs claimed for the completing worker, in claim order; empty when none was
 *     runnable or none was asked for
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record CompletedAndClaimed(CompletionResult completion, List<Run> claimed) {
  /** Checks that both are present and copies the list. */
  public CompletedAndClaimed {
    Objects.requireNonNull(completion, "completion");
    claimed = List.copyOf(claimed);
  }
}
