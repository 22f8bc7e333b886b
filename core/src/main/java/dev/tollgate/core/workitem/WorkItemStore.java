package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Location;
import dev.tollgate.core.TollgateException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where work items are kept: YAML files in the repository by default ({@link FileWorkItemStore}),
 * or a database behind the same interface.
 *
 * <p>{@link #save} replaces an item atomically: afterwards the store holds either the old item or
 * the new one, never a mix. {@link #add} and {@link #replace} do the same only when the store still
 * holds what the caller read, so two writers cannot silently lose each other's changes.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
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

  /**
   * Stores {@code item}, which must be new.
   *
   * <p>The default implementation checks and saves while holding this store's monitor; stores whose
   * methods synchronize on themselves (both built-in ones do) are then atomic.
   *
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} when an item with its id
   *     exists, or {@code COULD_NOT_FINISH} when it cannot be written
   */
  default void add(WorkItem item) {
    Objects.requireNonNull(item, "item");
    synchronized (this) {
      if (find(item.id()).isPresent()) {
        throw TollgateException.badInput("work item '" + item.id() + "' already exists");
      }
      save(item);
    }
  }

  /**
   * Stores {@code item} in place of {@code expected}, only if the store still holds {@code
   * expected} (compare and set). See {@link #add} for how the default implementation is atomic.
   *
   * @throws dev.tollgate.core.ConflictException when the stored item is no longer {@code expected}
   *     (someone else changed it: read it again and retry)
   * @throws dev.tollgate.core.TollgateException of kind {@code COULD_NOT_FINISH} when it cannot be
   *     written; the stored item is then unchanged
   */
  default void replace(WorkItem expected, WorkItem item) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(item, "item");
    if (!expected.id().equals(item.id())) {
      throw new IllegalArgumentException(
          "cannot replace " + expected.id() + " with an item of another id, " + item.id());
    }
    synchronized (this) {
      if (!find(item.id()).equals(Optional.of(expected))) {
        throw new dev.tollgate.core.ConflictException(
            "work item '"
                + item.id()
                + "' changed since it was read; read it again and retry; nothing was written");
      }
      save(item);
    }
  }

  /**
   * When the data of item {@code id} was last written and what that time is based on; empty when
   * the store cannot tell or has no such item.
   */
  default Optional<ItemSnapshot> snapshot(String id) {
    return Optional.empty();
  }

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
