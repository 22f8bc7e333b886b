package dev.tollgate.speckit.internal.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.speckit.internal.shared.SourceFile;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TasksCheckProperties {

  private static final TasksContext WITH_SPEC =
      new TasksContext(true, Optional.of(TasksFixtures.spec()));

  @Property(tries = 300)
  void never_throws_on_arbitrary_text(@ForAll("anyText") String text) {
    TasksCheck.check(SourceFile.of("tasks.md", text), WITH_SPEC);
    TasksCheck.check(SourceFile.of("tasks.md", text), new TasksContext(false, Optional.empty()));
  }

  @Property(tries = 300)
  void never_throws_on_task_like_text(@ForAll("taskLikeText") String text) {
    TasksCheck.check(SourceFile.of("tasks.md", text), WITH_SPEC);
  }

  @Property(tries = 300)
  void every_location_is_inside_the_file(@ForAll("taskLikeText") String text) {
    SourceFile f = SourceFile.of("tasks.md", text);
    for (Diagnostic d : TasksCheck.check(f, WITH_SPEC)) {
      Location l = d.location();
      if (l.file().equals("spec.md")) {
        continue; // uncovered requirements point at their declaration in the spec
      }
      assertThat(l.file()).isEqualTo("tasks.md");
      assertThat(l.line()).isBetween(1, f.lineCount());
      assertThat(l.column()).isBetween(1, f.line(l.line()).length() + 1);
    }
  }

  @Property(tries = 200)
  void same_input_gives_the_same_findings(@ForAll("taskLikeText") String text) {
    SourceFile f = SourceFile.of("tasks.md", text);
    List<Diagnostic> first = TasksCheck.check(f, WITH_SPEC);
    List<Diagnostic> second = TasksCheck.check(SourceFile.of("tasks.md", text), WITH_SPEC);
    assertThat(second).isEqualTo(first);
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.strings().all().ofMaxLength(400);
  }

  /** Lines built from the pieces tasks.md is made of, so that the rules have work to do. */
  @Provide
  Arbitrary<String> taskLikeText() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "## Phase 1: Setup ✅ COMPLETE",
            "## Phase 2: Foundational",
            "## Phase 3: User Story 1 - Login (Priority: P1) 🎯 MVP",
            "### Group T2 API",
            "**Status**: NOT STARTED",
            "**Dependencies**: T2 complete",
            "## Dependencies & Execution Order",
            "- **Phase 3 (US1)**: Depends on Phase 2, Phase 9",
            "- [ ] T001 Create project in src/app.py",
            "- [x] T002 [P] [US1] Add model in src/m.py (depends on T001, T003)",
            "- [X] T2.1 Nested (FR-001, SC-009)",
            "  - [ ] subtask",
            "  - [x] T2.1.1 child",
            "- T003 no checkbox",
            "- [-] T004 bad box",
            "- [ ] no id",
            "- [ ] T005 [US-x] (2/3 subtasks complete)",
            "T031←T007, T001",
            "| Phase | Tasks |",
            "|---|---|",
            "| Phase 1 | 7 |",
            "| **TOTAL** | **9** |",
            "Total: 12 tasks",
            "```",
            "<!--",
            "-->",
            "---",
            "> - [ ] T006 quoted",
            "\t- [ ] T007\ttabbed",
            "",
            "\r",
            "é\u0000\uFFFF");
    Arbitrary<String> noise =
        Arbitraries.strings().withChars("-[]xT0123 .|*#:\n\r\t←/").ofMaxLength(30);
    return Arbitraries.oneOf(piece, piece, piece, noise)
        .list()
        .ofMaxSize(40)
        .map(lines -> String.join("\n", lines));
  }
}
