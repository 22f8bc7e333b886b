package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.speckit.internal.SourceFile;
import java.util.List;
import java.util.Objects;

/**
 * The tasks.md check: parses the file once and applies the task rules (SK018–SK022, SK024–SK026,
 * SK031, SK033) to what it read. Generic text rules (placeholders, template leftovers, links,
 * mojibake) are applied to tasks.md elsewhere and are not repeated here.
 */
public final class TasksCheck {
  private TasksCheck() {}

  /**
   * The findings for one tasks.md, sorted by position. Never throws on any text; every location is
   * inside {@code tasks}, except warnings about uncovered requirements, which point at their
   * declaration in the spec.
   */
  public static List<Diagnostic> check(SourceFile tasks, TasksContext context) {
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(context, "context");
    return run(tasks, TasksParser.parse(tasks), context);
  }

  /**
   * The findings of one tasks.md whose commonmark tree the caller has already built (source spans
   * on, front matter blanked), so the file is not parsed twice.
   */
  public static List<Diagnostic> check(
      SourceFile tasks, org.commonmark.node.Node parsed, TasksContext context) {
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(parsed, "parsed");
    Objects.requireNonNull(context, "context");
    return run(tasks, TasksParser.parse(tasks, parsed), context);
  }

  private static List<Diagnostic> run(SourceFile tasks, TasksDocument doc, TasksContext context) {
    Findings f = new Findings(tasks);
    TaskLineRules.check(doc, context, f);
    StoryRules.check(doc, context, f);
    DependencyRules.check(doc, f);
    CountRules.check(doc, f);
    StatusRules.check(doc, f);
    return f.sorted();
  }
}
