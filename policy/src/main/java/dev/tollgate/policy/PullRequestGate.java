package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.gate.Gate;
import dev.tollgate.core.gate.GateContext;
import dev.tollgate.core.gate.GateResult;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A gate about a pull request that can also say where the problem is (file and line), so that the
 * merge gate can annotate the exact lines. Plain {@link Gate}s work in the merge gate too; they
 * just have no locations.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface PullRequestGate extends Gate {

  /**
   * A result and the places it points at.
   *
   * @param result the gate's result
   * @param findings where the problems are; empty for a pass
   */
  record Outcome(GateResult result, List<GateFinding> findings) {
    /** Checks and copies. */
    public Outcome {
      Objects.requireNonNull(result, "result");
      findings = List.copyOf(findings);
    }
  }

  /** Evaluates the gate and says where each problem is. */
  Outcome evaluateWithFindings(GateContext context);

  @Override
  default GateResult evaluate(GateContext context) {
    return evaluateWithFindings(context).result();
  }
}
