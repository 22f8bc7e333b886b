package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.workitem.WorkItemStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * A column of the delivery board that work items move through.
 *
 * @param id the id work items and transitions use, e.g. {@code in-progress}
 * @param title the name shown to people, e.g. {@code In progress}
 * @param wipLimit the most items it may hold; empty for no limit
 * @param terminal whether items in it stay closed (no action moves them out)
 * @param status the status an item gets when it enters, unless the action sets one
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Lane(
    String id,
    String title,
    OptionalInt wipLimit,
    boolean terminal,
    Optional<WorkItemStatus> status) {

  /** Checks the fields. */
  public Lane {
    if (Objects.requireNonNull(id, "id").isBlank()) {
      throw new IllegalArgumentException("lane id must not be blank");
    }
    if (Objects.requireNonNull(title, "title").isBlank()) {
      throw new IllegalArgumentException("title of lane " + id + " must not be blank");
    }
    Objects.requireNonNull(wipLimit, "wipLimit");
    if (wipLimit.isPresent() && wipLimit.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "wip limit of lane " + id + " must be >= 1 but was " + wipLimit.getAsInt());
    }
    Objects.requireNonNull(status, "status");
  }

  /** A lane without limit or status whose title is derived from the id. */
  public static Lane of(String id) {
    return new Lane(id, defaultTitle(id), OptionalInt.empty(), false, Optional.empty());
  }

  /** {@code in-progress} → {@code In progress}: the title a lane gets when none is given. */
  public static String defaultTitle(String id) {
    String spaced = id.replace('-', ' ').replace('_', ' ');
    return spaced.isEmpty() ? id : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  /** The status an item entering this lane gets when the action sets none. */
  public Optional<WorkItemStatus> entryStatus() {
    return status.isPresent()
        ? status
        : terminal ? Optional.of(WorkItemStatus.DONE) : Optional.empty();
  }
}
