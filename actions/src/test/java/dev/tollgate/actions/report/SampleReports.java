package dev.tollgate.actions.report;

import static dev.tollgate.core.Severity.ERROR;
import static dev.tollgate.core.Severity.INFO;
import static dev.tollgate.core.Severity.WARNING;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.RuleDescriptor;
import dev.tollgate.core.report.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Hand-made reports the golden files and examples are built from. */
final class SampleReports {

  static final RenderOptions OPTIONS = RenderOptions.defaults("1.2.3");

  static final List<RuleDescriptor> RULES =
      List.of(
          rule(
              "SK004",
              WARNING,
              "no constitution found",
              "Without a constitution there are no agreed principles to check plans against. "
                  + "Add .specify/memory/constitution.md."),
          rule(
              "SK008",
              ERROR,
              "unresolved clarification",
              "A plan built on an open question builds the wrong thing. Answer it in the spec "
                  + "and remove the [NEEDS CLARIFICATION] marker."),
          rule(
              "SK019",
              ERROR,
              "duplicate task id",
              "Two tasks with one id make dependencies and progress ambiguous. "
                  + "Give each task its own id."),
          rule(
              "SK020",
              WARNING,
              "task ids out of order or with gaps",
              "Gaps and reordering usually mean a task was lost. Renumber the tasks."),
          rule(
              "SK029",
              INFO,
              "absolute local path",
              "A path on your machine means nothing to others. Use a path relative to the repo."));

  private SampleReports() {}

  private static RuleDescriptor rule(String id, Severity s, String title, String help) {
    return new RuleDescriptor(id, s, title, help, "docs/rules/" + id + ".md");
  }

  static Diagnostic finding(
      Severity s, String rule, String message, Location location, String hint) {
    return Diagnostic.of(s, rule, message, location, hint);
  }

  /**
   * Several sections, every severity, unknown lines and columns, a project-wide finding, a rule
   * outside the catalog with its own docs link, and text full of characters every format must
   * escape.
   */
  static Report sample() {
    Section project =
        new Section(
            "",
            "",
            List.of(
                finding(
                    WARNING,
                    "SK004",
                    "no constitution found in .specify/memory/ or memory/",
                    Location.ofFile(""),
                    "Run /speckit.constitution to create one.")));
    Section login =
        new Section(
            "001-login",
            "specs/001-login",
            List.of(
                finding(
                    ERROR,
                    "SK019",
                    "duplicate task id T004 (first at line 12)",
                    Location.of("specs/001-login/tasks.md", 14, 3),
                    "Renumber the second T004; ids must be unique within tasks.md."),
                finding(
                    WARNING,
                    "SK020",
                    "task ids jump from T005 to T009",
                    Location.of("specs/001-login/tasks.md", 20, 0),
                    null),
                finding(
                    ERROR,
                    "SK008",
                    "unresolved [NEEDS CLARIFICATION: auth via SSO | <email> or `magic link`?]",
                    Location.of("specs/001-login/spec.md", 7, 12),
                    "Answer the question in the spec,\nthen delete the marker."),
                finding(
                    INFO,
                    "SK029",
                    "absolute local path C:\\Users\\dev\\notes.md left in the text (ask @platform-team)",
                    Location.of("specs/001-login/plan.md", 3, 1),
                    null)));
    Section search = new Section("002-search", "specs/002-search", List.of());
    Section pay =
        new Section(
            "003-pay, ship: 100%",
            "specs/003-pay ship",
            List.of(
                new Diagnostic(
                    ERROR,
                    "SK999",
                    "summary says 100% done: 3/4 tasks, *50%0A* progress\r\nsecond line",
                    Location.ofFile("specs/003-pay ship/tasks,v2.md"),
                    Optional.empty(),
                    Optional.of("https://example.com/rules/SK999 (draft)")),
                finding(
                    WARNING,
                    "SK019",
                    "duplicate task id T2.1 (first at line 4)",
                    Location.of("specs/003-pay ship/tasks,v2.md", 9, 0),
                    "Severity lowered to warning in .tollgate/spec-kit.yml.")));
    Section cafe =
        new Section(
            "004-café",
            "specs/004-café",
            List.of(
                finding(
                    INFO,
                    "SK029",
                    "absolute path /home/ünï/x ✅ left in the text",
                    Location.of("specs/004-café/spec.md", 1, 1),
                    null)));
    return new Report(
        "spec-kit", "Spec Kit validation", List.of(project, login, search, pay, cafe), RULES, 14);
  }

  /** A report that passes: one clean feature and one with a warning only. */
  static Report warningsOnly() {
    return new Report(
        "spec-kit",
        "Spec Kit validation",
        List.of(
            new Section("001-login", "specs/001-login", List.of()),
            new Section(
                "002-search",
                "specs/002-search",
                List.of(
                    finding(
                        WARNING,
                        "SK020",
                        "task ids jump from T005 to T009",
                        Location.of("specs/002-search/tasks.md", 20, 0),
                        null)))),
        RULES,
        6);
  }

  /** A report without findings. */
  static Report clean() {
    return new Report(
        "spec-kit",
        "Spec Kit validation",
        List.of(new Section("001-login", "specs/001-login", List.of())),
        RULES,
        3);
  }

  /** {@code n} findings of one severity spread over {@code sections} sections. */
  static List<Diagnostic> many(Severity s, int n, String prefix) {
    List<Diagnostic> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          finding(
              s,
              "SK019",
              prefix + " finding " + i,
              Location.of("specs/001-x/tasks.md", i + 1, 1),
              null));
    }
    return out;
  }

  static Report of(List<Diagnostic> findings) {
    return new Report(
        "spec-kit",
        "Spec Kit validation",
        List.of(new Section("001-x", "specs/001-x", findings)),
        RULES,
        1);
  }
}
