package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Something a work item waits for: another work item, or a free-text reason. Listed by {@link
 * Backlog#blockers(WorkItem)}.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface Blocker {

  /** Whether it still blocks the item. */
  boolean blocking();

  /** One sentence for people, e.g. "blocked by wi-BF-12, which is in-progress in lane review". */
  String describe();

  /** A blocker naming another work item of the backlog. */
  record OnItem(String id, WorkItemStatus status, String lane) implements Blocker {
    @Override
    public boolean blocking() {
      return !status.finished();
    }

    @Override
    public String describe() {
      return blocking()
          ? "blocked by " + id + ", which is " + status.label() + " in lane " + lane
          : "was blocked by " + id + ", which is done";
    }
  }

  /**
   * A free-text blocker, or an id that names no known item; it blocks until someone removes it,
   * because nothing can tell when it is resolved.
   */
  record FreeText(String text) implements Blocker {
    @Override
    public boolean blocking() {
      return true;
    }

    @Override
    public String describe() {
      return "blocked: " + text;
    }
  }
}
