package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input in the policy and in work items: each a BAD_INPUT error with file:line:column. */
class PolicyLoaderTest {
  static final String FILE = ".tollgate/policy.yml";

  static Policy parse(String text) {
    return PolicyLoader.parse(text, FILE, BuiltInGates.registry());
  }

  static void assertBad(String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(TollgateException.class)
        .hasMessage(message)
        .extracting(e -> ((TollgateException) e).kind())
        .isEqualTo(TollgateException.Kind.BAD_INPUT);
  }

  @Test
  void reads_lanes_in_order_and_built_in_actions_first() {
    Policy p = parse(Project.POLICY);
    assertThat(p.laneIds()).containsExactly("backlog", "ready", "in-progress", "review", "done");
    assertThat(p.lane("done").orElseThrow().terminal()).isTrue();
    assertThat(p.lane("in-progress").orElseThrow().title()).isEqualTo("In progress");
    assertThat(p.actions())
        .extracting(ActionDefinition::id)
        .containsExactly(
            "start-execution", "request-review", "prepare-release", "record-history", "ship");
    ActionDefinition start = p.action("start-execution").orElseThrow();
    assertThat(start.from()).containsExactly("ready");
    assertThat(start.to()).contains("in-progress");
    assertThat(p.action("ship").orElseThrow().effectiveGates())
        .containsExactly("lane-transition", "wip-limit", "permission", "pull-request");
  }

  @Test
  void unknown_top_level_key_suggests_the_closest() {
    assertBad(
        "lanes: {a: }\ntransition: {}\n",
        FILE + ":2:1: unknown key 'transition'; did you mean `transitions`?");
  }

  @Test
  void negative_wip_limit_names_expected_and_actual() {
    assertBad(
        "lanes:\n  review:\n    wip_limit: -1\n",
        FILE + ":3:16: lanes.review.wip_limit must be >= 1 but was '-1'");
  }

  @Test
  void wrong_type_is_reported() {
    assertBad(
        "lanes:\n  review:\n    terminal: maybe\n",
        FILE + ":3:15: lanes.review.terminal must be true or false but was 'maybe'");
  }

  @Test
  void transition_to_an_undeclared_lane_suggests_the_closest() {
    assertBad(
        "lanes: {ready: , review: }\ntransitions:\n  ready: [reviw]\n",
        FILE
            + ":3:11: transitions.ready[0] names the lane 'reviw', which is not declared under"
            + " lanes; did you mean `review`?");
  }

  @Test
  void transition_from_an_undeclared_lane_is_reported_at_its_key() {
    assertBad(
        "lanes: {ready: , review: }\ntransitions:\n  redy: [review]\n",
        FILE
            + ":3:3: transitions.redy names the lane 'redy', which is not declared under lanes;"
            + " did you mean `ready`?");
  }

  @Test
  void terminal_lanes_have_no_outgoing_transitions() {
    assertBad(
        "lanes:\n  ready:\n  done: {terminal: true}\ntransitions:\n  done: [ready]\n",
        FILE
            + ":5:3: transitions.done moves items out of the terminal lane done, but items in a"
            + " terminal lane stay closed");
  }

  @Test
  void unknown_gate_suggests_the_closest() {
    assertBad(
        "lanes: {a: }\nactions:\n  go:\n    gates: [wip-limits]\n",
        FILE
            + ":4:13: actions.go.gates[0] names the gate 'wip-limits', which is not installed; did"
            + " you mean `wip-limit`?");
  }

  @Test
  void action_to_an_undeclared_lane_is_bad_input() {
    assertBad(
        "lanes: {a: }\nactions:\n  go:\n    to: review\n",
        FILE + ":4:9: actions.go.to names the lane 'review', which is not declared under lanes");
  }

  @Test
  void undeclared_team_and_permission_are_bad_input() {
    assertBad(
        "lanes: {a: }\nteams: {platform: [al]}\npermissions:\n  p.x: {teams: [platfrom]}\n"
            + "actions:\n  go: {permission: p.y}\n",
        FILE
            + ":4:17: permissions.p.x.teams[0] names the team 'platfrom', which is not declared"
            + " under teams; did you mean `platform`?\n"
            + FILE
            + ":6:20: actions.go.permission names the permission 'p.y', which is not declared"
            + " under permissions; did you mean `p.x`?");
  }

  @Test
  void an_action_that_moves_may_not_start_from_a_terminal_lane() {
    assertBad(
        "lanes: {a: , done: {terminal: true}}\nactions:\n  reopen: {from: [done], to: a}\n",
        FILE
            + ":3:19: actions.reopen.from lists the terminal lane done, but items in a terminal"
            + " lane stay closed and reopen moves items");
  }

  @Test
  void malformed_yaml_is_bad_input() {
    assertThatThrownBy(() -> parse("lanes: [\n"))
        .isInstanceOf(TollgateException.class)
        .hasMessageStartingWith(FILE + ":");
  }

  @Test
  void missing_policy_file_is_bad_input(@TempDir Path root) {
    assertThatThrownBy(() -> PolicyEngine.load(root))
        .isInstanceOf(TollgateException.class)
        .hasMessage(FILE + ": file does not exist");
  }

  @Test
  void work_item_in_an_undeclared_lane_or_epic_is_bad_input(@TempDir Path root) {
    new Project(root)
        .policy(Project.POLICY)
        .item("wi-1", "reviw", "open")
        .item("wi-2", "ready", "open", "epic: BX");
    assertThatThrownBy(() -> PolicyEngine.load(root))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            "work-items/wi-1.yml:3:7: lane names the lane 'reviw', which .tollgate/policy.yml does"
                + " not declare; did you mean `review`?\n"
                + "work-items/wi-2.yml:5:7: epic names the epic 'BX', which .tollgate/policy.yml"
                + " does not declare; did you mean `BF`?");
  }

  @Test
  void duplicate_work_item_ids_are_bad_input(@TempDir Path root) {
    new Project(root)
        .policy(Project.POLICY)
        .file("work-items/a.yml", "id: wi-1\ntitle: A\nlane: ready\nstatus: open\n")
        .file("work-items/b.yml", "id: wi-1\ntitle: B\nlane: ready\nstatus: open\n");
    assertThatThrownBy(() -> PolicyEngine.load(root))
        .hasMessage(
            "work-items/b.yml:1:5: duplicate work item id 'wi-1' (also in work-items/a.yml:1:5)");
  }
}
