package dev.tollgate.speckit.internal.tasks;

import static dev.tollgate.core.Severity.ERROR;
import static dev.tollgate.core.Severity.WARNING;
import static dev.tollgate.speckit.internal.tasks.TasksFixtures.at;
import static dev.tollgate.speckit.internal.tasks.TasksFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.speckit.internal.shared.SourceFile;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TasksCheckTest {

  private static List<String> positions(List<Diagnostic> ds) {
    return ds.stream().map(TasksFixtures::at).toList();
  }

  // --- SK018 --------------------------------------------------------------------------------

  @Test
  void reports_bad_checkbox_missing_id_and_missing_checkbox_in_a_task_phase() {
    List<Diagnostic> ds = findings("sk018-bad.md", "SK018");
    assertThat(positions(ds))
        .containsExactly(
            at("SK018", ERROR, 6, 3), at("SK018", ERROR, 7, 3), at("SK018", ERROR, 8, 3));
    assertThat(ds.get(0).message()).contains("[-]").contains("expected '[ ]', '[x]' or '[X]'");
    assertThat(ds.get(1).message()).contains("no task id");
    assertThat(ds.get(2).message()).contains("task T003 has no checkbox");
    assertThat(ds).allSatisfy(d -> assertThat(d.hint()).isPresent());
  }

  @Test
  void reports_markers_spelt_differently_from_the_format() {
    // Regression (found by RuleDocExamplesTest on docs/rules/SK018.md): [p] and [Story1] were
    // taken as unknown markers, so the parallel flag and the story link were silently lost.
    List<Diagnostic> ds = findings("sk018-markers.md", "SK018");
    assertThat(positions(ds))
        .containsExactly(
            at("SK018", ERROR, 6, 12), at("SK018", ERROR, 6, 16), at("SK018", ERROR, 7, 16));
    assertThat(ds.get(0).message()).isEqualTo("task T011 has marker [p]: expected [P]");
    assertThat(ds.get(1).message()).isEqualTo("task T011 has marker [Story1]: expected [US1]");
    assertThat(ds.get(2).message()).isEqualTo("task T012 has marker [us 1]: expected [US1]");
  }

  @Test
  void accepts_checked_subtasks_checklists_and_id_lists_in_notes() {
    assertThat(findings("sk018-good.md", "SK018")).isEmpty();
  }

  @Test
  void reports_a_file_without_any_checkbox_once_not_per_line() {
    List<Diagnostic> ds = findings("sk018-style.md", "SK018");
    assertThat(positions(ds)).containsExactly(at("SK018", ERROR, 5, 3));
    assertThat(ds.get(0).message()).contains("all 3 tasks are written without a checkbox");
  }

  // --- SK019 --------------------------------------------------------------------------------

  @Test
  void reports_a_duplicate_id_with_the_line_of_its_first_use() {
    List<Diagnostic> ds = findings("sk019-bad.md", "SK019");
    assertThat(positions(ds)).containsExactly(at("SK019", ERROR, 8, 7));
    assertThat(ds.get(0).message()).isEqualTo("duplicate task id T002 (first at line 6)");
  }

  @Test
  void accepts_unique_ids_including_dotted_subtask_ids() {
    assertThat(findings("sk019-good.md", "SK019")).isEmpty();
  }

  // --- SK020 --------------------------------------------------------------------------------

  @Test
  void reports_gaps_and_ids_out_of_order() {
    List<Diagnostic> ds = findings("sk020-bad.md", "SK020");
    assertThat(positions(ds))
        .containsExactly(
            at("SK020", WARNING, 6, 7), at("SK020", WARNING, 7, 7), at("SK020", WARNING, 8, 7));
    // T002 is not missing: it comes on the next line, so the message says the order is wrong.
    assertThat(ds.get(0).message())
        .contains("T003 follows T001")
        .contains("T002 comes later in the file (line 7)");
    assertThat(ds.get(1).message()).contains("T002 comes after T003");
    assertThat(ds.get(2).message()).contains("T003–T006 are missing");
  }

  @Test
  void accepts_letter_suffixed_insertions_and_dotted_children() {
    assertThat(findings("sk020-good.md", "SK020")).isEmpty();
  }

  // --- SK021 --------------------------------------------------------------------------------

  @Test
  void reports_unknown_malformed_missing_and_misplaced_story_labels() {
    List<Diagnostic> ds = findings("sk021-bad.md", "SK021");
    assertThat(positions(ds))
        .containsExactly(
            at("SK021", WARNING, 5, 12),
            at("SK021", WARNING, 9, 7),
            at("SK021", ERROR, 10, 12),
            at("SK021", ERROR, 11, 12));
    assertThat(ds.get(0).message()).contains("setup phase").contains("[US1]");
    assertThat(ds.get(1).message()).contains("no story label: expected [US1]");
    assertThat(ds.get(2).message()).contains("[US7]").contains("no user story 7");
    assertThat(ds.get(3).message()).contains("[US-foundational]");
  }

  @Test
  void accepts_labels_in_story_phases_and_none_in_setup_or_polish() {
    assertThat(findings("sk021-good.md", "SK021")).isEmpty();
  }

  @Test
  void does_not_call_a_label_unknown_without_a_spec() {
    List<Diagnostic> ds =
        TasksCheck.check(
            TasksFixtures.load("sk021-bad.md"), new TasksContext(true, Optional.empty()));
    assertThat(ds).noneMatch(d -> d.message().contains("no user story 7"));
  }

  // --- SK022 --------------------------------------------------------------------------------

  @Test
  void
      resolves_classic_group_headings_written_as_id_colon_title_and_reports_only_the_unknown_group() {
    // Regression: "## T2: CSV writer" was not taken as group T2, so "Dependencies: T2 complete"
    // was reported as an unknown task in a clean classic kit.
    List<Diagnostic> ds = findings("sk022-classic-groups.md", "SK022");
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).message()).contains("T9");
    assertThat(ds.get(0).location().line()).isEqualTo(15);
  }

  @Test
  void reports_unknown_self_and_cyclic_dependencies() {
    List<Diagnostic> ds = findings("sk022-bad.md", "SK022");
    assertThat(positions(ds))
        .containsExactly(
            at("SK022", ERROR, 6, 55),
            at("SK022", ERROR, 7, 41),
            at("SK022", ERROR, 9, 56),
            at("SK022", ERROR, 13, 35));
    assertThat(ds.get(0).message()).contains("unknown task T009");
    assertThat(ds.get(1).message()).contains("task T003 depends on itself");
    assertThat(ds.get(2).message()).contains("cycle: T004 → T005 → T004");
    assertThat(ds.get(3).message()).contains("unknown phase 4");
  }

  @Test
  void accepts_known_dependencies_ranges_and_prerequisite_lines() {
    assertThat(findings("sk022-good.md", "SK022")).isEmpty();
  }

  // --- SK024 --------------------------------------------------------------------------------

  @Test
  void reports_totals_table_rows_and_subtask_figures_that_disagree_with_the_tasks() {
    List<Diagnostic> ds = findings("sk024-bad.md", "SK024");
    assertThat(positions(ds))
        .containsExactly(
            at("SK024", ERROR, 6, 44),
            at("SK024", ERROR, 20, 13),
            at("SK024", ERROR, 21, 17),
            at("SK024", ERROR, 23, 1));
    assertThat(ds.get(0).message()).contains("'1/3 subtasks'").contains("2 of 3");
    assertThat(ds.get(1).message()).contains("Phase 2").contains("says 4").contains("1 task");
    assertThat(ds.get(2).message()).contains("TOTAL").contains("says 6").contains("3 task lines");
    assertThat(ds.get(3).message()).contains("declares 5 tasks but tasks.md has 3");
  }

  @Test
  void accepts_figures_that_match_and_ignores_totals_of_other_things() {
    assertThat(findings("sk024-good.md", "SK024")).isEmpty();
  }

  // --- SK025 --------------------------------------------------------------------------------

  @Test
  void reports_uncovered_stories_unknown_requirements_and_thin_traceability() {
    List<Diagnostic> ds = findings("sk025-bad.md", "SK025");
    assertThat(positions(ds))
        .containsExactly(
            at("SK025", ERROR, 1, 1), at("SK025", WARNING, 5, 50), at("SK025", ERROR, 6, 49));
    assertThat(ds.get(0).message()).contains("user story 2");
    assertThat(ds.get(1).message()).contains("1 of the 3 functional requirements");
    assertThat(ds.get(2).message()).contains("FR-009");
  }

  @Test
  void reports_each_uncited_requirement_at_its_declaration_when_tasks_trace_requirements() {
    SourceFile f =
        SourceFile.of(
            "specs/001-demo/tasks.md",
            "## Phase 3: User Story 1 - A (Priority: P1)\n\n- [ ] T001 [US1] A in a.py (FR-001)\n"
                + "- [ ] T002 [US1] B in b.py (FR-002)\n\n## Phase 4: User Story 2 - B\n\n"
                + "- [ ] T003 [US2] C in c.py\n");
    List<Diagnostic> ds =
        TasksCheck.check(f, new TasksContext(true, Optional.of(TasksFixtures.spec())));
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).location().file()).isEqualTo("spec.md");
    assertThat(ds.get(0).location().line()).isEqualTo(32);
    assertThat(ds.get(0).message()).startsWith("FR-003 is not referenced by any task");
  }

  @Test
  void accepts_full_coverage() {
    assertThat(findings("sk025-good.md", "SK025")).isEmpty();
  }

  @Test
  void skips_coverage_without_a_spec() {
    assertThat(
            TasksCheck.check(
                TasksFixtures.load("sk025-bad.md"), new TasksContext(true, Optional.empty())))
        .noneMatch(d -> d.ruleId().equals("SK025"));
  }

  // --- SK026 --------------------------------------------------------------------------------

  @Test
  void reports_tasks_without_a_file_path_in_the_github_layout() {
    List<Diagnostic> ds = findings("sk026-bad.md", "SK026");
    assertThat(positions(ds))
        .containsExactly(at("SK026", WARNING, 6, 7), at("SK026", WARNING, 7, 7));
    assertThat(ds.get(0).message()).contains("task T002 names no file");
  }

  @Test
  void accepts_paths_file_names_and_folders() {
    assertThat(findings("sk026-good.md", "SK026")).isEmpty();
  }

  @Test
  void does_not_ask_for_paths_in_the_classic_layout() {
    assertThat(
            TasksCheck.check(
                TasksFixtures.load("sk026-bad.md"), new TasksContext(false, Optional.empty())))
        .noneMatch(d -> d.ruleId().equals("SK026"));
  }

  // --- SK031 --------------------------------------------------------------------------------

  @Test
  void reports_status_markers_that_contradict_the_checkboxes() {
    List<Diagnostic> ds = findings("sk031-bad.md", "SK031");
    assertThat(positions(ds))
        .containsExactly(at("SK031", ERROR, 3, 21), at("SK031", ERROR, 10, 13));
    assertThat(ds.get(0).message()).contains("marked complete").contains("T002 at line 6");
    assertThat(ds.get(1).message()).contains("marked not started").contains("T003 at line 12");
  }

  @Test
  void accepts_consistent_markers_and_ignores_complete_inside_phrases() {
    assertThat(findings("sk031-good.md", "SK031")).isEmpty();
  }

  // --- SK033 --------------------------------------------------------------------------------

  @Test
  void reports_a_started_group_whose_dependency_is_unfinished() {
    List<Diagnostic> ds = findings("sk033-bad.md", "SK033");
    assertThat(positions(ds)).containsExactly(at("SK033", WARNING, 10, 19));
    assertThat(ds.get(0).message())
        .contains("Group T2 is started (1/2 done)")
        .contains("depends on Group T1, which is not complete (1/2 done)");
  }

  @Test
  void accepts_groups_started_after_their_dependencies_and_unstarted_ones() {
    assertThat(findings("sk033-good.md", "SK033")).isEmpty();
  }

  // --- parsing --------------------------------------------------------------------------------

  @Test
  void ignores_tasks_in_code_blocks_html_comments_and_front_matter() {
    SourceFile f =
        SourceFile.of(
            "tasks.md",
            "---\ndescription: x\n- [ ] T001 in front matter\n---\n\n## Phase 1: Setup\n\n"
                + "- [ ] T001 Real task in a.py\n\n```\n- [ ] T001 quoted\n```\n\n"
                + "<!--\n- [ ] T001 commented out\n-->\n\n    - [ ] T001 indented code\n");
    assertThat(TasksCheck.check(f, new TasksContext(true, Optional.empty()))).isEmpty();
  }

  @Test
  void reports_positions_on_crlf_files() {
    SourceFile f =
        SourceFile.of(
            "tasks.md",
            "## Phase 1: Setup\r\n\r\n- [ ] T001 A in a.py\r\n- [ ] T001 B in b.py\r\n");
    List<Diagnostic> ds = TasksCheck.check(f, new TasksContext(true, Optional.empty()));
    assertThat(positions(ds)).containsExactly(at("SK019", ERROR, 4, 7));
  }

  @Test
  void gives_the_same_findings_for_the_same_input() {
    SourceFile f = TasksFixtures.load("sk022-bad.md");
    TasksContext ctx = new TasksContext(true, Optional.of(TasksFixtures.spec()));
    assertThat(TasksCheck.check(f, ctx)).isEqualTo(TasksCheck.check(f, ctx));
  }
}
