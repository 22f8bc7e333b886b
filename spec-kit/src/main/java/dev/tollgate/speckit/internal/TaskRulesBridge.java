package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.speckit.internal.tasks.TasksCheck;
import dev.tollgate.speckit.internal.tasks.TasksContext;
import java.util.List;
import java.util.Optional;

/**
 * The one place the validator calls the task rules (SK018-SK026, SK031, SK033) of package {@code
 * internal.tasks}, so the rest of the validator does not depend on that package's shape.
 */
final class TaskRulesBridge {
  private TaskRulesBridge() {}

  /**
   * The findings of one tasks.md, given its commonmark tree when already parsed, the layout and the
   * facts of the kit's spec or prd.
   */
  /** A tasks.md read into the task model, waiting for the facts of its kit's spec. */
  record Prepared(TasksCheck.Parsed parsed) {}

  /** Reads a tasks.md from its commonmark tree, so that the tree need not be kept. */
  static Prepared prepare(SourceFile tasks, org.commonmark.node.Node tree) {
    String meant = TextRules.repaired(tasks.text());
    if (meant != tasks.text()) {
      // Double-encoded text (SK032 reports it): read the tasks as they were meant to read, so that
      // "## T2 ‚Äî Edge Function ‚è≥" is still the group T2 with its status. The repair keeps every
      // line where it was, and a repaired line is never longer than the original.
      return new Prepared(TasksCheck.parse(SourceFile.of(tasks.relativePath(), meant)));
    }
    return new Prepared(TasksCheck.parse(tasks, tree));
  }

  /** The findings of a prepared tasks.md, given the layout and the facts of the kit's spec. */
  static List<Diagnostic> check(Prepared tasks, boolean githubLayout, Optional<SpecFacts> spec) {
    return TasksCheck.check(tasks.parsed(), new TasksContext(githubLayout, spec));
  }

  static List<Diagnostic> check(
      SourceFile tasks,
      Optional<org.commonmark.node.Node> tree,
      boolean githubLayout,
      Optional<SpecFacts> spec) {
    TasksContext context = new TasksContext(githubLayout, spec);
    String meant = TextRules.repaired(tasks.text());
    if (meant != tasks.text()) {
      return TasksCheck.check(SourceFile.of(tasks.relativePath(), meant), context);
    }
    return tree.isPresent()
        ? TasksCheck.check(tasks, tree.get(), context)
        : TasksCheck.check(tasks, context);
  }
}
