package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.gate.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One action as offered for one work item and actor: whether it is enabled, the result of each of
 * its gates, and for a disabled action how to recover.
 *
 * @param identity the action's stable id, e.g. {@code start-execution}
 * @param title the name shown to people
 * @param permission the permission it needs; empty when anyone may
 * @param transition the lane move it would make, e.g. {@code ready → in-progress}; empty when it
 *     moves nothing
 * @param verdict the results of its gates, in evaluation order
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ActionView(
    String identity,
    String title,
    Optional<String> permission,
    Optional<String> transition,
    Verdict verdict) {

  /** Checks that every field is present. */
  public ActionView {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(verdict, "verdict");
  }

  /** Whether every gate passed, so the action can be performed now. */
  public boolean enabled() {
    return verdict.passed();
  }

  /** Each gate's result, in evaluation order. */
  public List<GateResult> gates() {
    return verdict.results();
  }

  /** The guidance of the first gate that did not pass; empty for an enabled action. */
  public Optional<Recovery> recovery() {
    return verdict.firstRecovery();
  }
}
