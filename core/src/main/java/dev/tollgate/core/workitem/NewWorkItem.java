package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * A request to create a work item: what it is, where it starts and who owns it. Whether its lane,
 * epic and blockers exist is checked when it is created, against the policy and the backlog; this
 * value checks only what it can check alone. Build one with {@link #builder(String, String)}.
 *
 * @param id the new item's id; letters, digits, {@code .}, {@code _}, {@code -}
 * @param title one line saying what it is
 * @param lane the lane it starts in; empty for the policy's first lane
 * @param owner who is responsible; empty when nobody is yet
 * @param priority its rank, 1 first; empty when not ranked
 * @param due the due date; empty when none
 * @param epic the id of the epic it belongs to; empty when none
 * @param blockers ids of the work items it waits for, each once
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record NewWorkItem(
    String id,
    String title,
    Optional<String> lane,
    Optional<String> owner,
    OptionalInt priority,
    Optional<LocalDate> due,
    Optional<String> epic,
    List<String> blockers) {

  /** Checks every field, with the messages of the builder's setters. */
  public NewWorkItem {
    checkId(id);
    checkText("title", title);
    Objects.requireNonNull(lane, "lane").ifPresent(v -> checkText("lane", v));
    Objects.requireNonNull(owner, "owner").ifPresent(v -> checkText("owner", v));
    Objects.requireNonNull(priority, "priority").ifPresent(NewWorkItem::checkPriority);
    Objects.requireNonNull(due, "due");
    Objects.requireNonNull(epic, "epic").ifPresent(v -> checkText("epic", v));
    blockers = List.copyOf(Objects.requireNonNull(blockers, "blockers"));
    for (String b : blockers) {
      checkText("blocker", b);
    }
    if (new LinkedHashSet<>(blockers).size() != blockers.size()) {
      throw new IllegalArgumentException("blockers must name each item once but were " + blockers);
    }
  }

  /**
   * A builder for an item with {@code id} and {@code title}.
   *
   * @throws IllegalArgumentException when the id is not a valid id or the title is blank
   */
  public static Builder builder(String id, String title) {
    return new Builder(id, title);
  }

  static void checkId(String id) {
    if (!WorkItem.ID.matcher(Objects.requireNonNull(id, "id")).matches()) {
      throw new IllegalArgumentException(
          "id must start with a letter or digit and contain only letters, digits, '.', '_' and"
              + " '-' but was '"
              + id
              + "'");
    }
  }

  static String checkText(String name, String value) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    if (!value.equals(value.strip())) {
      throw new IllegalArgumentException(
          name + " must not start or end with spaces but was '" + value + "'");
    }
    return value;
  }

  static int checkPriority(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("priority must be >= 1 but was " + value);
    }
    return value;
  }

  /** A builder of {@link NewWorkItem}s whose every setter checks its input. */
  public static final class Builder {
    private final String id;
    private final String title;
    private Optional<String> lane = Optional.empty();
    private Optional<String> owner = Optional.empty();
    private OptionalInt priority = OptionalInt.empty();
    private Optional<LocalDate> due = Optional.empty();
    private Optional<String> epic = Optional.empty();
    private final List<String> blockers = new ArrayList<>();

    private Builder(String id, String title) {
      checkId(id);
      this.id = id;
      this.title = checkText("title", title);
    }

    /** Sets the lane it starts in; without it, the policy's first lane. */
    public Builder lane(String value) {
      this.lane = Optional.of(checkText("lane", value));
      return this;
    }

    /** Sets the owner. */
    public Builder owner(String value) {
      this.owner = Optional.of(checkText("owner", value));
      return this;
    }

    /** Sets the rank, 1 first. */
    public Builder priority(int value) {
      this.priority = OptionalInt.of(checkPriority(value));
      return this;
    }

    /** Sets the due date. */
    public Builder due(LocalDate value) {
      this.due = Optional.of(Objects.requireNonNull(value, "due"));
      return this;
    }

    /** Sets the epic id. */
    public Builder epic(String value) {
      this.epic = Optional.of(checkText("epic", value));
      return this;
    }

    /**
     * Adds the id of a work item it waits for.
     *
     * @throws IllegalArgumentException when it is blank or already added
     */
    public Builder blockedBy(String itemId) {
      checkText("blocker", itemId);
      if (blockers.contains(itemId)) {
        throw new IllegalArgumentException("blocker '" + itemId + "' is given twice");
      }
      blockers.add(itemId);
      return this;
    }

    /** The request. */
    public NewWorkItem build() {
      return new NewWorkItem(id, title, lane, owner, priority, due, epic, blockers);
    }
  }
}
