package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.Epic;
import dev.tollgate.core.workitem.EpicProgress;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Where an epic stands: its items counted by state, and the blockers still holding those of its
 * items that are neither done nor deferred, in rank order. What {@code tollgate epics} prints and
 * the control plane's epics show.
 *
 * @param epic the epic as the policy declares it
 * @param progress its items counted by state
 * @param openBlockers each blocker still holding one of its unfinished items
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record EpicStatus(Epic epic, EpicProgress progress, List<OpenBlocker> openBlockers) {

  /**
   * One blocker still holding an unfinished item of the epic.
   *
   * @param item the held item's id
   * @param blocker what holds it
   */
  public record OpenBlocker(String item, Blocker blocker) {

    /** Checks the fields. */
    public OpenBlocker {
      Objects.requireNonNull(item, "item");
      Objects.requireNonNull(blocker, "blocker");
    }
  }

  /** Checks the fields. */
  public EpicStatus {
    Objects.requireNonNull(epic, "epic");
    Objects.requireNonNull(progress, "progress");
    openBlockers = List.copyOf(openBlockers);
  }

  /** Every epic {@code engine}'s policy declares, in id order, over its backlog now. */
  public static List<EpicStatus> of(PolicyEngine engine) {
    Backlog backlog = engine.store().backlog();
    List<EpicStatus> out = new ArrayList<>();
    for (Epic e : engine.policy().epics().values()) {
      out.add(of(e, backlog));
    }
    return out;
  }

  /** Where {@code epic} stands in {@code backlog}. */
  public static EpicStatus of(Epic epic, Backlog backlog) {
    List<OpenBlocker> blockers = new ArrayList<>();
    for (WorkItem i : backlog.ranked()) {
      if (!i.epic().map(epic.id()::equals).orElse(false)
          || i.status() == WorkItemStatus.DONE
          || i.status() == WorkItemStatus.DEFERRED) {
        continue;
      }
      for (Blocker b : backlog.blockers(i)) {
        if (b.blocking()) {
          blockers.add(new OpenBlocker(i.id(), b));
        }
      }
    }
    return new EpicStatus(epic, backlog.progress(epic.id()), blockers);
  }
}
