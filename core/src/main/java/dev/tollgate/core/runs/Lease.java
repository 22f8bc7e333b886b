package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A worker's hold on one attempt of a run: the fence every write after a claim is checked against.
 *
 * <p>Once a run is swept and claimed again, its attempt changes, so an old worker's heartbeat,
 * completion, events and artifacts are refused.
 *
 * @param runId the run
 * @param attempt the attempt the worker claimed
 * @param workerId the worker
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Lease(long runId, int attempt, String workerId) {
  /** Checks the values. */
  public Lease {
    Objects.requireNonNull(workerId, "workerId");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
  }
}
