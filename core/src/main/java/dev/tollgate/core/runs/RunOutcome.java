package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How an executor finished a run.
 *
 * @param status success, error or cancelled
 * @param message a short explanation, or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RunOutcome(RunStatus status, String message) {
  /** Checks the status is terminal. */
  public RunOutcome {
    if (status == null || !status.isTerminal()) {
      throw new IllegalArgumentException("an outcome needs a terminal status, got " + status);
    }
  }

  /** A success. */
  public static RunOutcome success() {
    return new RunOutcome(RunStatus.SUCCESS, null);
  }

  /** A failure with a message. */
  public static RunOutcome error(String message) {
    return new RunOutcome(RunStatus.ERROR, message);
  }

  /** A cancellation with a message. */
  public static RunOutcome cancelled(String message) {
    return new RunOutcome(RunStatus.CANCELLED, message);
  }
}
