package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * A work-item store held in memory: for tests, previews and services that keep items elsewhere.
 * Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class InMemoryWorkItemStore implements WorkItemStore {
  private final TreeMap<String, WorkItem> items = new TreeMap<>();

  /**
   * A store holding {@code initial}.
   *
   * @throws IllegalArgumentException when two items share an id
   */
  public InMemoryWorkItemStore(Collection<WorkItem> initial) {
    for (WorkItem i : Objects.requireNonNull(initial, "initial")) {
      if (items.putIfAbsent(i.id(), i) != null) {
        throw new IllegalArgumentException("two work items share the id '" + i.id() + "'");
      }
    }
  }

  @Override
  public synchronized List<WorkItem> list() {
    return List.copyOf(items.values());
  }

  @Override
  public synchronized Optional<WorkItem> find(String id) {
    return Optional.ofNullable(items.get(id));
  }

  @Override
  public synchronized void save(WorkItem item) {
    items.put(item.id(), Objects.requireNonNull(item, "item"));
  }
}
