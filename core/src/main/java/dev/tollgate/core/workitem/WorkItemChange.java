package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A request to change the planning fields of a work item: owner, priority, due date, epic and
 * blockers. Each field is kept, set or cleared; blockers are added or removed one by one. Whether
 * an epic or blocker exists is checked when the change is applied, against the policy and the
 * backlog. Build one with {@link #builder()}.
 *
 * @param owner the new owner
 * @param priority the new rank, 1 first
 * @param due the new due date
 * @param epic the new epic id
 * @param addBlockers ids of work items the item now waits for, each once
 * @param removeBlockers entries to remove from the item's blockers (an id or free text), each once
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record WorkItemChange(
    Edit<String> owner,
    Edit<Integer> priority,
    Edit<LocalDate> due,
    Edit<String> epic,
    List<String> addBlockers,
    List<String> removeBlockers) {

  /**
   * What a change does to one field: keep its value, set a new one, or clear it.
   *
   * @param <T> the field's type
   */
  public sealed interface Edit<T> {
    /** Leaves the field as it is. */
    record Keep<T>() implements Edit<T> {}

    /** Gives the field {@code value}. */
    record SetTo<T>(T value) implements Edit<T> {
      /** Checks that the value is present. */
      public SetTo {
        Objects.requireNonNull(value, "value");
      }
    }

    /** Removes the field's value. */
    record Clear<T>() implements Edit<T> {}

    /** The value after this edit, given the value before. */
    default Optional<T> applyTo(Optional<T> before) {
      if (this instanceof SetTo<T> s) {
        return Optional.of(s.value());
      }
      return this instanceof Clear<T> ? Optional.empty() : before;
    }
  }

  /** Checks every field; a change must change something. */
  public WorkItemChange {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(due, "due");
    Objects.requireNonNull(epic, "epic");
    if (owner instanceof Edit.SetTo<String> s) {
      NewWorkItem.checkText("owner", s.value());
    }
    if (priority instanceof Edit.SetTo<Integer> s) {
      NewWorkItem.checkPriority(s.value());
    }
    if (epic instanceof Edit.SetTo<String> s) {
      NewWorkItem.checkText("epic", s.value());
    }
    addBlockers = List.copyOf(Objects.requireNonNull(addBlockers, "addBlockers"));
    removeBlockers = List.copyOf(Objects.requireNonNull(removeBlockers, "removeBlockers"));
    checkEntries("blockers to add", addBlockers);
    checkEntries("blockers to remove", removeBlockers);
    for (String b : addBlockers) {
      if (removeBlockers.contains(b)) {
        throw new IllegalArgumentException("blocker '" + b + "' is both added and removed");
      }
    }
    if (owner instanceof Edit.Keep
        && priority instanceof Edit.Keep
        && due instanceof Edit.Keep
        && epic instanceof Edit.Keep
        && addBlockers.isEmpty()
        && removeBlockers.isEmpty()) {
      throw new IllegalArgumentException(
          "a change must set, clear, add or remove something but this one keeps every field");
    }
  }

  private static void checkEntries(String name, List<String> entries) {
    for (String e : entries) {
      if (Objects.requireNonNull(e, name).isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
    }
    if (new LinkedHashSet<>(entries).size() != entries.size()) {
      throw new IllegalArgumentException(name + " must list each entry once but were " + entries);
    }
  }

  /** A builder of a change that keeps every field until told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code item} with this change applied, history untouched. Blockers to add that it already has
   * are left as they are; blockers to remove must be among its blockers.
   *
   * @throws IllegalArgumentException naming the entry when a blocker to remove is not one of the
   *     item's blockers
   */
  public WorkItem applyTo(WorkItem item) {
    WorkItem.Builder b = item.toBuilder();
    b.owner(owner.applyTo(item.owner()).orElse(null));
    Optional<Integer> rank =
        priority.applyTo(
            item.priority().isPresent()
                ? Optional.of(item.priority().getAsInt())
                : Optional.empty());
    if (rank.isPresent()) {
      b.priority(rank.get());
    } else {
      b.unranked();
    }
    b.due(due.applyTo(item.due()).orElse(null));
    b.epic(epic.applyTo(item.epic()).orElse(null));
    List<String> blockers = new ArrayList<>(item.blockers());
    for (String r : removeBlockers) {
      int at = indexOf(blockers, r);
      if (at < 0) {
        throw new IllegalArgumentException(
            item.id()
                + " has no blocker '"
                + r
                + "'"
                + (blockers.isEmpty()
                    ? " (it has no blockers)"
                    : " (its blockers: " + String.join(", ", blockers) + ")"));
      }
      blockers.remove(at);
    }
    for (String a : addBlockers) {
      if (indexOf(blockers, a) < 0) {
        blockers.add(a);
      }
    }
    return b.blockers(blockers).build();
  }

  /**
   * Where {@code entry} is in {@code blockers}, comparing as {@link Backlog#blockers} does (an
   * entry's surrounding spaces do not count); -1 when it is not there.
   */
  static int indexOf(List<String> blockers, String entry) {
    for (int i = 0; i < blockers.size(); i++) {
      if (blockers.get(i).strip().equals(entry.strip())) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What changed between {@code before} and {@code after} in the fields a change can touch, in the
   * order of the item's file: epic, priority, owner, due, then each removed and each added blocker.
   */
  public static List<FieldChange> diff(WorkItem before, WorkItem after) {
    List<FieldChange> out = new ArrayList<>();
    value(out, "epic", before.epic(), after.epic());
    value(out, "priority", text(before.priority()), text(after.priority()));
    value(out, "owner", before.owner(), after.owner());
    value(out, "due", before.due().map(LocalDate::toString), after.due().map(LocalDate::toString));
    for (String b : before.blockers()) {
      if (indexOf(after.blockers(), b) < 0) {
        out.add(FieldChange.removed("blockers", b));
      }
    }
    for (String a : after.blockers()) {
      if (indexOf(before.blockers(), a) < 0) {
        out.add(FieldChange.added("blockers", a));
      }
    }
    return out;
  }

  private static Optional<String> text(java.util.OptionalInt value) {
    return value.isPresent() ? Optional.of(Integer.toString(value.getAsInt())) : Optional.empty();
  }

  private static void value(
      List<FieldChange> out, String field, Optional<String> from, Optional<String> to) {
    if (!from.equals(to)) {
      out.add(new FieldChange(field, from, to));
    }
  }

  /** A builder of {@link WorkItemChange}s whose every setter checks its input. */
  public static final class Builder {
    private Edit<String> owner = new Edit.Keep<>();
    private Edit<Integer> priority = new Edit.Keep<>();
    private Edit<LocalDate> due = new Edit.Keep<>();
    private Edit<String> epic = new Edit.Keep<>();
    private final List<String> addBlockers = new ArrayList<>();
    private final List<String> removeBlockers = new ArrayList<>();

    private Builder() {}

    /** Sets the owner. */
    public Builder owner(String value) {
      this.owner = new Edit.SetTo<>(NewWorkItem.checkText("owner", value));
      return this;
    }

    /** Removes the owner. */
    public Builder clearOwner() {
      this.owner = new Edit.Clear<>();
      return this;
    }

    /** Sets the rank, 1 first. */
    public Builder priority(int value) {
      this.priority = new Edit.SetTo<>(NewWorkItem.checkPriority(value));
      return this;
    }

    /** Makes the item unranked. */
    public Builder clearPriority() {
      this.priority = new Edit.Clear<>();
      return this;
    }

    /** Sets the due date. */
    public Builder due(LocalDate value) {
      this.due = new Edit.SetTo<>(Objects.requireNonNull(value, "due"));
      return this;
    }

    /** Removes the due date. */
    public Builder clearDue() {
      this.due = new Edit.Clear<>();
      return this;
    }

    /** Sets the epic id. */
    public Builder epic(String value) {
      this.epic = new Edit.SetTo<>(NewWorkItem.checkText("epic", value));
      return this;
    }

    /** Takes the item out of its epic. */
    public Builder clearEpic() {
      this.epic = new Edit.Clear<>();
      return this;
    }

    /**
     * Adds the id of a work item the item waits for.
     *
     * @throws IllegalArgumentException when it is blank, already added or also removed
     */
    public Builder addBlocker(String itemId) {
      entry("blocker to add", itemId, addBlockers, removeBlockers);
      return this;
    }

    /**
     * Removes an entry from the item's blockers: an item id or free text, as the file lists it.
     *
     * @throws IllegalArgumentException when it is blank, already removed or also added
     */
    public Builder removeBlocker(String entry) {
      entry("blocker to remove", entry, removeBlockers, addBlockers);
      return this;
    }

    private static void entry(String name, String value, List<String> into, List<String> other) {
      NewWorkItem.checkText(name, value);
      if (into.contains(value)) {
        throw new IllegalArgumentException(name + " '" + value + "' is given twice");
      }
      if (other.contains(value)) {
        throw new IllegalArgumentException("blocker '" + value + "' is both added and removed");
      }
      into.add(value);
    }

    /**
     * The change.
     *
     * @throws IllegalArgumentException when it changes nothing
     */
    public WorkItemChange build() {
      return new WorkItemChange(owner, priority, due, epic, addBlockers, removeBlockers);
    }
  }
}
