package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.gate.Gate;
import dev.tollgate.core.gate.GateRegistry;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The gates every policy may name without installing anything, with their stable ids. The
 * pull-request rules ({@code work-item-reference}, {@code pr-size}, ...) are added here when the
 * merge gate lands.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class BuiltInGates {
  /** Items move only along declared transitions, and never out of a terminal lane. */
  public static final String LANE_TRANSITION = "lane-transition";

  /** The item is in one of the lanes the action accepts items from. */
  public static final String LANE_ELIGIBILITY = "lane-eligibility";

  /** The target lane has room under its WIP limit. */
  public static final String WIP_LIMIT = "wip-limit";

  /** The actor holds the permission the action needs. */
  public static final String PERMISSION = "permission";

  /** The item has a pull request linked. */
  public static final String PULL_REQUEST = "pull-request";

  /** The item's prompt/context file exists and is readable. */
  public static final String CONTEXT_VISIBILITY = "context-visibility";

  private BuiltInGates() {}

  /** Every built-in gate, sorted by id. */
  public static List<Gate> all() {
    return ActionGates.all();
  }

  /** A registry of the built-in gates only. */
  public static GateRegistry registry() {
    return GateRegistry.of(all());
  }

  /**
   * A registry of the built-in gates plus the custom gates {@code loader} provides through {@code
   * META-INF/services/dev.tollgate.core.gate.Gate}.
   */
  public static GateRegistry registry(ClassLoader loader) {
    return registry().withServiceLoader(loader);
  }
}
