package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Executes one claimed run. The worker heartbeats, batches events and completes the run with the
 * returned outcome; an exception becomes an {@code error} outcome with its message.
 *
 * <p>An executor must react to {@link RunContext#stopReason()} (or {@link RunContext#onStop}) by
 * stopping its work promptly and returning {@link RunOutcome#cancelled}.
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface RunExecutor {

  /** Executes the run. */
  RunOutcome execute(Run run, RunContext context) throws Exception;

  /**
   * Whether a run that ended in {@code outcome} (an error or a timeout) is to be tried again while
   * it has attempts left: the worker then hands it back with {@link
   * RunQueue#completeOrRetry(Completion)} instead of completing it. Default: never, a failure ends
   * the run ({@code TemplateRunExecutor} answers from the template's {@code retry_on}). An
   * exception here counts as no.
   */
  default boolean retries(Run run, RunOutcome outcome) {
    return false;
  }
}
