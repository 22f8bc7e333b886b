package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.workitem.Epic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * The delivery rules of a project, as declared in {@code .tollgate/policy.yml}: lanes in board
 * order, allowed transitions, epics, teams, permissions and the actions catalog. Read one with
 * {@link PolicyLoader}. Every map is sorted by key, so nothing depends on the order of the file.
 *
 * @param file where it was read from, as shown to users
 * @param lanes the lanes in board order
 * @param transitions lane id to the lanes an item may move to from it
 * @param epics epic id to epic
 * @param teams team name to member names
 * @param permissions permission to who holds it
 * @param actions the actions catalog: built-ins first in a fixed order, then the others by id
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Policy(
    String file,
    List<Lane> lanes,
    Map<String, Set<String>> transitions,
    Map<String, Epic> epics,
    Map<String, Set<String>> teams,
    Map<String, Grant> permissions,
    List<ActionDefinition> actions) {

  /** Copies every collection, sorting maps and sets, and checks that ids are unique. */
  public Policy {
    Objects.requireNonNull(file, "file");
    lanes = List.copyOf(lanes);
    transitions = sortedSets(transitions);
    epics = Collections.unmodifiableMap(new TreeMap<>(epics));
    teams = sortedSets(teams);
    permissions = Collections.unmodifiableMap(new TreeMap<>(permissions));
    actions = List.copyOf(actions);
    if (lanes.stream().map(Lane::id).distinct().count() != lanes.size()) {
      throw new IllegalArgumentException("two lanes share an id");
    }
    if (actions.stream().map(ActionDefinition::id).distinct().count() != actions.size()) {
      throw new IllegalArgumentException("two actions share an id");
    }
  }

  private static Map<String, Set<String>> sortedSets(Map<String, Set<String>> in) {
    TreeMap<String, Set<String>> out = new TreeMap<>();
    in.forEach((k, v) -> out.put(k, Collections.unmodifiableSortedSet(new TreeSet<>(v))));
    return Collections.unmodifiableMap(out);
  }

  /** The lane {@code id}, if declared. */
  public Optional<Lane> lane(String id) {
    return lanes.stream().filter(l -> l.id().equals(id)).findFirst();
  }

  /** The lane ids in board order. */
  public List<String> laneIds() {
    return lanes.stream().map(Lane::id).toList();
  }

  /** The lanes an item in lane {@code from} may move to, sorted; empty for terminal lanes. */
  public Set<String> allowedTargets(String from) {
    return transitions.getOrDefault(from, Set.of());
  }

  /** The action {@code id}, if in the catalog. */
  public Optional<ActionDefinition> action(String id) {
    return actions.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /** The epic {@code id}, if declared. */
  public Optional<Epic> epic(String id) {
    return Optional.ofNullable(epics.get(id));
  }

  /**
   * The ways {@code actor} holds {@code permission}, e.g. {@code ["user alice"]} or {@code ["team
   * platform"]}; empty when the actor does not hold it.
   */
  public List<String> grantsOf(String permission, String actor) {
    Grant g = permissions.get(permission);
    List<String> out = new ArrayList<>();
    if (g == null || actor == null) {
      return out;
    }
    if (g.users().contains(actor)) {
      out.add("user " + actor);
    }
    for (String team : g.teams()) {
      if (teams.getOrDefault(team, Set.of()).contains(actor)) {
        out.add("team " + team);
      }
    }
    return out;
  }
}
