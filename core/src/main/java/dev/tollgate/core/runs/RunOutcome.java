package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How an executor finished a run.
 *
 * @param status success, error or cancelled
 * @param message a short explanation, or null
 * @param timedOut for an error, whether it was a timeout (a step's, or the run's) rather than a
 *     failure; a template's {@code retry_on} tells the two apart
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RunOutcome(RunStatus status, String message, boolean timedOut) {
  /** Checks the status is terminal, and that only an error is a timeout. */
  public RunOutcome {
    if (status == null || !status.isTerminal()) {
      throw new IllegalArgumentException("an outcome needs a terminal status, got " + status);
    }
    if (timedOut && status != RunStatus.ERROR) {
      throw new IllegalArgumentException("only an error can be a timeout, got " + status);
    }
  }

  /** An outcome that is no timeout. */
  public RunOutcome(RunStatus status, String message) {
    this(status, message, false);
  }

  /** A success. */
  public static RunOutcome success() {
    return new RunOutcome(RunStatus.SUCCESS, null);
  }

  /** A failure with a message. */
  public static RunOutcome error(String message) {
    return new RunOutcome(RunStatus.ERROR, message);
  }

  /** A failure because a step, or the whole run, took longer than allowed. */
  public static RunOutcome timeout(String message) {
    return new RunOutcome(RunStatus.ERROR, message, true);
  }

  /** A cancellation with a message. */
  public static RunOutcome cancelled(String message) {
    return new RunOutcome(RunStatus.CANCELLED, message);
  }
}
