package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.workitem.WorkItemStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An entry of the actions catalog: something a person does to a work item, the permission it needs,
 * the gates it must pass and the lane move it performs.
 *
 * @param id the stable identity, e.g. {@code start-execution}
 * @param title the name shown to people, e.g. {@code Start execution}
 * @param description longer text; empty when none
 * @param permission the permission the actor needs; empty when anyone may
 * @param gates the gates to pass, in the order the policy lists them
 * @param from the lanes it accepts items from; empty for any lane
 * @param to the lane it moves the item to; empty for an action that moves nothing
 * @param status the status the item gets; empty to use the target lane's entry status
 * @param state the state the item gets; empty to clear the state on a move
 * @param builtIn whether it is one of the four built-in actions
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ActionDefinition(
    String id,
    String title,
    Optional<String> description,
    Optional<String> permission,
    List<String> gates,
    List<String> from,
    Optional<String> to,
    Optional<WorkItemStatus> status,
    Optional<String> state,
    boolean builtIn) {

  /** Checks and copies the fields. */
  public ActionDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(permission, "permission");
    gates = List.copyOf(Objects.requireNonNull(gates, "gates"));
    from = List.copyOf(Objects.requireNonNull(from, "from"));
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(state, "state");
    if (gates.stream().distinct().count() != gates.size()) {
      throw new IllegalArgumentException("gates of action " + id + " list a gate twice: " + gates);
    }
  }

  /** Whether the action moves the item to another lane. */
  public boolean moves() {
    return to.isPresent();
  }

  /**
   * The gates evaluated, in order: for an action that moves the item, {@code lane-transition} and
   * {@code wip-limit} are always included, because "terminal items stay closed" and "lanes never
   * exceed their limit" are invariants, not options. An action that only sets a status always
   * includes {@code lane-transition} too, so it cannot reopen a closed item. {@code
   * lane-transition} always comes first, wherever the policy lists it, so that the guidance for a
   * closed item is "it stays closed" rather than advice about some other gate.
   */
  public List<String> effectiveGates() {
    if (!moves() && status.isEmpty()) {
      return gates;
    }
    List<String> out = new ArrayList<>();
    out.add(BuiltInGates.LANE_TRANSITION);
    if (moves() && !gates.contains(BuiltInGates.WIP_LIMIT)) {
      out.add(BuiltInGates.WIP_LIMIT);
    }
    for (String g : gates) {
      if (!g.equals(BuiltInGates.LANE_TRANSITION)) {
        out.add(g);
      }
    }
    return List.copyOf(out);
  }
}
