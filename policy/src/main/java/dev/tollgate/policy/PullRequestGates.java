package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.gate.Gate;
import dev.tollgate.core.gate.GateRegistry;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The built-in gates {@code tollgate gate} evaluates on a pull request, with their stable ids. They
 * read {@link PullRequestFacts} and {@link PullRequestRules} from the context; {@code
 * lane-eligibility} here checks the item the PR references, where the work-item action gate of the
 * same id checks the item an action moves.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class PullRequestGates {
  /** The branch or title references a work item that exists. */
  public static final String WORK_ITEM_REFERENCE = "work-item-reference";

  /** The referenced item is in an eligible lane. */
  public static final String LANE_ELIGIBILITY = BuiltInGates.LANE_ELIGIBILITY;

  /** At most N changed files and M changed lines. */
  public static final String PR_SIZE = "pr-size";

  /** Every changed path is inside an allowed folder. */
  public static final String TOUCHED_DIRECTORIES = "touched-directories";

  /** The PR carries every required label. */
  public static final String REQUIRED_LABELS = "required-labels";

  /** The PR has enough approving reviews. */
  public static final String REQUIRED_APPROVALS = "required-approvals";

  /** The Spec Kits (all, or those the PR touches) validate without errors. */
  public static final String SPEC_KIT = "spec-kit";

  /** No changed file contains an obvious secret. */
  public static final String SECRETS = "secrets";

  /** The order gates run in when the policy does not list them. */
  public static final List<String> DEFAULT_ORDER =
      List.of(
          WORK_ITEM_REFERENCE,
          LANE_ELIGIBILITY,
          PR_SIZE,
          TOUCHED_DIRECTORIES,
          REQUIRED_LABELS,
          REQUIRED_APPROVALS,
          SPEC_KIT,
          SECRETS);

  private PullRequestGates() {}

  /** Every built-in pull-request gate, sorted by id. */
  public static List<Gate> all() {
    return PullRequestGateSet.all();
  }

  /**
   * A registry of the built-in pull-request gates plus the custom gates {@code loader} provides
   * through {@code META-INF/services/dev.tollgate.core.gate.Gate}.
   */
  public static GateRegistry registry(ClassLoader loader) {
    return GateRegistry.of(all()).withServiceLoader(loader);
  }
}
