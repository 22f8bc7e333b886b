package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * A snapshot of all work items, for the questions asked across items: rank order, epic progress,
 * blockers, and who holds a lane. Immutable; every listing has a defined order, independent of the
 * order the items were given in.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class Backlog {
  /** Ranked items first (1 first), then unranked ones; ties by id. */
  public static final Comparator<WorkItem> RANK_ORDER =
      Comparator.<WorkItem>comparingInt(i -> i.priority().orElse(Integer.MAX_VALUE))
          .thenComparing(WorkItem::id);

  private final TreeMap<String, WorkItem> byId = new TreeMap<>();

  private Backlog(Collection<WorkItem> items) {
    for (WorkItem item : items) {
      if (byId.putIfAbsent(item.id(), item) != null) {
        throw new IllegalArgumentException("two work items share the id '" + item.id() + "'");
      }
    }
  }

  /**
   * A backlog of {@code items}.
   *
   * @throws IllegalArgumentException when two items share an id
   */
  public static Backlog of(Collection<WorkItem> items) {
    return new Backlog(Objects.requireNonNull(items, "items"));
  }

  /** Every item in rank order. */
  public List<WorkItem> ranked() {
    return byId.values().stream().sorted(RANK_ORDER).toList();
  }

  /** Every item sorted by id. */
  public List<WorkItem> items() {
    return List.copyOf(byId.values());
  }

  /** The item with id {@code id}, if any. */
  public Optional<WorkItem> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The items in lane {@code lane}, sorted by id. */
  public List<WorkItem> inLane(String lane) {
    return byId.values().stream().filter(i -> i.lane().equals(lane)).toList();
  }

  /**
   * What {@code item} waits for, in the order its {@code blockers} list them: an entry naming a
   * known item becomes {@link Blocker.OnItem}, anything else {@link Blocker.FreeText}.
   */
  public List<Blocker> blockers(WorkItem item) {
    List<Blocker> out = new ArrayList<>();
    for (String b : item.blockers()) {
      WorkItem other = byId.get(b.strip());
      out.add(
          other == null
              ? new Blocker.FreeText(b)
              : new Blocker.OnItem(other.id(), other.status(), other.lane()));
    }
    return out;
  }

  /** Whether any blocker of {@code item} still blocks it. */
  public boolean isBlocked(WorkItem item) {
    return blockers(item).stream().anyMatch(Blocker::blocking);
  }

  /** The progress of epic {@code epic}, counting its items by status. */
  public EpicProgress progress(String epic) {
    int open = 0;
    int inProgress = 0;
    int done = 0;
    int deferred = 0;
    for (WorkItem i : byId.values()) {
      if (!i.epic().map(epic::equals).orElse(false)) {
        continue;
      }
      switch (i.status()) {
        case OPEN -> open++;
        case IN_PROGRESS -> inProgress++;
        case DONE -> done++;
        case DEFERRED -> deferred++;
      }
    }
    return new EpicProgress(
        epic, open + inProgress + done + deferred, open, inProgress, done, deferred);
  }

  /** The progress of every epic some item names, sorted by epic id. */
  public List<EpicProgress> epics() {
    TreeSet<String> ids = new TreeSet<>();
    byId.values().forEach(i -> i.epic().ifPresent(ids::add));
    return ids.stream().map(this::progress).toList();
  }

  /**
   * Moves item {@code id} to rank {@code position} (1 first) and renumbers every ranked item 1, 2,
   * 3, ... in the resulting order; unranked items keep no rank unless they are the one moved.
   *
   * @return the items whose priority changed, sorted by id, to be saved
   * @throws IllegalArgumentException when no item has id {@code id} or the position is below 1
   */
  public List<WorkItem> rerank(String id, int position) {
    WorkItem moved =
        find(id).orElseThrow(() -> new IllegalArgumentException("no work item '" + id + "'"));
    if (position < 1) {
      throw new IllegalArgumentException("position must be >= 1 but was " + position);
    }
    List<WorkItem> order = new ArrayList<>();
    for (WorkItem i : ranked()) {
      if (i.priority().isPresent() && !i.id().equals(id)) {
        order.add(i);
      }
    }
    order.add(Math.min(position, order.size() + 1) - 1, moved);
    List<WorkItem> changed = new ArrayList<>();
    for (int rank = 1; rank <= order.size(); rank++) {
      WorkItem i = order.get(rank - 1);
      if (i.priority().isEmpty() || i.priority().getAsInt() != rank) {
        changed.add(i.toBuilder().priority(rank).build());
      }
    }
    changed.sort(Comparator.comparing(WorkItem::id));
    return changed;
  }
}
