package dev.tollgate.core.workitem;

import dev.tollgate.core.Location;
import java.util.List;
import java.util.Optional;

/**
 * Where work items are kept: YAML files in the repository by default ({@link FileWorkItemStore}),
 * or a database behind the same interface.
 *
 * <p>{@link #save} replaces an item atomically: afterwards the store holds either the old item or
 * the new one, never a mix.
 */
public interface WorkItemStore {

  /** Every item, sorted by id. */
  List<WorkItem> list();

  /** The item with id {@code id}, if any. */
  Optional<WorkItem> find(String id);

  /**
   * Stores {@code item}, replacing the item with the same id or adding it.
   *
   * @throws dev.tollgate.core.TollgateException of kind {@code COULD_NOT_FINISH} when it cannot be
   *     written; the stored item is then unchanged
   */
  void save(WorkItem item);

  /** A snapshot of every item, for questions across items. */
  default Backlog backlog() {
    return Backlog.of(list());
  }

  /**
   * Where the field {@code field} (as spelled in the file, e.g. {@code lane}) of item {@code id}
   * was written, for error messages; empty when the store has no source positions.
   */
  default Optional<Location> locate(String id, String field) {
    return Optional.empty();
  }
}
