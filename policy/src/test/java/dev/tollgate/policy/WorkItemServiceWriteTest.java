package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.workitem.FieldChange;
import dev.tollgate.core.workitem.FileWorkItemStore;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.NewWorkItem;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemChange;
import dev.tollgate.core.workitem.WorkItemStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WorkItemService#create} and {@link WorkItemService#update}, without picocli. */
class WorkItemServiceWriteTest {
  static final Instant NOW = Instant.parse("2026-03-14T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path root;
  Project project;

  @BeforeEach
  void setUp() {
    project =
        new Project(root)
            .policy(Project.POLICY)
            .item(
                "wi-1",
                "ready",
                "open",
                "epic: BF",
                "priority: 2",
                "owner: alice",
                "due: \"2026-03-31\"",
                "blockers:",
                "  - wi-2",
                "  - vendor contract")
            .item("wi-2", "in-progress", "in-progress", "branch: b2")
            .item("wi-3", "in-progress", "in-progress", "branch: b3")
            .item("wi-4", "done", "done", "pr: https://example.com/pr/4");
  }

  private WorkItemService service() {
    return WorkItemService.of(PolicyEngine.load(root, CLOCK), CLOCK);
  }

  private static List<String> messages(TollgateException e) {
    return e.diagnostics().stream().map(d -> d.location() + ": " + d.message()).toList();
  }

  @Test
  void create_writes_the_item_in_the_policys_first_lane_with_a_history_entry() {
    NewWorkItem request =
        NewWorkItem.builder("wi-9", "Retry failed webhooks")
            .owner("bob")
            .priority(4)
            .due(LocalDate.of(2026, 4, 30))
            .epic("BF")
            .blockedBy("wi-2")
            .build();
    WorkItemWrite w = service().create(request, "carol");

    assertThat(w.kind()).isEqualTo(WorkItemWrite.Kind.CREATE);
    assertThat(w.file()).isEqualTo("work-items/wi-9.yml");
    HistoryEntry entry = HistoryEntry.note(NOW, "carol", "create", "created in lane backlog");
    assertThat(w.entry()).contains(entry);
    assertThat(w.changes())
        .extracting(FieldChange::toString)
        .containsExactly(
            "title - → Retry failed webhooks",
            "epic - → BF",
            "lane - → backlog",
            "status - → open",
            "priority - → 4",
            "owner - → bob",
            "due - → 2026-04-30",
            "blockers + wi-2");
    assertThat(project.read("work-items/wi-9.yml"))
        .isEqualTo(
            "id: wi-9\n"
                + "title: Retry failed webhooks\n"
                + "epic: BF\n"
                + "lane: backlog\n"
                + "status: open\n"
                + "priority: 4\n"
                + "owner: bob\n"
                + "due: \"2026-04-30\"\n"
                + "blockers:\n"
                + "  - wi-2\n"
                + "history:\n"
                + "  - at: \"2026-03-14T12:00:00Z\"\n"
                + "    actor: carol\n"
                + "    action: create\n"
                + "    note: created in lane backlog\n");
    assertThat(FileWorkItemStore.open(root).find("wi-9")).contains(w.item());
  }

  @Test
  void create_takes_the_status_the_lane_gives_entering_items() {
    project.policy(
        Project.POLICY.replace(
            "  in-progress:\n    title: In progress\n",
            "  in-progress:\n    title: In progress\n    status: in-progress\n"));
    project.file("work-items/wi-3.yml", "id: wi-3\ntitle: Three\nlane: review\nstatus: open\n");
    WorkItem item =
        service()
            .create(NewWorkItem.builder("wi-9", "Hot fix").lane("in-progress").build(), "bob")
            .item();
    assertThat(item.lane()).isEqualTo("in-progress");
    assertThat(item.status()).isEqualTo(WorkItemStatus.IN_PROGRESS);
  }

  @Test
  void create_refuses_every_problem_at_once_with_a_diagnostic_each() {
    NewWorkItem request =
        NewWorkItem.builder("wi-9", "x")
            .lane("reviw")
            .epic("BX")
            .blockedBy("wi-22")
            .blockedBy("wi-9")
            .build();
    assertThatThrownBy(() -> service().create(request, "bob"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.diagnostics()).allMatch(d -> d.ruleId().equals("work-item"));
              assertThat(messages(e))
                  .containsExactly(
                      "work-items/wi-9.yml: blockers names the work item 'wi-22', which does not"
                          + " exist; did you mean `wi-2`?",
                      "work-items/wi-9.yml: epic names the epic 'BX', which .tollgate/policy.yml"
                          + " does not declare; did you mean `BF`?",
                      "work-items/wi-9.yml: lane names the lane 'reviw', which"
                          + " .tollgate/policy.yml does not declare; did you mean `review`?",
                      "work-items/wi-9.yml: wi-9 cannot be its own blocker");
            });
    assertThat(Files.exists(root.resolve("work-items/wi-9.yml"))).isFalse();
  }

