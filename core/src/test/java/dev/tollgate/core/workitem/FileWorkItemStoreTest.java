package dev.tollgate.core.workitem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Location;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWorkItemStoreTest {
  static void write(Path root, String name, String text) throws IOException {
    Files.createDirectories(root.resolve("work-items"));
    Files.writeString(root.resolve("work-items").resolve(name), text);
  }

  static WorkItem full() {
    return WorkItem.builder("wi-BF-274", "Fix rounding: in invoices", "ready")
        .description("Totals are off by one cent.\nSee #12 \"quoted\"")
        .epic("BF")
        .state("triaged")
        .status(WorkItemStatus.IN_PROGRESS)
        .priority(2)
        .owner("alice")
        .due(LocalDate.of(2025, 3, 31))
        .workType("bug")
        .source("incident INC-9")
        .branch("bf/BF-274-rounding")
        .validation("./mvnw -q verify")
        .pr("https://github.com/acme/app/pull/7")
        .prompt("docs/prompts/274.md")
        .doneCriteria(List.of("totals match", "yes"))
        .blockers(List.of("wi-BF-1", "waiting on finance: sign-off"))
        .addHistory(
            HistoryEntry.move(
                Instant.parse("2025-03-01T09:30:00Z"),
                "bob",
                "start-execution",
                "ready",
                "in-progress"))
        .addHistory(
            HistoryEntry.note(
                Instant.parse("2025-03-02T10:00:00Z"), "carol", "record-history", "off"))
        .build();
  }

  @Test
  void prompt_path_leaving_the_project_is_refused_at_its_value(@TempDir Path root)
      throws IOException {
    write(
        root,
        "wi-1.yml",
        "id: wi-1\ntitle: First\nlane: backlog\nstatus: open\nprompt: ../../../../etc/shadow\n");
    write(
        root,
        "wi-2.yml",
        "id: wi-2\ntitle: Two\nlane: backlog\nprompt: /etc/shadow\nstatus: open\n");
    assertThatThrownBy(() -> FileWorkItemStore.open(root))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            "work-items/wi-1.yml:5:9: prompt must be a path inside the project (relative to its"
                + " root, '/'-separated, without '..') but was '../../../../etc/shadow'\n"
                + "work-items/wi-2.yml:4:9: prompt must be a path inside the project (relative to its"
                + " root, '/'-separated, without '..') but was '/etc/shadow'");
  }

  @Test
  void builder_refuses_prompt_paths_outside_the_project() {
    for (String bad :
        List.of("../x.md", "a/../../x.md", "docs/..", "/etc/shadow", "C:/x.md", "docs\\x.md")) {
      assertThatThrownBy(() -> WorkItem.builder("wi-1", "t", "ready").prompt(bad).build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt of wi-1 must be a path inside the project");
    }
    for (String good : List.of("docs/prompts/x.md", "./x.md", "..x.md", "a/..b/c.md")) {
      assertThat(WorkItem.builder("wi-1", "t", "ready").prompt(good).build().promptPath())
          .isEqualTo(good);
    }
  }

  @Test
  void missing_folder_is_an_empty_store(@TempDir Path root) {
    assertThat(FileWorkItemStore.open(root).list()).isEmpty();
  }

  @Test
  void saved_items_read_back_equal_with_every_field(@TempDir Path root) {
    FileWorkItemStore store = FileWorkItemStore.open(root);
    WorkItem item = full();
    store.save(item);
    assertThat(root.resolve("work-items/wi-BF-274.yml")).exists();
    WorkItem back = FileWorkItemStore.open(root).find("wi-BF-274").orElseThrow();
    assertThat(back).isEqualTo(item);
    assertThat(back.doneCriteriaCount()).isEqualTo(2);
  }

  @Test
  void reads_a_hand_written_file_and_locates_its_fields(@TempDir Path root) throws IOException {
    write(
        root,
        "wi-1.yml",
        "id: wi-1\ntitle: First\nlane: backlog\nstatus: open\nepic: BF\ndue: 2025-01-31\n");
    FileWorkItemStore store = FileWorkItemStore.open(root);
    WorkItem item = store.find("wi-1").orElseThrow();
    assertThat(item.due()).contains(LocalDate.of(2025, 1, 31));
    assertThat(item.promptPath()).isEqualTo("work-items/prompts/wi-1.prompt.md");
    assertThat(store.locate("wi-1", "epic")).contains(Location.of("work-items/wi-1.yml", 5, 7));
    assertThat(store.locate("wi-1", "owner")).contains(Location.ofFile("work-items/wi-1.yml"));
  }

  @Test
  void unknown_key_suggests_the_closest_with_file_line_column(@TempDir Path root)
      throws IOException {
    write(root, "wi-1.yml", "id: wi-1\ntitle: First\nlane: backlog\nstatus: open\nownr: al\n");
    assertThatThrownBy(() -> FileWorkItemStore.open(root))
        .isInstanceOf(TollgateException.class)
        .hasMessage("work-items/wi-1.yml:5:1: unknown key 'ownr'; did you mean `owner`?");
  }

  @Test
  void wrong_status_names_expected_and_actual(@TempDir Path root) throws IOException {
    write(root, "wi-1.yml", "id: wi-1\ntitle: First\nlane: backlog\nstatus: closed\n");
    assertThatThrownBy(() -> FileWorkItemStore.open(root))
        .hasMessage(
            "work-items/wi-1.yml:4:9: status must be one of open, in-progress, done, deferred but"
                + " was 'closed'");
  }

  @Test
  void wrong_type_and_missing_key_are_reported_together(@TempDir Path root) throws IOException {
    write(root, "a.yml", "id: a\ntitle: A\nlane: backlog\nstatus: open\npriority: high\n");
    write(root, "b.yml", "id: b\nlane: backlog\nstatus: open\n");
    TollgateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TollgateException.class, () -> FileWorkItemStore.open(root));
    assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
    assertThat(e.getMessage())
        .isEqualTo(
            "work-items/a.yml:5:11: priority must be an integer but was 'high'\n"
                + "work-items/b.yml:1:1: the document is missing the required key 'title'");
  }

  @Test
  void impossible_due_date_is_rejected_at_its_value(@TempDir Path root) throws IOException {
    write(root, "a.yml", "id: a\ntitle: A\nlane: backlog\nstatus: open\ndue: 2025-02-30\n");
    assertThatThrownBy(() -> FileWorkItemStore.open(root))
        .hasMessage("work-items/a.yml:5:6: due must be a real calendar date but was '2025-02-30'");
  }

  @Test
  void malformed_yaml_is_bad_input_with_a_line(@TempDir Path root) throws IOException {
    write(root, "a.yml", "id: a\ntitle: [unclosed\n");
    TollgateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TollgateException.class, () -> FileWorkItemStore.open(root));
    assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
    assertThat(e.getMessage()).startsWith("work-items/a.yml:");
  }

  @Test
  void duplicate_ids_point_at_both_files(@TempDir Path root) throws IOException {
    write(root, "a.yml", "id: wi-1\ntitle: A\nlane: backlog\nstatus: open\n");
    write(root, "b.yml", "id: wi-1\ntitle: B\nlane: backlog\nstatus: open\n");
    assertThatThrownBy(() -> FileWorkItemStore.open(root))
        .hasMessage(
            "work-items/b.yml:1:5: duplicate work item id 'wi-1' (also in work-items/a.yml:1:5)");
  }

  @Test
  void a_failed_rename_leaves_the_file_and_the_store_unchanged(@TempDir Path root)
      throws IOException {
    write(
        root, "wi-1.yml", "# hand-written\nid: wi-1\ntitle: First\nlane: backlog\nstatus: open\n");
    String before = Files.readString(root.resolve("work-items/wi-1.yml"));
    FileWorkItemStore store =
        FileWorkItemStore.open(
            root,
            (source, target) -> {
              throw new IOException("disk full");
            });
    WorkItem moved = store.find("wi-1").orElseThrow().toBuilder().lane("ready").build();
    assertThatThrownBy(() -> store.save(moved))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("the file is unchanged")
        .extracting(e -> ((TollgateException) e).kind())
        .isEqualTo(TollgateException.Kind.COULD_NOT_FINISH);
    assertThat(Files.readString(root.resolve("work-items/wi-1.yml"))).isEqualTo(before);
    try (Stream<Path> files = Files.list(root.resolve("work-items"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("wi-1.yml");
    }
    assertThat(store.find("wi-1").orElseThrow().lane()).isEqualTo("backlog");
  }

  @Test
  void refuses_to_overwrite_a_file_changed_on_disk(@TempDir Path root) throws IOException {
    write(root, "wi-1.yml", "id: wi-1\ntitle: First\nlane: backlog\nstatus: open\n");
    FileWorkItemStore store = FileWorkItemStore.open(root);
    write(root, "wi-1.yml", "id: wi-1\ntitle: Edited\nlane: backlog\nstatus: open\n");
    WorkItem moved = store.find("wi-1").orElseThrow().toBuilder().lane("ready").build();
    assertThatThrownBy(() -> store.save(moved))
        .hasMessage(
            "work-items/wi-1.yml changed on disk since it was read; reload the work items and try"
                + " again");
    assertThat(Files.readString(root.resolve("work-items/wi-1.yml"))).contains("Edited");
  }

  @Test
  void builder_rejects_bad_ids_with_precise_messages() {
    assertThatThrownBy(() -> WorkItem.builder("../x", "t", "l").build())
        .hasMessage(
            "id must start with a letter or digit and contain only letters, digits, '.', '_' and"
                + " '-' but was '../x'");
    assertThatThrownBy(() -> WorkItem.builder("x", "t", "l").priority(0))
        .hasMessage("priority must be >= 1 but was 0");
  }

  @Test
  void add_refuses_a_taken_id_at_the_existing_items_id(@TempDir Path root) throws IOException {
    write(root, "wi-1.yml", "id: wi-1\ntitle: First\nlane: backlog\nstatus: open\n");
    FileWorkItemStore store = FileWorkItemStore.open(root);
    assertThatThrownBy(() -> store.add(WorkItem.builder("wi-1", "Again", "ready").build()))
        .isInstanceOf(TollgateException.class)
        .hasMessage("work-items/wi-1.yml:1:5: work item 'wi-1' already exists");
  }

  @Test
  void add_refuses_a_file_named_for_the_id_that_holds_another_item(@TempDir Path root)
      throws IOException {
    write(root, "wi-2.yml", "id: wi-x\ntitle: Misnamed\nlane: backlog\nstatus: open\n");
    FileWorkItemStore store = FileWorkItemStore.open(root);
    assertThatThrownBy(() -> store.add(WorkItem.builder("wi-2", "New", "ready").build()))
        .hasMessage(
            "work-items/wi-2.yml:1:5: work-items/wi-2.yml already holds the work item 'wi-x'");
    assertThat(Files.readString(root.resolve("work-items/wi-2.yml"))).startsWith("id: wi-x");
  }

  @Test
  void add_writes_a_new_item_that_reads_back(@TempDir Path root) {
    FileWorkItemStore store = FileWorkItemStore.open(root);
    WorkItem item = WorkItem.builder("wi-3", "Third", "ready").owner("bob").build();
    store.add(item);
    assertThat(FileWorkItemStore.open(root).find("wi-3")).contains(item);
  }

  @Test
  void replace_refuses_when_the_stored_item_is_not_the_one_read(@TempDir Path root)
      throws IOException {
    write(root, "wi-1.yml", "id: wi-1\ntitle: First\nlane: backlog\nstatus: open\n");
    FileWorkItemStore store = FileWorkItemStore.open(root);
    WorkItem read = store.find("wi-1").orElseThrow();
    store.replace(read, read.toBuilder().owner("alice").build());
    byte[] afterFirst = Files.readAllBytes(root.resolve("work-items/wi-1.yml"));
    assertThatThrownBy(() -> store.replace(read, read.toBuilder().owner("bob").build()))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.COULD_NOT_FINISH))
        .hasMessage(
            "work item 'wi-1' changed since it was read; read it again and retry; nothing was"
                + " written");
    assertThat(Files.readAllBytes(root.resolve("work-items/wi-1.yml"))).isEqualTo(afterFirst);
  }
}
