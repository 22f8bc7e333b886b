package dev.tollgate.core.workitem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkItemChangeTest {
  static final WorkItem ITEM =
      WorkItem.builder("wi-1", "Fix rounding", "ready")
          .epic("BF")
          .priority(2)
          .owner("alice")
          .due(LocalDate.of(2026, 3, 31))
          .blockers(List.of("wi-2", "vendor contract"))
          .build();

  @Test
  void sets_clears_and_edits_blockers_leaving_everything_else() {
    WorkItemChange change =
        WorkItemChange.builder()
            .owner("bob")
            .priority(1)
            .clearDue()
            .clearEpic()
            .removeBlocker("vendor contract")
            .addBlocker("wi-5")
            .build();
    WorkItem after = change.applyTo(ITEM);
    assertThat(after.owner()).contains("bob");
    assertThat(after.priority()).hasValue(1);
    assertThat(after.due()).isEmpty();
    assertThat(after.epic()).isEmpty();
    assertThat(after.blockers()).containsExactly("wi-2", "wi-5");
    assertThat(after.toBuilder().owner("alice").priority(2).build().title())
        .isEqualTo(ITEM.title());
    assertThat(after.history()).isEqualTo(ITEM.history());

    assertThat(WorkItemChange.diff(ITEM, after))
        .extracting(FieldChange::toString)
        .containsExactly(
            "epic BF → -",
            "priority 2 → 1",
            "owner alice → bob",
            "due 2026-03-31 → -",
            "blockers - vendor contract",
            "blockers + wi-5");
  }

  @Test
  void a_value_set_to_what_it_already_is_changes_nothing() {
    WorkItemChange same = WorkItemChange.builder().owner("alice").addBlocker("wi-2").build();
    assertThat(WorkItemChange.diff(ITEM, same.applyTo(ITEM))).isEmpty();
  }

  @Test
  void removing_a_blocker_the_item_does_not_have_names_its_blockers() {
    WorkItemChange change = WorkItemChange.builder().removeBlocker("wi-9").build();
    assertThatThrownBy(() -> change.applyTo(ITEM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wi-1 has no blocker 'wi-9' (its blockers: wi-2, vendor contract)");
  }

  @Test
  void the_builder_refuses_bad_values_naming_them() {
    assertThatThrownBy(() -> WorkItemChange.builder().owner(" "))
        .hasMessage("owner must not be blank");
    assertThatThrownBy(() -> WorkItemChange.builder().owner("bob "))
        .hasMessage("owner must not start or end with spaces but was 'bob '");
    assertThatThrownBy(() -> WorkItemChange.builder().priority(0))
        .hasMessage("priority must be >= 1 but was 0");
    assertThatThrownBy(() -> WorkItemChange.builder().addBlocker("wi-2").addBlocker("wi-2"))
        .hasMessage("blocker to add 'wi-2' is given twice");
    assertThatThrownBy(() -> WorkItemChange.builder().addBlocker("wi-2").removeBlocker("wi-2"))
        .hasMessage("blocker 'wi-2' is both added and removed");
  }

  @Test
  void a_change_that_keeps_every_field_is_refused() {
    assertThatThrownBy(() -> WorkItemChange.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a change must set, clear, add or remove something but this one keeps every field");
  }

  @Test
  void a_new_item_request_checks_what_it_can_alone() {
    NewWorkItem request =
        NewWorkItem.builder("wi-9", "Retry webhooks")
            .lane("backlog")
            .owner("bob")
            .priority(4)
            .due(LocalDate.of(2026, 4, 30))
            .epic("OPS")
            .blockedBy("wi-2")
            .build();
    assertThat(request.lane()).contains("backlog");
    assertThat(request.blockers()).containsExactly("wi-2");
    assertThatThrownBy(() -> NewWorkItem.builder("wi 9", "x"))
        .hasMessageStartingWith("id must start with a letter or digit")
        .hasMessageEndingWith("but was 'wi 9'");
    assertThatThrownBy(() -> NewWorkItem.builder("wi-9", "")).hasMessage("title must not be blank");
    assertThatThrownBy(() -> NewWorkItem.builder("wi-9", "x").blockedBy("a").blockedBy("a"))
        .hasMessage("blocker 'a' is given twice");
    assertThatThrownBy(() -> NewWorkItem.builder("wi-9", "x").priority(-1))
        .hasMessage("priority must be >= 1 but was -1");
  }

  @Test
  void a_field_change_describes_values_and_list_entries() {
    assertThat(FieldChange.of("due", null, "2026-04-01").describe()).isEqualTo("- → 2026-04-01");
    assertThat(FieldChange.added("blockers", "wi-2").describe()).isEqualTo("+ wi-2");
    assertThat(FieldChange.removed("blockers", "x").toString()).isEqualTo("blockers - x");
    assertThatThrownBy(() -> FieldChange.of("owner", "a", "a"))
        .hasMessage("owner did not change: both sides are Optional[a]");
  }
}
