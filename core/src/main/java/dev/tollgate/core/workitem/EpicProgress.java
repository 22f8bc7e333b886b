package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How far an epic is: its items counted by status.
 *
 * @param epic the epic's id
 * @param total every item of the epic
 * @param open items not started
 * @param inProgress items being worked on
 * @param done items delivered
 * @param deferred items put aside, which do not count towards {@link #percentDone()}
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record EpicProgress(
    String epic, int total, int open, int inProgress, int done, int deferred) {

  /** Checks that the counts add up. */
  public EpicProgress {
    Objects.requireNonNull(epic, "epic");
    if (open < 0 || inProgress < 0 || done < 0 || deferred < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (open + inProgress + done + deferred != total) {
      throw new IllegalArgumentException(
          "total must be the sum of the counts ("
              + (open + inProgress + done + deferred)
              + ") but was "
              + total);
    }
  }

  /**
   * The share of the epic's committed items (all but deferred ones) that are done, 0 to 100,
   * rounded down; 0 for an epic with no committed items.
   */
  public int percentDone() {
    int committed = total - deferred;
    return committed == 0 ? 0 : done * 100 / committed;
  }

  /** Whether every committed item is done and there is at least one. */
  public boolean complete() {
    return total - deferred > 0 && done == total - deferred;
  }
}
