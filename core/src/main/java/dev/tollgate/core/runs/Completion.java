package dev.tollgate.core.runs;

import java.util.Objects;

/**
 * A worker's report that it finished an attempt.
 *
 * @param lease the attempt
 * @param status success, error or cancelled
 * @param message a short explanation, or null
 */
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
