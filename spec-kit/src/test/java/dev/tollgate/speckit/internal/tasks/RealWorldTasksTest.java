package dev.tollgate.speckit.internal.tasks;

import static dev.tollgate.core.Severity.ERROR;
import static dev.tollgate.core.Severity.WARNING;
import static dev.tollgate.speckit.internal.tasks.TasksFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.speckit.internal.shared.SpecFacts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the misreadings of tasks.md found on public repositories (issue 13), each on
 * a small fixture written for it under {@code fixtures/tasks/realworld/}.
 */
class RealWorldTasksTest {

  private static List<Diagnostic> all(String fixture) {
    return TasksCheck.check(
        TasksFixtures.load("realworld/" + fixture),
        new TasksContext(true, Optional.<SpecFacts>empty()));
  }

  private static List<Diagnostic> of(String fixture, String rule) {
    return all(fixture).stream().filter(d -> d.ruleId().equals(rule)).toList();
  }

  private static List<String> positions(List<Diagnostic> ds) {
    return ds.stream().map(TasksFixtures::at).toList();
  }

  @Test
  void checklist_sections_hold_checks_not_malformed_tasks() {
    // "Manual Testing Checklist", "Validation Checklist" and "Definition of Done" lists carry no
    // ids: they are checks. The id-less line inside the list of tasks is still a forgotten id.
    List<Diagnostic> ds = of("checklist-sections.md", "SK018");
    assertThat(positions(ds)).containsExactly(at("SK018", ERROR, 15, 3));
    assertThat(ds.get(0).message()).contains("Write the form");
  }

  @Test
  void tasks_written_as_headings_are_tasks_and_their_boxes_are_checks() {
    List<Diagnostic> ds = all("heading-tasks.md");
    // "### T003 [SLICE] …" and "### [X] T004 …" define T003 and T004; "- [ ] T001 § S1 passes"
    // names T001's test: no duplicate, no id-less task, no unknown dependency but T009.
    assertThat(ds.stream().map(Diagnostic::ruleId)).doesNotContain("SK018", "SK019", "SK020");
    assertThat(positions(ds.stream().filter(d -> d.ruleId().equals("SK022")).toList()))
        .containsExactly(at("SK022", ERROR, 28, 25));
    assertThat(ds.stream().filter(d -> d.ruleId().equals("SK022")).findFirst().orElseThrow())
        .extracting(Diagnostic::message)
        .asString()
        .contains("unknown task T009");
  }

  @Test
  void id_lists_in_notes_and_checklist_re_listings_are_references() {
    List<Diagnostic> ds = all("id-lists-in-notes.md");
    // "- T001: Creates the module" before the task, "- T003: Requires T001 and T002" under
    // Dependencies and the ticked re-listing under "Quality Checklist" name tasks; they do not
    // define them again, so nothing is duplicated, out of order, miscounted or without a box.
    assertThat(ds.stream().map(Diagnostic::ruleId))
        .doesNotContain("SK018", "SK019", "SK020", "SK022", "SK024");
  }

  @Test
  void direction_words_turn_a_dependency_around() {
    // "must complete BEFORE US1", "BLOCKS US1-US2" and "then unblocks": what follows waits for
    // the subject. Read the other way they made cycles.
    assertThat(all("direction-words.md").stream().map(Diagnostic::ruleId))
        .doesNotContain("SK022", "SK033");
  }

  @Test
  void a_sub_heading_inside_a_story_phase_belongs_to_the_story() {
    // "### Configuration Loading & Agent Setup" under the phase of user story 2 is not a Setup
    // phase, so [US2] there is expected, not a label in Setup.
    assertThat(of("story-subheading.md", "SK021")).isEmpty();
  }

  @Test
  void windows_paths_and_dotted_file_names_are_file_paths() {
    List<Diagnostic> ds = of("windows-paths.md", "SK026");
    assertThat(positions(ds)).containsExactly(at("SK026", WARNING, 8, 7));
    assertThat(ds.get(0).message()).contains("task T004 names no file");
  }

  @Test
  void checks_per_part_summaries_against_their_ranges_and_stories() {
    List<Diagnostic> ds = of("summaries.md", "SK024");
    assertThat(positions(ds))
        .containsExactly(at("SK024", ERROR, 19, 19), at("SK024", ERROR, 20, 8));
    assertThat(ds.get(0).message())
        .contains("declares 4 tasks but its id ranges (T001-T002, T005) hold 3 tasks");
    assertThat(ds.get(1).message())
        .contains("'US1: 3 tasks' declares 3 tasks")
        .contains("user story 1 has 2 tasks");
    // "Phase 2: 2 tasks" is right; "(4 tasks total)" for the MVP increment is not a file total.
  }

