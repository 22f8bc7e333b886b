package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The outcome of {@link MergeGateService#evaluate}: the verdict, what was gated, and where the
 * facts came from. Every renderer of a gate verdict reads this.
 *
 * @param verdict one result per gate and the places each blocked gate points at
 * @param change the refs, commits, branch, policy and changed files that were gated
 * @param notes where the facts came from (for a job summary); empty for the local Git checkout
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record MergeGateResult(MergeVerdict verdict, GatedChange change, List<String> notes) {

  /** Checks the parts and copies the notes. */
  public MergeGateResult {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(change, "change");
    notes = List.copyOf(notes);
  }

  /** Whether every gate passed. */
  public boolean passed() {
    return verdict.verdict().passed();
  }
}
