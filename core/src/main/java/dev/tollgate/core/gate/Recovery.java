package dev.tollgate.core.gate;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Recovery guidance for a blocked or failed gate: why it blocked, which policy says so, what to do
 * next, and whether trying the same thing again can help.
 *
 * @param cause what is wrong, in the user's terms, e.g. "Done items stay closed; Start execution
 *     cannot move them backward"
 * @param policyContext the policy behind the decision, e.g. "lanes.done.terminal: true"
 * @param nextStep the one thing to do next
 * @param safeRetry whether and when retrying the same action is safe
 */
@API(status = STABLE, since = "0.1.0")
public record Recovery(String cause, String policyContext, String nextStep, String safeRetry) {

  /** Checks that every part is present and not blank. */
  public Recovery {
    cause = require(cause, "cause");
    policyContext = require(policyContext, "policyContext");
    nextStep = require(nextStep, "nextStep");
    safeRetry = require(safeRetry, "safeRetry");
  }

  /** Guidance with all four parts. */
  public static Recovery of(String cause, String policyContext, String nextStep, String safeRetry) {
    return new Recovery(cause, policyContext, nextStep, safeRetry);
  }

  private static String require(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