  @Test
  void the_deferred_checkbox_is_a_task_neither_open_nor_done() {
    List<Diagnostic> ds = all("deferred.md");
    // [~] is not malformed, counts in "Total tasks: 6" and in the table's Tasks column, does not
    // keep "COMPLETE" from being true, and may be counted in a fraction's total or not ("2/3").
    assertThat(ds.stream().map(Diagnostic::ruleId)).doesNotContain("SK018", "SK031");
    List<Diagnostic> counts = ds.stream().filter(d -> d.ruleId().equals("SK024")).toList();
    // Only the wrong figure is reported: one of Phase 2's two boxes is ticked, not two.
    assertThat(positions(counts)).containsExactly(at("SK024", ERROR, 15, 15));
    assertThat(counts.get(0).message()).endsWith("Phase 2 has 1 of 2 checkboxes ticked");
  }

  @Test
  void task_lines_indented_by_one_space_are_tasks() {
    assertThat(positions(of("one-space-indent.md", "SK019")))
        .containsExactly(at("SK019", ERROR, 7, 8));
  }

  @Test
  void ids_in_brackets_as_the_format_line_writes_them_are_ids() {
    List<Diagnostic> ds = all("bracketed-ids.md");
    assertThat(ds.stream().map(Diagnostic::ruleId)).doesNotContain("SK018");
    assertThat(positions(ds.stream().filter(d -> d.ruleId().equals("SK019")).toList()))
        .containsExactly(at("SK019", ERROR, 9, 8));
  }

  @Test
  void a_file_without_any_id_gets_one_finding_not_one_per_line() {
    List<Diagnostic> ds = of("no-ids.md", "SK018");
    assertThat(positions(ds)).containsExactly(at("SK018", ERROR, 5, 3));
    assertThat(ds.get(0).message())
        .startsWith("none of the 4 checkbox tasks has a task id (first: '[ ] Initialize");
  }

  @Test
  void summaries_count_parallel_tasks_against_the_p_markers() {
    List<Diagnostic> ds = of("parallel.md", "SK024");
    // Every column of the table is read: tasks, done and parallelizable, per phase, story, id
    // range and total; so are the counts of [P] tasks written in the text, for the file, a phase
    // or the ids the line lists. "~4" is an estimate, "US1 Tests" and "US1 Implementation" are
    // parts of a story that no heading delimits, and "3 parallel agents" are not tasks.
    assertThat(positions(ds))
        .containsExactly(
            at("SK024", ERROR, 24, 22),
            at("SK024", ERROR, 25, 29),
            at("SK024", ERROR, 26, 17),
            at("SK024", ERROR, 28, 23),
            at("SK024", ERROR, 31, 19),
            at("SK024", ERROR, 33, 21),
            at("SK024", ERROR, 34, 12));
    assertThat(ds)
        .extracting(Diagnostic::message)
        .containsExactly(
            "summary table row 'Phase 2: US1' says 1 in column 'Done' but Phase 2 has 0 tasks"
                + " ticked",
            "summary table row 'Phase 3: Polish' says 0 in column 'Parallelizable' but Phase 3"
                + " has 1 task marked [P]",
            "summary table row 'US1' says 3 in column 'Parallelizable' but user story 1 has 2"
                + " tasks marked [P]",
            "summary table row 'T004–T007' says 2 in column 'Parallelizable' but its ids"
                + " (T004–T007) hold 3 tasks marked [P]",
            "'Parallel tasks: 6' declares 6 parallel tasks but tasks.md has 5 tasks marked [P]",
            "'Phase 1: 3 tasks (3 parallelizable)' declares 3 parallel tasks but Phase 1 has 2"
                + " tasks marked [P]",
            "'Phase 3: 2 tasks' declares 2 tasks but Phase 3 has 1 task");
  }

  @Test
  void parallel_counts_are_not_checked_where_no_task_carries_the_marker() {
    String text =
        TasksFixtures.load("realworld/parallel.md").text().replace(" [P]", "").replace("[P] ", "");
    List<Diagnostic> ds =
        TasksCheck.check(
                dev.tollgate.speckit.internal.shared.SourceFile.of("specs/001-demo/tasks.md", text),
                new TasksContext(true, Optional.<SpecFacts>empty()))
            .stream()
            .filter(d -> d.ruleId().equals("SK024"))
            .toList();
    assertThat(ds).extracting(Diagnostic::message).noneMatch(m -> m.contains("[P]"));
  }
}
