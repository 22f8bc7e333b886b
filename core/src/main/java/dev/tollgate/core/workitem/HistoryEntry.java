package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One line of a work item's history: who performed which action when, and the lane move it made.
 *
 * @param at when it happened
 * @param actor who did it
 * @param action the action's identity, e.g. {@code start-execution}
 * @param from the lane before; empty for actions that move nothing
 * @param to the lane after; empty for actions that move nothing
 * @param note free text; empty when none
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record HistoryEntry(
    Instant at,
    String actor,
    String action,
    Optional<String> from,
    Optional<String> to,
    Optional<String> note) {

  /** Checks that every field is present and the actor and action are not blank. */
  public HistoryEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(note, "note");
    if (Objects.requireNonNull(actor, "actor").isBlank()) {
      throw new IllegalArgumentException("actor must not be blank");
    }
    if (Objects.requireNonNull(action, "action").isBlank()) {
      throw new IllegalArgumentException("action must not be blank");
    }
    if (from.isPresent() != to.isPresent()) {
      throw new IllegalArgumentException("from and to must both be present or both be empty");
    }
    note = note.filter(n -> !n.isBlank());
    // Second precision keeps files readable and round-trips exactly.
    at = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** An entry recording a lane move. */
  public static HistoryEntry move(Instant at, String actor, String action, String from, String to) {
    return new HistoryEntry(
        at, actor, action, Optional.of(from), Optional.of(to), Optional.empty());
  }

  /** An entry recording an action that moved nothing. */
  public static HistoryEntry note(Instant at, String actor, String action, String note) {
    return new HistoryEntry(
        at, actor, action, Optional.empty(), Optional.empty(), Optional.ofNullable(note));
  }
}
