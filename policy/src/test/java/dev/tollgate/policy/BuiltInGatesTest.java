package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.gate.Recovery;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One passing and one blocked case per built-in gate, with the recovery guidance. */
class BuiltInGatesTest {
  @TempDir Path dir;

  Project project() {
    return new Project(dir).policy(Project.POLICY);
  }

  GateResult gate(String item, String action, String actor, String gate) {
    return PolicyEngine.load(dir)
        .evaluate(item, action, actor)
        .verdict()
        .result(gate)
        .orElseThrow();
  }

  @Test
  void lane_transition_passes_along_a_declared_transition() {
    project().item("wi-1", "ready", "open").prompt("wi-1");
    GateResult r = gate("wi-1", "start-execution", "alice", "lane-transition");
    assertThat(r)
        .isEqualTo(GateResult.pass("lane-transition", "the move ready → in-progress is allowed"));
  }

  @Test
  void lane_transition_keeps_done_items_closed() {
    project().item("wi-1", "done", "done");
    GateResult r = gate("wi-1", "start-execution", "alice", "lane-transition");
    assertThat(r.status()).isEqualTo(GateStatus.BLOCKED);
    assertThat(r.reason()).isEqualTo("wi-1 is in the terminal lane done");
    assertThat(r.recovery())
        .contains(
            Recovery.of(
                "Done items stay closed; Start execution cannot move them backward",
                "lanes.done.terminal: true in .tollgate/policy.yml",
                "Create a net-new work item if more delivery is needed instead of reopening this one",
                "Do not retry Start execution on a done item"));
  }

  @Test
  void done_item_guidance_comes_from_lane_transition_even_when_the_action_lists_from_lanes() {
    // Regression: with `from: [ready]` the lane-eligibility gate ran first, so the action's
    // guidance for a Done item was "move it to ready first", contradicting "Done stays closed".
    project().item("wi-1", "done", "done");
    ActionView view =
        PolicyEngine.load(dir).actions("wi-1", "alice").stream()
            .filter(a -> a.identity().equals("start-execution"))
            .findFirst()
            .orElseThrow();
    assertThat(view.enabled()).isFalse();
    assertThat(view.gates().get(0).gate()).isEqualTo("lane-transition");
    assertThat(view.recovery().orElseThrow().cause())
        .isEqualTo("Done items stay closed; Start execution cannot move them backward");
  }

  @Test
  void lane_transition_blocks_a_move_the_policy_does_not_allow() {
    project().item("wi-1", "backlog", "open");
    GateResult r = gate("wi-1", "request-review", "carol", "lane-transition");
    assertThat(r.reason()).isEqualTo("the policy allows no move from backlog to review");
    Recovery g = r.recovery().orElseThrow();
    assertThat(g.cause()).isEqualTo("Items in Backlog cannot move straight to Review");
    assertThat(g.policyContext()).isEqualTo("transitions.backlog allows: ready");
    assertThat(g.nextStep())
        .isEqualTo(
            "Move the item to one of ready first, or ask a policy owner to allow backlog → review");
    assertThat(g.safeRetry())
        .isEqualTo("Retrying is safe but stays blocked while the item is in backlog");
  }

  @Test
  void lane_transition_blocks_a_built_in_whose_default_lane_is_not_declared() {
    project().item("wi-1", "review", "open");
    GateResult r = gate("wi-1", "prepare-release", "carol", "lane-transition");
    assertThat(r.reason())
        .isEqualTo(
            "prepare-release moves items to lane release, which the policy does not declare");
    assertThat(r.recovery().orElseThrow().nextStep())
        .isEqualTo(
            "Declare the lane release in .tollgate/policy.yml or set actions.prepare-release.to to"
                + " one of its lanes");
  }

  @Test
  void lane_eligibility_passes_for_an_item_in_an_accepted_lane() {
    project().item("wi-1", "ready", "open");
    assertThat(gate("wi-1", "start-execution", "alice", "lane-eligibility").reason())
        .isEqualTo("lane ready is one of start-execution's lanes: ready");
  }

  @Test
  void lane_eligibility_blocks_an_item_outside_the_actions_lanes() {
    project().item("wi-1", "backlog", "open");
    GateResult r = gate("wi-1", "start-execution", "alice", "lane-eligibility");
    assertThat(r.status()).isEqualTo(GateStatus.BLOCKED);
    assertThat(r.recovery())
        .contains(
            Recovery.of(
                "Start execution applies only to items in ready; wi-1 is in backlog",
                "actions.start-execution.from: [ready]",
                "Move the item to one of ready first",
                "Retrying is safe but stays blocked while the item is in backlog"));
  }

  @Test
  void wip_limit_passes_while_the_lane_has_room() {
    project().item("wi-1", "ready", "open").item("wi-2", "in-progress", "in-progress");
    assertThat(gate("wi-1", "start-execution", "alice", "wip-limit"))
        .isEqualTo(GateResult.pass("wip-limit", "lane in-progress holds 1 of 2 items"));
  }

