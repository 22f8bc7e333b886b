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
  void laneTransitionPassesAlongADeclaredTransition() {
    project().item("wi-1", "ready", "open").prompt("wi-1");
    GateResult r = gate("wi-1", "start-execution", "alice", "lane-transition");
    assertThat(r)
        .isEqualTo(GateResult.pass("lane-transition", "the move ready → in-progress is allowed"));
  }

  @Test
  void laneTransitionKeepsDoneItemsClosed() {
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
  void doneItemGuidanceComesFromLaneTransitionEvenWhenTheActionListsFromLanes() {
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
  void laneTransitionBlocksAMoveThePolicyDoesNotAllow() {
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
  void laneTransitionBlocksABuiltInWhoseDefaultLaneIsNotDeclared() {
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
  void laneEligibilityPassesForAnItemInAnAcceptedLane() {
    project().item("wi-1", "ready", "open");
    assertThat(gate("wi-1", "start-execution", "alice", "lane-eligibility").reason())
        .isEqualTo("lane ready is one of start-execution's lanes: ready");
  }

  @Test
  void laneEligibilityBlocksAnItemOutsideTheActionsLanes() {
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
  void wipLimitPassesWhileTheLaneHasRoom() {
    project().item("wi-1", "ready", "open").item("wi-2", "in-progress", "in-progress");
    assertThat(gate("wi-1", "start-execution", "alice", "wip-limit"))
        .isEqualTo(GateResult.pass("wip-limit", "lane in-progress holds 1 of 2 items"));
  }

  @Test
  void wipLimitBlocksAFullLaneAndNamesTheItemsHoldingIt() {
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
  void permissionPassesThroughATeam() {
    project().item("wi-1", "ready", "open");
    assertThat(gate("wi-1", "start-execution", "bob", "permission").reason())
        .isEqualTo("bob holds factory.work-item.execute (team platform)");
  }

  @Test
  void permissionBlocksAnActorWithoutTheGrant() {
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
  void permissionBlocksWhenNoActorIsNamed() {
    project().item("wi-1", "ready", "open");
    assertThat(
            gate("wi-1", "start-execution", null, "permission").recovery().orElseThrow().nextStep())
        .isEqualTo("Name the actor who performs the action (e.g. --actor NAME)");
  }

  @Test
  void pullRequestPassesWhenOneIsLinked() {
    project().item("wi-1", "in-progress", "in-progress", "pr: https://github.com/acme/app/pull/7");
    assertThat(gate("wi-1", "request-review", "carol", "pull-request").reason())
        .isEqualTo("pull request linked: https://github.com/acme/app/pull/7");
  }

  @Test
  void pullRequestBlocksWhenNoneIsLinked() {
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
  void contextVisibilityPassesWhenThePromptFileIsReadable() {
    project().item("wi-1", "ready", "open").prompt("wi-1");
    assertThat(gate("wi-1", "start-execution", "alice", "context-visibility").reason())
        .isEqualTo("context file work-items/prompts/wi-1.prompt.md is readable");
  }

  @Test
  void contextVisibilityBlocksWhenThePromptFileIsMissing() {
    project().item("wi-1", "ready", "open");
    GateResult r = gate("wi-1", "start-execution", "alice", "context-visibility");
    assertThat(r.reason())
        .isEqualTo("context file work-items/prompts/wi-1.prompt.md does not exist");
    assertThat(r.recovery().orElseThrow().nextStep())
        .isEqualTo("Create work-items/prompts/wi-1.prompt.md with the prompt and context for wi-1");
  }

  @Test
  void contextVisibilityBlocksAPromptReachedThroughASymlinkOutsideTheProject(@TempDir Path outside)
      throws Exception {
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
