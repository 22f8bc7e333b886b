package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.WorkItem;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The facts a gate reads when it is asked about a work-item action: the policy, the action, the
 * item as it is now, and every other item (for WIP limits and blockers). Custom gates get it with
 * {@code context.facts(ActionFacts.class)}.
 *
 * @param policy the project's policy
 * @param action the action being evaluated
 * @param item the item it would act on
 * @param backlog every work item, including {@code item}
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ActionFacts(Policy policy, ActionDefinition action, WorkItem item, Backlog backlog) {
  /** Checks that every fact is present. */
  public ActionFacts {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(backlog, "backlog");
  }
}