  @Test
  void wip_limit_blocks_a_full_lane_and_names_the_items_holding_it() {
    project()
        .item("wi-1", "ready", "open")
        .item("wi-3", "in-progress", "in-progress")
        .item("wi-2", "in-progress", "in-progress");
    GateResult r = gate("wi-1", "start-execution", "alice", "wip-limit");
    assertThat(r.reason()).isEqualTo("lane in-progress is full: 2 of 2 (wi-2, wi-3)");
    assertThat(r.recovery())
        .contains(
            Recovery.of(
                "Lane In progress already holds its limit of 2 items: wi-2, wi-3",
                "lanes.in-progress.wip_limit: 2",
                "Finish or move one of wi-2, wi-3 out of in-progress first",
                "Retrying is safe; it stays blocked until an item leaves in-progress"));
  }

  @Test
  void permission_passes_through_a_team() {
    project().item("wi-1", "ready", "open");
    assertThat(gate("wi-1", "start-execution", "bob", "permission").reason())
        .isEqualTo("bob holds factory.work-item.execute (team platform)");
  }

  @Test
  void permission_blocks_an_actor_without_the_grant() {
    project().item("wi-1", "ready", "open");
    GateResult r = gate("wi-1", "start-execution", "mallory", "permission");
    assertThat(r.reason()).isEqualTo("mallory does not hold factory.work-item.execute");
    assertThat(r.recovery())
        .contains(
            Recovery.of(
                "Start execution needs the permission factory.work-item.execute, which mallory does"
                    + " not hold",
                "permissions.factory.work-item.execute grants users: none; teams: platform",
                "Ask someone who holds factory.work-item.execute, or ask a policy owner to grant it"
                    + " to mallory or one of their teams",
                "Retrying is safe but stays blocked until the grant changes"));
  }

  @Test
  void permission_blocks_when_no_actor_is_named() {
    project().item("wi-1", "ready", "open");
    assertThat(
            gate("wi-1", "start-execution", null, "permission").recovery().orElseThrow().nextStep())
        .isEqualTo("Name the actor who performs the action (e.g. --actor NAME)");
  }

  @Test
  void pull_request_passes_when_one_is_linked() {
    project().item("wi-1", "in-progress", "in-progress", "pr: https://github.com/acme/app/pull/7");
    assertThat(gate("wi-1", "request-review", "carol", "pull-request").reason())
        .isEqualTo("pull request linked: https://github.com/acme/app/pull/7");
  }

  @Test
  void pull_request_blocks_when_none_is_linked() {
    project().item("wi-1", "in-progress", "in-progress", "branch: bf/BF-1-x");
    GateResult r = gate("wi-1", "request-review", "carol", "pull-request");
    assertThat(r.recovery())
        .contains(
            Recovery.of(
                "Request review needs a linked pull request and wi-1 has none",
                "actions.request-review.gates includes pull-request",
                "Open a pull request for branch bf/BF-1-x and set pr: <URL> in the item's file",
                "Retrying is safe once the pr field is set"));
  }

  @Test
  void context_visibility_passes_when_the_prompt_file_is_readable() {
    project().item("wi-1", "ready", "open").prompt("wi-1");
    assertThat(gate("wi-1", "start-execution", "alice", "context-visibility").reason())
        .isEqualTo("context file work-items/prompts/wi-1.prompt.md is readable");
  }

  @Test
  void context_visibility_blocks_when_the_prompt_file_is_missing() {
    project().item("wi-1", "ready", "open");
    GateResult r = gate("wi-1", "start-execution", "alice", "context-visibility");
    assertThat(r.reason())
        .isEqualTo("context file work-items/prompts/wi-1.prompt.md does not exist");
    assertThat(r.recovery().orElseThrow().nextStep())
        .isEqualTo("Create work-items/prompts/wi-1.prompt.md with the prompt and context for wi-1");
  }

  @Test
  void context_visibility_blocks_a_prompt_reached_through_a_symlink_outside_the_project(
      @TempDir Path outside) throws Exception {
    // A '..' path is refused when the item loads; a symbolic link is only seen on disk.
    java.nio.file.Files.writeString(outside.resolve("secrets.md"), "# secret\n");
    try {
      java.nio.file.Files.createSymbolicLink(dir.resolve("elsewhere"), outside);
    } catch (UnsupportedOperationException | java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("symbolic links are not available here: " + e);
    }
    project().item("wi-1", "ready", "open", "prompt: elsewhere/secrets.md");
    assertThat(gate("wi-1", "start-execution", "alice", "context-visibility").reason())
        .isEqualTo("context file elsewhere/secrets.md is outside the project");
  }
}
