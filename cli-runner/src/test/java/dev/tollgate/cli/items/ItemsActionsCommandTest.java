package dev.tollgate.cli.items;

import static dev.tollgate.cli.items.ItemsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.cli.items.ItemsFixture.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemsActionsCommandTest {
  @TempDir Path dir;
  ItemsFixture project;

  @BeforeEach
  void setUp() {
    ItemsFixture.fixClock();
    project = ItemsFixture.standard(dir);
  }

  @AfterEach
  void tearDown() {
    ItemsFixture.resetClock();
  }

  private JsonNode actions(String id, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("items", "actions", id, "--dir", project.dir(), "--format", "json"));
    args.addAll(List.of(extra));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    return r.json();
  }

  private static JsonNode action(JsonNode doc, String identity) {
    for (JsonNode a : doc.get("actions")) {
      if (a.get("identity").asText().equals(identity)) {
        return a;
      }
    }
    throw new AssertionError("no action " + identity + " in " + doc);
  }

  private static JsonNode gate(JsonNode action, String gate) {
    for (JsonNode g : action.get("gates")) {
      if (g.get("gate").asText().equals(gate)) {
        return g;
      }
    }
    throw new AssertionError("no gate " + gate + " in " + action);
  }

  @Test
  void every_catalog_action_is_listed_with_its_gates() {
    JsonNode doc = actions("wi-1", "--actor", "alice");
    assertThat(doc.get("item").asText()).isEqualTo("wi-1");
    assertThat(doc.get("actor").asText()).isEqualTo("alice");
    List<String> ids = new ArrayList<>();
    doc.get("actions").forEach(a -> ids.add(a.get("identity").asText()));
    assertThat(ids)
        .containsExactly("start-execution", "request-review", "prepare-release", "record-history");

    JsonNode start = action(doc, "start-execution");
    assertThat(start.get("title").asText()).isEqualTo("Start execution");
    assertThat(start.get("permission").asText()).isEqualTo("factory.work-item.execute");
    assertThat(start.get("enabled").isBoolean()).isTrue();
    assertThat(start.get("enabled").asBoolean()).isTrue();
    assertThat(start.get("recovery").isNull()).isTrue();
    List<String> gates = new ArrayList<>();
    start.get("gates").forEach(g -> gates.add(g.get("gate").asText()));
    assertThat(gates)
        .containsExactly(
            "lane-transition", "lane-eligibility", "wip-limit", "permission", "context-visibility");
    start.get("gates").forEach(g -> assertThat(g.get("status").asText()).isEqualTo("pass"));
    assertThat(gate(start, "permission").get("reason").asText())
        .isEqualTo("alice holds factory.work-item.execute (team platform)");
  }

  @Test
  void a_blocked_action_carries_recovery_guidance() {
    JsonNode review = action(actions("wi-1", "--actor", "alice"), "request-review");
    assertThat(review.get("enabled").asBoolean()).isFalse();
    JsonNode permission = gate(review, "permission");
    assertThat(permission.get("status").asText()).isEqualTo("blocked");
    assertThat(permission.get("reason").asText())
        .isEqualTo("alice does not hold factory.work-item.review");
    JsonNode recovery = review.get("recovery");
    assertThat(recovery.get("cause").asText())
        .isEqualTo("Items in Ready cannot move straight to Review");
    assertThat(recovery.get("policyContext").asText())
        .isEqualTo("transitions.ready allows: backlog, in-progress");
    assertThat(recovery.get("nextStep").asText())
        .isEqualTo(
            "Move the item to one of backlog, in-progress first, or ask a policy owner to allow"
                + " ready → review");
    assertThat(recovery.get("safeRetry").asText())
        .isEqualTo("Retrying is safe but stays blocked while the item is in ready");
  }

  @Test
  void starting_execution_of_a_done_item_is_blocked_by_lane_transition() {
    JsonNode start = action(actions("wi-3", "--actor", "alice"), "start-execution");
    assertThat(start.get("enabled").asBoolean()).isFalse();
    JsonNode transition = gate(start, "lane-transition");
    assertThat(transition.get("status").asText()).isEqualTo("blocked");
    assertThat(transition.get("reason").asText()).isEqualTo("wi-3 is in the terminal lane done");
    JsonNode recovery = start.get("recovery");
    assertThat(recovery.get("cause").asText())
        .isEqualTo("Done items stay closed; Start execution cannot move them backward");
    assertThat(recovery.get("policyContext").asText())
        .isEqualTo("lanes.done.terminal: true in .tollgate/policy.yml");
    assertThat(recovery.get("nextStep").asText())
        .isEqualTo(
            "Create a net-new work item if more delivery is needed instead of reopening this one");
    assertThat(recovery.get("safeRetry").asText())
        .isEqualTo("Do not retry Start execution on a done item");
    assertThat(transition.get("recovery")).isEqualTo(recovery);
  }

  @Test
  void without_an_actor_permissions_are_blocked() {
    JsonNode doc = actions("wi-1");
    assertThat(doc.get("actor").isNull()).isTrue();
    JsonNode permission = gate(action(doc, "start-execution"), "permission");
    assertThat(permission.get("status").asText()).isEqualTo("blocked");
    assertThat(permission.get("recovery").get("nextStep").asText())
        .isEqualTo("Name the actor who performs the action (e.g. --actor NAME)");
  }

  @Test
  void text_lists_each_action_with_its_gates() {
    Run r = run("items", "actions", "wi-3", "--dir", project.dir(), "--actor", "alice");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .startsWith(
            "Actions for wi-3 as alice:\n"
                + "\n"
                + "blocked  start-execution  Start execution (done → in-progress)\n"
                + "  blocked lane-transition: wi-3 is in the terminal lane done\n"
                + "    cause: Done items stay closed; Start execution cannot move them backward\n"
                + "    policy: lanes.done.terminal: true in .tollgate/policy.yml\n"
                + "    next step: Create a net-new work item if more delivery is needed instead"
                + " of reopening this one\n"
                + "    safe retry: Do not retry Start execution on a done item\n"
                + "  pass lane-eligibility: Start execution accepts items from any lane\n"
                + "  pass wip-limit: lane in-progress holds 1 of 2 items\n");
    assertThat(r.out()).contains("\nblocked  record-history  Record history\n");
  }

  @Test
  void unknown_item_is_bad_input() {
    Run r = run("items", "actions", "nope", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "no work item 'nope'\nTry 'tollgate items actions --help' for more information.\n");
  }
}
