package dev.tollgate.core.deploy.engine;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.gate.GateResult;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How a deploy (or rollback) ended: the gates it evaluated, the plan, the release it recorded.
 *
 * @param outcome the outcome
 * @param gates every gate's result, in order
 * @param plan the steps in order, with the exact commands (for {@code --dry-run} and logs)
 * @param release the release record, when one was started
 * @param message what happened and, when something needs doing, what to do next
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DeployResult(
    Outcome outcome,
    List<GateResult> gates,
    List<String> plan,
    Optional<Release> release,
    String message) {

  /** The ways a deploy ends; {@link #exitCode()} is the runner's contract. */
  public enum Outcome {
    /** Dry run: every gate passes, it would proceed. */
    WOULD_PROCEED(0),
    /** Shipped, checked, recorded. */
    DEPLOYED(0),
    /** A gate refused it; nothing changed. */
    BLOCKED(1),
    /** A check failed after the deploy; the rollback ran and its smoke checks passed. */
    ROLLED_BACK(1),
    /** Stopped (cancel, SIGTERM, window closed) and rolled back. */
    CANCELLED(1),
    /** The rollback itself failed; the environment stays locked. */
    FAILED_ROLLBACK(3),
    /** The deploy could not finish (lost its lock, a step before the deploy failed, …). */
    FAILED(3);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    /** Returns 0, 1 or 3 as the CLI documents. */
    public int exitCode() {
      return exitCode;
    }
  }
}
