package dev.tollgate.core.gate;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.TollgateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * The combined decision of several gates, in the order they were evaluated, with one explanation
 * per gate: it passes only when every gate passed.
 *
 * @param results one result per gate, in evaluation order
 */
@API(status = STABLE, since = "0.1.0")
public record Verdict(List<GateResult> results) {

  /** Copies the results and checks that no gate appears twice. */
  public Verdict {
    results = List.copyOf(Objects.requireNonNull(results, "results"));
    List<String> seen = new ArrayList<>();
    for (GateResult r : results) {
      if (seen.contains(r.gate())) {
        throw new IllegalArgumentException("gate '" + r.gate() + "' has more than one result");
      }
      seen.add(r.gate());
    }
  }

  /** A verdict over the given results. */
  public static Verdict of(List<GateResult> results) {
    return new Verdict(results);
  }

  /**
   * Evaluates {@code gates} in order against {@code context}. A gate that throws or returns a
   * result for another id yields an {@link GateResult.Error} instead of aborting the others.
   */
  public static Verdict evaluate(List<? extends Gate> gates, GateContext context) {
    Objects.requireNonNull(gates, "gates");
    Objects.requireNonNull(context, "context");
    List<GateResult> out = new ArrayList<>(gates.size());
    for (Gate gate : gates) {
      out.add(evaluateOne(gate, context));
    }
    return new Verdict(out);
  }

  private static GateResult evaluateOne(Gate gate, GateContext context) {
    return guard(gate, () -> gate.evaluate(context));
  }

  /**
   * Runs one gate's evaluation so that a faulty gate cannot pass or stop the others: a thrown
   * exception, no result, or a result under another gate's id becomes an {@link GateResult.Error}
   * for {@code gate}. A {@link TollgateException} of kind {@code BAD_INPUT} is rethrown, because it
   * reports wrong user input (exit code 2), not a defect of the gate.
   *
   * @param gate the gate being evaluated, for its id and the error's context
   * @param evaluation how to evaluate it (callers that need more than the result capture it)
   */
  public static GateResult guard(Gate gate, Supplier<GateResult> evaluation) {
    String id = gate.id();
    GateResult result;
    try {
      result = evaluation.get();
    } catch (TollgateException e) {
      if (e.kind() == TollgateException.Kind.BAD_INPUT) {
        throw e;
      }
      return thrown(gate, e);
    } catch (RuntimeException e) {
      return thrown(gate, e);
    }
    if (result == null || !result.gate().equals(id)) {
      return GateResult.error(
          id,
          "gate "
              + id
              + " returned "
              + (result == null ? "no result" : "a result for " + result.gate()),
          Recovery.of(
              "The gate " + id + " broke the Gate contract",
              "gate " + id + " (" + gate.getClass().getName() + ")",
              "Report the defect to the gate's owner",
              "Retrying is safe but gives the same error until the gate is fixed"));
    }
    return result;
  }

  private static GateResult thrown(Gate gate, RuntimeException e) {
    String id = gate.id();
    return GateResult.error(
        id,
        "gate " + id + " failed: " + e,
        Recovery.of(
            "The gate " + id + " threw " + e.getClass().getSimpleName() + " while evaluating",
            "gate " + id + " (" + gate.getClass().getName() + ")",
            "Report the failure to the gate's owner; the gate must return a result, not throw",
            "Retrying is safe but gives the same error until the gate is fixed"));
  }

  /** The overall status: error if any gate erred, else blocked if any blocked, else pass. */
  public GateStatus status() {
    boolean blocked = false;
    for (GateResult r : results) {
      if (r.status() == GateStatus.ERROR) {
        return GateStatus.ERROR;
      }
      blocked |= r.status() == GateStatus.BLOCKED;
    }
    return blocked ? GateStatus.BLOCKED : GateStatus.PASS;
  }

  /** Whether every gate passed (a verdict over no gates passes). */
  public boolean passed() {
    return status() == GateStatus.PASS;
  }

  /** The results that did not pass, in evaluation order. */
  public List<GateResult> failures() {
    return results.stream().filter(r -> r.status() != GateStatus.PASS).toList();
  }

  /** The result of the gate {@code gate}, if it was evaluated. */
  public Optional<GateResult> result(String gate) {
    return results.stream().filter(r -> r.gate().equals(gate)).findFirst();
  }

  /** The guidance of the first gate that did not pass, if any. */
  public Optional<Recovery> firstRecovery() {
    return failures().stream().findFirst().flatMap(GateResult::recovery);
  }

  /**
   * A plain-text explanation, one line per gate: {@code pass wip-limit: reason}, followed for each
   * failure by its cause, policy, next step and retry advice.
   */
  public String explain() {
    StringBuilder out = new StringBuilder();
    for (GateResult r : results) {
      out.append(r.status().label()).append(' ').append(r.gate()).append(": ").append(r.reason());
      out.append('\n');
      r.recovery()
          .ifPresent(
              g ->
                  out.append("  cause: ")
                      .append(g.cause())
                      .append("\n  policy: ")
                      .append(g.policyContext())
                      .append("\n  next step: ")
                      .append(g.nextStep())
                      .append("\n  safe retry: ")
                      .append(g.safeRetry())
                      .append('\n'));
    }
    return out.toString();
  }
}
