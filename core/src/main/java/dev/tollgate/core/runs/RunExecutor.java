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
}
