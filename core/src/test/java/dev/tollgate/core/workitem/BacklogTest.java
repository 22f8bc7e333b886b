package dev.tollgate.core.workitem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BacklogTest {
  static WorkItem item(String id, String epic, WorkItemStatus status, String lane) {
    return WorkItem.builder(id, "Item " + id, lane).epic(epic).status(status).build();
  }

  @Test
  void epic_progress_counts_items_by_status_and_ignores_deferred_in_the_percentage() {
    Backlog b =
        Backlog.of(
            List.of(
                item("a", "BF", WorkItemStatus.DONE, "done"),
                item("b", "BF", WorkItemStatus.IN_PROGRESS, "doing"),
                item("c", "BF", WorkItemStatus.DEFERRED, "backlog"),
                item("d", "BF", WorkItemStatus.DONE, "done"),
                item("e", "OPS", WorkItemStatus.OPEN, "backlog")));
    EpicProgress bf = b.progress("BF");
    assertThat(bf).isEqualTo(new EpicProgress("BF", 4, 0, 1, 2, 1));
    assertThat(bf.percentDone()).isEqualTo(66);
    assertThat(bf.complete()).isFalse();
    assertThat(b.epics()).extracting(EpicProgress::epic).containsExactly("BF", "OPS");
  }

  @Test
  void an_item_blocked_by_an_unfinished_item_says_so() {
    WorkItem blocked =
        WorkItem.builder("c", "C", "ready").blockers(List.of("a", "b", "vendor contract")).build();
    Backlog b =
        Backlog.of(
            List.of(
                item("a", null, WorkItemStatus.IN_PROGRESS, "review"),
                item("b", null, WorkItemStatus.DONE, "done"),
                blocked));
    assertThat(b.blockers(blocked))
        .extracting(Blocker::describe)
        .containsExactly(
            "blocked by a, which is in-progress in lane review",
            "was blocked by b, which is done",
            "blocked: vendor contract");
    assertThat(b.isBlocked(blocked)).isTrue();
  }

  @Test
  void an_item_whose_blockers_are_all_done_is_not_blocked() {
    WorkItem c = WorkItem.builder("c", "C", "ready").blockers(List.of("b")).build();
    Backlog b = Backlog.of(List.of(item("b", null, WorkItemStatus.DONE, "done"), c));
    assertThat(b.isBlocked(c)).isFalse();
  }

  @Test
  void reranking_moves_one_item_and_renumbers_the_rest() {
    Backlog b =
        Backlog.of(
            List.of(
                WorkItem.builder("a", "A", "l").priority(1).build(),
                WorkItem.builder("b", "B", "l").priority(2).build(),
                WorkItem.builder("c", "C", "l").priority(3).build(),
                WorkItem.builder("d", "D", "l").build()));
    List<WorkItem> changed = b.rerank("c", 1);
    assertThat(changed)
        .extracting(i -> i.id() + "=" + i.priority().getAsInt())
        .containsExactly("a=2", "b=3", "c=1");
    List<WorkItem> unrankedToTop = b.rerank("d", 2);
    assertThat(unrankedToTop)
        .extracting(i -> i.id() + "=" + i.priority().getAsInt())
        .containsExactly("b=3", "c=4", "d=2");
  }

  @Test
  void rank_order_puts_unranked_items_last_by_id() {
    Backlog b =
        Backlog.of(
            List.of(
                WorkItem.builder("z", "Z", "l").build(),
                WorkItem.builder("y", "Y", "l").priority(5).build(),
                WorkItem.builder("a", "A", "l").build()));
    assertThat(b.ranked()).extracting(WorkItem::id).containsExactly("y", "a", "z");
  }
}
