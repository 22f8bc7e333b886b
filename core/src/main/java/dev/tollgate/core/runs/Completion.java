package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A worker's report that it finished an attempt.
 *
 * @param lease the attempt
 * @param status success, error or cancelled
 * @param message a short explanation, or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Completion(Lease lease, RunStatus status, String message) {
  /** Checks that the status is terminal. */
  public Completion {
    Objects.requireNonNull(lease, "lease");
    if (status == null || !status.isTerminal()) {
      throw new IllegalArgumentException(
          "a completion needs status success, error or cancelled, got " + status);
    }
  }
}
