package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * One field of a work item that a write changed, as text: a value set, replaced or cleared, or one
 * entry added to or removed from a list field.
 *
 * @param field the field as spelled in the item's file, e.g. {@code owner} or {@code blockers}
 * @param from the value before; empty when it had none, or for an entry added to a list
 * @param to the value after; empty when it was cleared, or for an entry removed from a list
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record FieldChange(String field, Optional<String> from, Optional<String> to) {
  private static final Set<String> LISTS = Set.of("blockers", "done_criteria");

  /** Checks that every field is present and something changed. */
  public FieldChange {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.equals(to)) {
      throw new IllegalArgumentException(field + " did not change: both sides are " + from);
    }
    if (isList(field) && from.isPresent() == to.isPresent()) {
      throw new IllegalArgumentException(
          "a change of the list " + field + " adds or removes one entry");
    }
  }

  /** A value that went from {@code from} to {@code to}; {@code null} means none. */
  public static FieldChange of(String field, String from, String to) {
    return new FieldChange(field, Optional.ofNullable(from), Optional.ofNullable(to));
  }

  /** An entry added to the list field {@code field}. */
  public static FieldChange added(String field, String entry) {
    return new FieldChange(field, Optional.empty(), Optional.of(entry));
  }

  /** An entry removed from the list field {@code field}. */
  public static FieldChange removed(String field, String entry) {
    return new FieldChange(field, Optional.of(entry), Optional.empty());
  }

  /** Whether this adds or removes one entry of a list field rather than changing a value. */
  public boolean listEntry() {
    return isList(field);
  }

  private static boolean isList(String field) {
    return LISTS.contains(field);
  }

  /**
   * The change after the field's name, as people read it: {@code alice → bob}, {@code - →
   * 2026-04-01} (a value set), {@code + wi-2} and {@code - vendor contract} (list entries).
   */
  public String describe() {
    if (listEntry()) {
      return to.isPresent() ? "+ " + to.get() : "- " + from.get();
    }
    return from.orElse("-") + " → " + to.orElse("-");
  }

  /** {@code owner alice → bob}, {@code blockers + wi-2}: the field and {@link #describe()}. */
  @Override
  public String toString() {
    return field + " " + describe();
  }
}