  @Test
  void create_refuses_a_taken_id_a_terminal_lane_and_a_full_lane() {
    assertThatThrownBy(() -> service().create(NewWorkItem.builder("wi-1", "Again").build(), "bob"))
        .hasMessage("work-items/wi-1.yml:1:5: work item 'wi-1' already exists");
    assertThatThrownBy(
            () -> service().create(NewWorkItem.builder("wi-9", "Done").lane("done").build(), "bob"))
        .hasMessage(
            "work-items/wi-9.yml: a new item cannot start in lane done, which is terminal (items"
                + " there are done)");
    assertThatThrownBy(
            () ->
                service()
                    .create(NewWorkItem.builder("wi-9", "Full").lane("in-progress").build(), "bob"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e ->
                assertThat(e.diagnostics().get(0).hint())
                    .contains(
                        "Finish or move one of them out of in-progress first, or create the item"
                            + " in another lane (lanes.in-progress.wip_limit: 2 in"
                            + " .tollgate/policy.yml)."))
        .hasMessage("work-items/wi-9.yml: lane in-progress is full: 2 of 2 (wi-2, wi-3)");
  }

  @Test
  void writes_need_an_actor() {
    assertThatThrownBy(() -> service().create(NewWorkItem.builder("wi-9", "x").build(), " "))
        .isInstanceOf(TollgateException.class)
        .hasMessage("the actor must not be blank: every write is recorded in the item's history");
  }

  @Test
  void update_sets_clears_and_edits_blockers_and_records_what_changed() {
    WorkItemChange change =
        WorkItemChange.builder()
            .owner("bob")
            .priority(1)
            .clearDue()
            .removeBlocker("vendor contract")
            .addBlocker("wi-4")
            .build();
    WorkItemWrite w = service().update("wi-1", change, "carol");

    String note =
        "priority 2 → 1; owner alice → bob; due 2026-03-31 → -; blockers - vendor contract;"
            + " blockers + wi-4";
    assertThat(w.entry()).contains(HistoryEntry.note(NOW, "carol", "update", note));
    assertThat(w.written()).isTrue();
    WorkItem saved = FileWorkItemStore.open(root).find("wi-1").orElseThrow();
    assertThat(saved).isEqualTo(w.item());
    assertThat(saved.owner()).contains("bob");
    assertThat(saved.priority()).hasValue(1);
    assertThat(saved.due()).isEmpty();
    assertThat(saved.epic()).contains("BF");
    assertThat(saved.blockers()).containsExactly("wi-2", "wi-4");
    assertThat(saved.history()).hasSize(1);

    JsonNode json = new ObjectMapper().valueToTree(w);
    assertThat(json.toString())
        .startsWith(
            "{\"item\":\"wi-1\",\"action\":\"update\",\"actor\":\"carol\",\"written\":true,"
                + "\"file\":\"work-items/wi-1.yml\",\"changes\":[{\"field\":\"priority\","
                + "\"from\":\"2\",\"to\":\"1\"}");
    assertThat(json.get("history").get("note").asText()).isEqualTo(note);
  }

  @Test
  void an_update_that_changes_nothing_writes_nothing() throws Exception {
    byte[] before = Files.readAllBytes(root.resolve("work-items/wi-1.yml"));
    WorkItemWrite w =
        service()
            .update(
                "wi-1", WorkItemChange.builder().owner("alice").addBlocker("wi-2").build(), "bob");
    assertThat(w.written()).isFalse();
    assertThat(w.changes()).isEmpty();
    assertThat(w.entry()).isEmpty();
    assertThat(new ObjectMapper().valueToTree(w).get("history").isNull()).isTrue();
    assertThat(Files.readAllBytes(root.resolve("work-items/wi-1.yml"))).isEqualTo(before);
  }

  @Test
  void update_refuses_unknown_epics_and_blockers_and_removals_the_item_does_not_have() {
    WorkItemChange change =
        WorkItemChange.builder().epic("OPS").addBlocker("wi-7").removeBlocker("wi-3").build();
    assertThatThrownBy(() -> service().update("wi-1", change, "bob"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e ->
                assertThat(messages(e))
                    .containsExactly(
                        "work-items/wi-1.yml: blockers names the work item 'wi-7', which does not"
                            + " exist; did you mean `wi-1`?",
                        "work-items/wi-1.yml: epic names the epic 'OPS', which"
                            + " .tollgate/policy.yml does not declare",
                        "work-items/wi-1.yml:10:3: wi-1 has no blocker 'wi-3' (its blockers: wi-2,"
                            + " vendor contract)"));
    assertThat(FileWorkItemStore.open(root).find("wi-1").orElseThrow().history()).isEmpty();
  }

  @Test
  void update_refuses_a_blocker_that_closes_a_cycle_of_unfinished_items() {
    project.item("wi-5", "ready", "open", "blockers:", "  - wi-6");
    project.item("wi-6", "ready", "open", "blockers:", "  - wi-1");
    assertThatThrownBy(
            () ->
                service().update("wi-1", WorkItemChange.builder().addBlocker("wi-5").build(), "x"))
        .hasMessage(
            "work-items/wi-1.yml: blocker 'wi-5' would close a cycle: wi-1 → wi-5 → wi-6 → wi-1");
    // A done item holds nothing back, so waiting on one closes no cycle.
    project.item("wi-7", "done", "done", "pr: https://example.com/7", "blockers:", "  - wi-1");
    assertThat(
            service()
                .update("wi-1", WorkItemChange.builder().addBlocker("wi-7").build(), "x")
                .written())
        .isTrue();
  }

  @Test
  void an_unknown_item_is_bad_input_with_a_suggestion() {
    assertThatThrownBy(
            () -> service().update("wi-8", WorkItemChange.builder().clearOwner().build(), "x"))
        .hasMessage("no work item 'wi-8'; did you mean `wi-1`?");
  }

  @Test
  void a_write_made_since_the_item_was_read_is_not_overwritten() {
    WorkItemService first = service();
    WorkItemService second = service();
    first.update("wi-1", WorkItemChange.builder().owner("bob").build(), "x");
    // `second` read wi-1 before `first` wrote it; its file changed on disk since.
    assertThatThrownBy(
            () -> second.update("wi-1", WorkItemChange.builder().owner("carol").build(), "y"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.COULD_NOT_FINISH));
    assertThat(FileWorkItemStore.open(root).find("wi-1").orElseThrow().owner())
        .isEqualTo(Optional.of("bob"));
  }
}
