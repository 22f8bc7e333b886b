package dev.tollgate.policy;

import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;

/**
 * What {@link PolicyEngine#perform} did: the action was {@link Performed} and saved, or {@link
 * Blocked} and nothing was written.
 */
public sealed interface ActionOutcome {

  /** The action as evaluated, with every gate's result. */
  ActionView view();

  /** The action passed every gate; {@code after} is saved with {@code entry} appended. */
  record Performed(ActionView view, WorkItem before, WorkItem after, HistoryEntry entry)
      implements ActionOutcome {}

  /** A gate blocked or failed; the item is unchanged. */
  record Blocked(ActionView view, WorkItem item) implements ActionOutcome {}
}
