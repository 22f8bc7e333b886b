package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.workitem.FileWorkItemStore;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.core.workitem.WorkItemStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEngineTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T09:30:00Z"), ZoneOffset.UTC);

  @TempDir Path root;

  @Test
  void lists_every_action_with_its_gates_and_recovery_for_disabled_ones() {
    new Project(root).policy(Project.POLICY).item("wi-1", "ready", "open").prompt("wi-1");
    List<ActionView> views = PolicyEngine.load(root).actions("wi-1", "alice");
    assertThat(views)
        .extracting(ActionView::identity)
        .containsExactly(
            "start-execution", "request-review", "prepare-release", "record-history", "ship");
    ActionView start = views.get(0);
    assertThat(start.enabled()).isTrue();
    assertThat(start.permission()).contains("factory.work-item.execute");
    assertThat(start.transition()).contains("ready → in-progress");
    assertThat(start.gates())
        .extracting(g -> g.gate() + "=" + g.status().label())
        .containsExactly(
            "lane-transition=pass",
            "lane-eligibility=pass",
            "wip-limit=pass",
            "permission=pass",
            "context-visibility=pass");
    assertThat(start.recovery()).isEmpty();
    ActionView review = views.get(1);
    assertThat(review.enabled()).isFalse();
    assertThat(review.recovery()).isPresent();
  }

  @Test
  void perform_moves_the_item_and_appends_history_to_its_file() {
    new Project(root).policy(Project.POLICY).item("wi-1", "ready", "open").prompt("wi-1");
    ActionOutcome outcome =
        PolicyEngine.load(root).perform("wi-1", "start-execution", "alice", CLOCK);
    assertThat(outcome).isInstanceOf(ActionOutcome.Performed.class);
    WorkItem saved = FileWorkItemStore.open(root).find("wi-1").orElseThrow();
    assertThat(saved.lane()).isEqualTo("in-progress");
    assertThat(saved.status()).isEqualTo(WorkItemStatus.IN_PROGRESS);
    assertThat(saved.history())
        .containsExactly(
            HistoryEntry.move(CLOCK.instant(), "alice", "start-execution", "ready", "in-progress"));
    assertThat(new Project(root).read("work-items/wi-1.yml"))
        .contains("history:\n  - at: \"2025-03-01T09:30:00Z\"\n    actor: alice\n");
  }

  @Test
  void entering_a_terminal_lane_marks_the_item_done() {
    new Project(root)
        .policy(Project.POLICY)
        .item("wi-1", "review", "in-progress", "pr: https://github.com/acme/app/pull/7");
    PolicyEngine.load(root).perform("wi-1", "ship", "carol", CLOCK);
    assertThat(FileWorkItemStore.open(root).find("wi-1").orElseThrow().status())
        .isEqualTo(WorkItemStatus.DONE);
  }

  @Test
  void a_blocked_action_writes_nothing() {
    new Project(root).policy(Project.POLICY).item("wi-1", "done", "done");
    String before = new Project(root).read("work-items/wi-1.yml");
    ActionOutcome outcome =
        PolicyEngine.load(root).perform("wi-1", "start-execution", "alice", CLOCK);
    assertThat(outcome).isInstanceOf(ActionOutcome.Blocked.class);
    assertThat(outcome.view().verdict().status()).isEqualTo(GateStatus.BLOCKED);
    assertThat(new Project(root).read("work-items/wi-1.yml")).isEqualTo(before);
  }

  @Test
  void a_failed_save_leaves_the_item_unchanged() {
    new Project(root).policy(Project.POLICY).item("wi-1", "ready", "open").prompt("wi-1");
    String before = new Project(root).read("work-items/wi-1.yml");
    FileWorkItemStore files = FileWorkItemStore.open(root);
    WorkItemStore failing =
        new WorkItemStore() {
          @Override
          public List<WorkItem> list() {
            return files.list();
          }

          @Override
          public Optional<WorkItem> find(String id) {
            return files.find(id);
          }

          @Override
          public void save(WorkItem item) {
            throw new TollgateException(TollgateException.Kind.COULD_NOT_FINISH, "disk full");
          }
        };
    PolicyEngine engine =
        PolicyEngine.of(
            root,
            PolicyLoader.load(root, BuiltInGates.registry()),
            failing,
            BuiltInGates.registry(),
            CLOCK);
    assertThatThrownBy(() -> engine.perform("wi-1", "start-execution", "alice", CLOCK))
        .hasMessage("disk full");
    assertThat(new Project(root).read("work-items/wi-1.yml")).isEqualTo(before);
    assertThat(engine.item("wi-1").lane()).isEqualTo("ready");
  }

  @Test
  void record_history_appends_without_moving_even_on_a_done_item() {
    new Project(root)
        .policy(Project.POLICY + "  record-history: {permission: factory.work-item.review}\n")
        .item("wi-1", "done", "done");
    ActionOutcome outcome =
        PolicyEngine.load(root).perform("wi-1", "record-history", "carol", CLOCK);
    assertThat(outcome).isInstanceOf(ActionOutcome.Performed.class);
    WorkItem saved = FileWorkItemStore.open(root).find("wi-1").orElseThrow();
    assertThat(saved.lane()).isEqualTo("done");
    assertThat(saved.history()).hasSize(1);
  }

  @Test
  void an_action_that_only_sets_a_status_cannot_reopen_a_done_item() {
    new Project(root)
        .policy(Project.POLICY + "  reopen: {status: open}\n")
        .item("wi-1", "done", "done");
    ActionView view = PolicyEngine.load(root).evaluate("wi-1", "reopen", "carol");
    assertThat(view.enabled()).isFalse();
    assertThat(view.recovery().orElseThrow().cause())
        .isEqualTo("Done items stay closed; Reopen cannot move them backward");
  }

  @Test
  void unknown_item_and_action_suggest_the_closest() {
    new Project(root).policy(Project.POLICY).item("wi-1", "ready", "open");
    PolicyEngine engine = PolicyEngine.load(root);
    assertThatThrownBy(() -> engine.actions("wi-2", "alice"))
        .hasMessage("no work item 'wi-2'; did you mean `wi-1`?");
    assertThatThrownBy(() -> engine.evaluate("wi-1", "start-executon", "alice"))
        .hasMessage("no action 'start-executon'; did you mean `start-execution`?");
  }
}
