package dev.tollgate.speckit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.report.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for the misreadings of specs, plans and prose found on public repositories
 * (issue 13), each on a small kit written for it.
 */
class RealWorldKitsTest {
  @TempDir Path dir;

  private KitFixture kit() {
    return KitFixture.github(dir).feature("001-login");
  }

  private static List<Integer> lines(List<Diagnostic> ds) {
    return ds.stream().map(d -> d.location().line()).toList();
  }

  @Test
  void accepts_the_normative_words_of_other_languages() {
    KitFixture k = kit();
    String spec =
        KitFixture.replace(
            KitFixture.SPEC,
            "- **FR-002**: System MUST lock an account after 5 failed attempts.",
            "- **FR-002**: 系统必须在 5 次失败后锁定账户。\n"
                + "- **FR-003**: O sistema DEVE registrar cada tentativa.\n"
                + "- **FR-004**: Das System MUSS die Sitzung beenden.\n"
                + "- **FR-005**: System SHOULD show a hint.");
    k.write("specs/001-login/spec.md", spec);
    List<Diagnostic> ds = k.findings("SK014");
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).message()).startsWith("FR-005 states no obligation");
  }

  @Test
  void a_heading_that_carries_its_value_is_not_an_empty_section() {
    KitFixture k = kit();
    k.write(
        "specs/001-login/research.md",
        """
        # Research: Login

        ## CLI framework

        ### Decision: **Cobra**

        ### Rationale

        Widely used, good completion support.

        ### Alternatives

        """);
    List<Diagnostic> ds = k.findings("SK016");
    // "Decision: Cobra" holds its content; the empty "Alternatives" at the end is still empty.
    assertThat(lines(ds)).containsExactly(11);
  }

  @Test
  void todo_naming_a_thing_is_not_a_placeholder() {
    KitFixture k = kit();
    k.write(
        "specs/001-login/quickstart.md",
        """
        # Quickstart

        - Verify all TODO/FIXME comments are resolved before release.
        - Add TODO comments where a migration is still needed.
        - The header reads "MY TODO APP".
        - Owner: TODO
        """);
    List<Diagnostic> ds = k.findings("SK009");
    assertThat(lines(ds)).containsExactly(6);
  }

  @Test
  void the_templates_example_marker_is_a_leftover_not_an_open_question() {
    KitFixture k = kit();
    String spec =
        KitFixture.SPEC
            + """

            ### For AI Generation

            1. **Mark all ambiguities**: Use [NEEDS CLARIFICATION: specific question] for any guess.

            ### User Story 4 - [Reserved for future expansion]

            [Add more user stories as needed]
            """;
    k.write("specs/001-login/spec.md", spec);
    Report r = k.validate();
    assertThat(KitFixture.findings(r, "SK008")).isEmpty();
    assertThat(KitFixture.findings(r, "SK007"))
        .extracting(Diagnostic::message)
        .containsExactly(
            "template text '[NEEDS CLARIFICATION: specific question]' is still in place",
            "template text '[Reserved for future expansion]' is still in place",
            "template text '[Add more user stories as needed]' is still in place");
  }

  @Test
  void a_marker_in_the_plan_is_not_reported_as_if_the_plan_were_missing() {
    KitFixture k = kit();
    k.write(
        "specs/001-login/plan.md",
        KitFixture.PLAN + "\n**Storage**: [NEEDS CLARIFICATION: which database?]\n");
    List<Diagnostic> ds = k.findings("SK008");
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).message())
        .isEqualTo(
            "unresolved [NEEDS CLARIFICATION] in plan.md: the plan must settle it before tasks"
                + " are derived from it");
  }

  @Test
  void a_spec_from_the_first_template_needs_no_success_criteria() {
    KitFixture k = kit();
    String first =
        KitFixture.replace(
                KitFixture.SPEC,
                "## Success Criteria *(mandatory)*\n\n- **SC-001**: 95% of users sign in within 10"
                    + " seconds.\n",
                "")
            + "\n## Review & Acceptance Checklist\n\n- [x] No implementation details\n";
    k.write("specs/001-login/spec.md", first);
    assertThat(k.findings("SK006")).isEmpty();
    // Without the first template's sections, the missing section is still reported.
    k.write(
        "specs/001-login/spec.md",
        KitFixture.replace(
            KitFixture.SPEC,
            "## Success Criteria *(mandatory)*\n\n- **SC-001**: 95% of users sign in within 10"
                + " seconds.\n",
            ""));
    assertThat(k.findings("SK006"))
        .extracting(Diagnostic::message)
        .containsExactly("spec.md has no 'Success Criteria' section");
  }

  @Test
  void a_priority_with_a_note_is_a_priority() {
    KitFixture k = kit();
    k.write(
        "specs/001-login/spec.md",
        KitFixture.replace(KitFixture.SPEC, "(Priority: P1)", "(Priority: P3 - Future)"));
    assertThat(k.findings("SK010")).isEmpty();
  }

  @Test
  void stages_written_as_yaml_are_not_missing() {
    KitFixture k = KitFixture.github(dir);
    k.write("specs/002-export/spec.yaml", "title: Export\n");
    k.write("specs/002-export/plan.yaml", "steps: []\n");
    k.write("specs/002-export/tasks.yaml", "tasks: []\n");
    k.write("specs/003-import/spec.yaml", "title: Import\n");
    k.write("specs/003-import/plan.yaml", "steps: []\n");
    k.write("specs/003-import/tasks.md", KitFixture.TASKS);
    assertThat(k.findings("SK001")).isEmpty();
    // A stage missing in every form is still missing, whichever form the next stage has.
    k.write("specs/004-sync/plan.yaml", "steps: []\n");
    k.write("specs/004-sync/tasks.md", KitFixture.TASKS);
    k.write("specs/005-audit/spec.yml", "title: Audit\n");
    k.write("specs/005-audit/tasks.yml", "tasks: []\n");
    assertThat(k.findings("SK001"))
        .extracting(Diagnostic::message)
        .containsExactly(
            "plan.yaml exists but spec.md (or prd.md) is missing in specs/004-sync",
            "tasks.yml exists but plan.md is missing in specs/005-audit");
  }

  @Test
  void stages_written_as_yaml_are_reported_once_as_not_validated() {
    KitFixture k = KitFixture.github(dir);
    k.write("specs/002-export/spec.yaml", "title: Export\n");
    k.write("specs/002-export/plan.yaml", "steps: []\n");
    k.write("specs/002-export/tasks.yaml", "tasks: []\n");
    k.write("specs/002-export/research.md", "# Research\n\nOwner: TODO\n");
    k.write("specs/003-import/spec.yaml", "title: Import\n");
    k.write("specs/003-import/plan.yaml", "steps: []\n");
    k.write("specs/003-import/tasks.md", KitFixture.TASKS);
    // A folder that also has the Markdown stage is validated through it: no note for it.
    k.feature("001-login");
    k.write("specs/001-login/spec.yaml", "title: Login\n");
    // A folder holding only YAML stages is still a feature folder, named like one or not.
    k.write("specs/sync/spec.yaml", "title: Sync\n");
    Report r = k.validate();
    List<Diagnostic> notes = KitFixture.findings(r, "SK035");
    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).severity()).isEqualTo(dev.tollgate.core.Severity.INFO);
    assertThat(notes.get(0).location().file()).isEqualTo("specs/002-export/spec.yaml");
    assertThat(notes.get(0).message())
        .isEqualTo(
            "3 feature folders keep 6 stages as YAML, which the validator does not read:"
                + " specs/002-export (spec.yaml, plan.yaml, tasks.yaml), specs/003-import"
                + " (spec.yaml, plan.yaml), specs/sync (spec.yaml)");
    // What can be validated is: the Markdown files of those folders and their names.
    assertThat(KitFixture.findings(r, "SK009"))
        .extracting(d -> d.location().file())
        .containsExactly("specs/002-export/research.md");
    assertThat(KitFixture.findings(r, "SK003"))
        .extracting(d -> d.location().file())
        .containsExactly("specs/sync");
    assertThat(KitFixture.findings(r, "SK001")).isEmpty();
  }

  @Test
  void double_encoded_tasks_are_analysed_as_they_were_meant() {
    KitFixture k = kit();
    String meant =
        """
        # Tasks: Edge

        ## T1 — Schema ✅ COMPLETE

        - [x] T1.1 Create the table in db/schema.sql

        ## T2 — Edge Function ⏳ IN PROGRESS

        Dependencies: T1 complete

        - [x] T2.1 Write the handler in functions/sync/index.ts
        - [ ] T2.2 Add retries in functions/sync/retry.ts

        ## T3 — Client

        Dependencies: T2 complete

        - [x] T3.1 Call the function in app/sync.ts
        """;
    // UTF-8 read as Mac Roman and saved again as UTF-8.
    String twice =
        new String(
            meant.getBytes(StandardCharsets.UTF_8), java.nio.charset.Charset.forName("x-MacRoman"));
    k.write("specs/001-login/tasks.md", twice);
    Report r = k.validate();
    assertThat(KitFixture.findings(r, "SK032")).isNotEmpty();
    // The groups are still groups: T2 is known, and T3 started before T2 was complete.
    assertThat(KitFixture.findings(r, "SK022")).isEmpty();
    assertThat(KitFixture.findings(r, "SK033"))
        .extracting(d -> d.location().line())
        .containsExactly(16);
  }

  private static final String SYNC_SPEC =
      """
      # Feature Specification: Sync — offline first

      **Feature Branch**: `002-sync`
      **Created**: 2025-01-02

      ## User Scenarios & Testing *(mandatory)*

      ### User Story 1 — Sync notes (Priority: P1) ✅

      A user’s notes sync when the device is back online.

      **Acceptance Scenarios**:

      1. **Given** an offline edit, **When** the device reconnects, **Then** the edit arrives.

      ### User Story 2 — Resolve conflicts (Priority: P2)

      Conflicts are shown side by side.

      **Acceptance Scenarios**:

      1. **Given** two edits, **When** both sync, **Then** the user picks one.

      ## Requirements *(mandatory)*

      ### Functional Requirements

      - **FR-001** — System MUST queue edits while offline.
      - **FR-002** — System keeps the newer edit when unsure.

      ## Success Criteria *(mandatory)*

      - **SC-001**: 99% of edits sync within 5 seconds.
      """;

  private static final String SYNC_TASKS =
      """
      # Tasks: Sync — offline first

      ## Phase 1 — Setup ✅

      - [x] T001 Create the module in src/sync/Module.java

      ## Phase 2 — User Story 1 (Priority: P1) ⏳

      - [x] T002 [US1] Queue edits in src/sync/Queue.java
      - [ ] T003 [US1] Replay edits in src/sync/Replay.java

      ## Phase 3 — User Story 2 (Priority: P2)

      **Depends on**: Phase 2 — complete

      - [x] T004 [US2] Show conflicts in src/sync/Conflicts.java

      ## Summary

      | Phase | Tasks | Done |
      |-------|-------|------|
      | Phase 1 — Setup | 1 | 1 |
      | Phase 2 — User Story 1 🚀 | 3 | 1 |
      """;

  private static String doubleEncoded(String meant) {
    return new String(
        meant.getBytes(StandardCharsets.UTF_8), java.nio.charset.Charset.forName("x-MacRoman"));
  }

  private static List<String> withoutMojibake(Report r) {
    return r.findings().stream()
        .filter(d -> !d.ruleId().equals("SK032"))
        .map(
            d ->
                d.ruleId()
                    + " "
                    + d.location().file()
                    + ":"
                    + d.location().line()
                    + " "
                    + d.message())
        .toList();
  }

  @Test
  void a_double_encoded_kit_is_validated_as_it_was_meant() {
    KitFixture meant = KitFixture.github(dir.resolve("meant"));
    KitFixture written = KitFixture.github(dir.resolve("written"));
    for (KitFixture k : List.of(meant, written)) {
      boolean twice = k == written;
      k.write("specs/002-sync/spec.md", twice ? doubleEncoded(SYNC_SPEC) : SYNC_SPEC);
      k.write("specs/002-sync/plan.md", KitFixture.PLAN);
      k.write("specs/002-sync/tasks.md", twice ? doubleEncoded(SYNC_TASKS) : SYNC_TASKS);
    }
    Report asMeant = meant.validate();
    Report asWritten = written.validate();
    // The headings, requirements, dependencies and summaries read through the damage: FR-002
    // still states no obligation, Phase 3 still depends on Phase 2, the table row is still wrong.
    assertThat(withoutMojibake(asMeant))
        .containsExactlyInAnyOrder(
            "SK014 specs/002-sync/spec.md:29 FR-002 states no obligation: expected MUST or SHALL",
            "SK033 specs/002-sync/tasks.md:14 Phase 3 is done (1/1 done) but depends on Phase 2,"
                + " which is not complete (1/2 done)",
            "SK024 specs/002-sync/tasks.md:23 summary table row 'Phase 2 — User Story 1 🚀' says 3"
                + " in column 'Tasks' but Phase 2 has 2 tasks");
    assertThat(withoutMojibake(asWritten)).isEqualTo(withoutMojibake(asMeant));
    assertThat(KitFixture.findings(asWritten, "SK032"))
        .extracting(d -> d.location().file())
        .contains("specs/002-sync/spec.md", "specs/002-sync/tasks.md");
    // Locations point into the file as written: the '3' stands after the three characters of
    // the double-encoded dash and the four of the rocket.
    String row = doubleEncoded(SYNC_TASKS).split("\n", -1)[22];
    assertThat(KitFixture.findings(asWritten, "SK024"))
        .extracting(d -> d.location().column())
        .containsExactly(row.indexOf("| 3 |") + 3);
    assertThat(KitFixture.findings(asMeant, "SK024"))
        .extracting(d -> d.location().column())
        .containsExactly(SYNC_TASKS.split("\n", -1)[22].indexOf("| 3 |") + 3);
  }
}
