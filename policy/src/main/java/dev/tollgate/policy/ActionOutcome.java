package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import org.apiguardian.api.API;

/**
 * What {@link PolicyEngine#perform} did: the action was {@link Performed} and saved, or {@link
 * Blocked} and nothing was written.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface ActionOutcome {

  /** The action as evaluated, with every gate's result. */
  ActionView view();

  /** The action passed every gate; {@code after} is saved with {@code entry} appended. */
  record Performed(ActionView view, WorkItem before, WorkItem after, HistoryEntry entry)
      implements ActionOutcome {}

  /** A gate blocked or failed; the item is unchanged. */
  record Blocked(ActionView view, WorkItem item) implements ActionOutcome {}
}
