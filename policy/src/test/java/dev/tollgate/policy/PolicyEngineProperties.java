package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.workitem.InMemoryWorkItemStore;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of the engine over random policies and random sequences of actions: done items stay
 * closed, lanes never exceed their WIP limits, and evaluation does not depend on the order of maps
 * in the policy file or of items in the store.
 */
class PolicyEngineProperties {
  static final List<String> LANES = List.of("backlog", "ready", "doing", "review", "done");
  static final Map<String, Integer> LIMITS = Map.of("doing", 2, "review", 1);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T09:30:00Z"), ZoneOffset.UTC);
  static final List<String> ACTORS = java.util.Arrays.asList("alice", "mallory", null);

  /** A random policy (its transitions), random initial lanes, and random steps. */
  record Scenario(
      Set<List<String>> transitions, List<Integer> itemLanes, List<List<Integer>> steps) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    List<List<String>> pairs = new ArrayList<>();
    for (String from : LANES) {
      for (String to : LANES) {
        if (!from.equals(to) && !from.equals("done")) {
          pairs.add(List.of(from, to));
        }
      }
    }
    Arbitrary<Set<List<String>>> transitions = Arbitraries.subsetOf(pairs);
    Arbitrary<List<Integer>> lanes =
        Arbitraries.integers().between(0, LANES.size() - 1).list().ofMinSize(1).ofMaxSize(7);
    Arbitrary<List<Integer>> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, ACTORS.size() - 1))
            .as(List::of);
    return Combinators.combine(transitions, lanes, step.list().ofMaxSize(40)).as(Scenario::new);
  }

  /** The policy text, with every map's entries in an order chosen by {@code shuffle}. */
  static String policyText(Scenario s, Random shuffle) {
    StringBuilder b = new StringBuilder("lanes:\n");
    for (String lane : LANES) {
      b.append("  ").append(lane).append(":");
      if (LIMITS.containsKey(lane)) {
        b.append(" {wip_limit: ").append(LIMITS.get(lane)).append("}");
      } else if (lane.equals("done")) {
        b.append(" {terminal: true}");
      }
      b.append('\n');
    }
    Map<String, List<String>> byFrom = new TreeMap<>();
    s.transitions()
        .forEach(p -> byFrom.computeIfAbsent(p.get(0), k -> new ArrayList<>()).add(p.get(1)));
    b.append(byFrom.isEmpty() ? "transitions: {}\n" : "transitions:\n");
    for (String from : shuffled(byFrom.keySet(), shuffle)) {
      b.append("  ")
          .append(from)
          .append(": [")
          .append(String.join(", ", shuffled(byFrom.get(from), shuffle)))
          .append("]\n");
    }
    Map<String, String> sections = new LinkedHashMap<>();
    sections.put("teams", "  core: [alice]\n  other: [bob]\n");
    sections.put(
        "permissions",
        "  p.go: {teams: [core, other], users: [carol]}\n  p.other: {users: [bob]}\n");
    List<String> actions = new ArrayList<>();
    for (String lane : LANES) {
      actions.add("  to-" + lane + ": {permission: p.go, gates: [permission], to: " + lane + "}\n");
    }
    actions.add("  reopen: {status: open}\n");
    actions.add("  record: {permission: p.go}\n");
    sections.put("actions", String.join("", shuffled(actions, shuffle)));
    for (String key : shuffled(sections.keySet(), shuffle)) {
      b.append(key).append(":\n").append(sections.get(key));
    }
    return b.toString();
  }

  static <T> List<T> shuffled(java.util.Collection<T> in, Random r) {
    List<T> out = new ArrayList<>(in);
    Collections.shuffle(out, r);
    return out;
  }

  /** Items in the scenario's lanes, moved to backlog where a lane would start over its limit. */
  static List<WorkItem> items(Scenario s) {
    List<WorkItem> out = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < s.itemLanes().size(); i++) {
      String lane = LANES.get(s.itemLanes().get(i));
      if (counts.getOrDefault(lane, 0) >= LIMITS.getOrDefault(lane, Integer.MAX_VALUE)) {
        lane = "backlog";
      }
      counts.merge(lane, 1, Integer::sum);
      out.add(
          WorkItem.builder("wi-" + i, "Item " + i, lane)
              .status(lane.equals("done") ? WorkItemStatus.DONE : WorkItemStatus.OPEN)
              .build());
    }
    return out;
  }

  static PolicyEngine engine(Scenario s, Random shuffle, List<WorkItem> items) {
    Policy policy =
        PolicyLoader.parse(policyText(s, shuffle), ".tollgate/policy.yml", BuiltInGates.registry());
    return PolicyEngine.of(
        Path.of("build-nothing-here"),
        policy,
        new InMemoryWorkItemStore(items),
        BuiltInGates.registry(),
        CLOCK);
  }

  /** Applies the scenario's steps, checking the invariants after each one. */
  static void run(Scenario s, PolicyEngine engine) {
    List<String> actions = engine.policy().actions().stream().map(ActionDefinition::id).toList();
    int n = engine.store().list().size();
    for (List<Integer> step : s.steps()) {
      String id = "wi-" + (step.get(0) % n);
      Set<String> closed = new TreeSet<>();
      engine.store().list().stream()
          .filter(i -> i.lane().equals("done"))
          .forEach(i -> closed.add(i.id()));
      engine.perform(id, actions.get(step.get(1) % actions.size()), ACTORS.get(step.get(2)), CLOCK);
      for (WorkItem i : engine.store().list()) {
        if (closed.contains(i.id())) {
          assertThat(i.lane()).as("done item %s stays in done", i.id()).isEqualTo("done");
          assertThat(i.status())
              .as("done item %s stays done", i.id())
              .isEqualTo(WorkItemStatus.DONE);
        }
      }
      LIMITS.forEach(
          (lane, limit) ->
              assertThat(engine.store().backlog().inLane(lane))
                  .as("lane %s", lane)
                  .hasSizeLessThanOrEqualTo(limit));
    }
  }

  @Property(tries = 300)
  void no_sequence_of_actions_moves_a_done_item_back_or_overfills_a_lane(
      @ForAll("scenarios") Scenario s) {
    run(s, engine(s, new Random(1), items(s)));
  }

  @Property(tries = 200)
  void evaluation_is_independent_of_map_and_item_order(
      @ForAll("scenarios") Scenario s, @ForAll long seedA, @ForAll long seedB) {
    List<WorkItem> items = items(s);
    List<WorkItem> reversed = new ArrayList<>(items);
    Collections.reverse(reversed);
    PolicyEngine a = engine(s, new Random(seedA), items);
    PolicyEngine b = engine(s, new Random(seedB), reversed);
    assertThat(b.policy()).isEqualTo(a.policy());
    for (WorkItem i : items) {
      for (String actor : ACTORS) {
        assertThat(b.actions(i.id(), actor)).isEqualTo(a.actions(i.id(), actor));
      }
    }
    run(s, a);
    run(s, b);
    assertThat(b.store().list()).isEqualTo(a.store().list());
  }
}
