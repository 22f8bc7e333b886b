package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.speckit.internal.shared.SourceFile;
import dev.tollgate.speckit.internal.shared.SpecFacts;
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

  /** A tasks.md read into the task model, waiting for the facts of its kit's spec. */
  record Prepared(TasksCheck.Parsed parsed) {}

  /**
   * Reads a tasks.md from its commonmark tree, so that the tree need not be kept. A double-encoded
   * file comes here as it was meant to read (see {@link TextRules#meant}).
   */
  static Prepared prepare(SourceFile tasks, org.commonmark.node.Node tree) {
    return new Prepared(TasksCheck.parse(tasks, tree));
  }

  /** The findings of a prepared tasks.md, given the layout and the facts of the kit's spec. */
  static List<Diagnostic> check(Prepared tasks, boolean githubLayout, Optional<SpecFacts> spec) {
    return TasksCheck.check(tasks.parsed(), new TasksContext(githubLayout, spec));
  }

  /**
   * The findings of one tasks.md, given its commonmark tree when already parsed, the layout and the
   * facts of the kit's spec or prd.
   */
  static List<Diagnostic> check(
      SourceFile tasks,
      Optional<org.commonmark.node.Node> tree,
      boolean githubLayout,
      Optional<SpecFacts> spec) {
    TasksContext context = new TasksContext(githubLayout, spec);
    return tree.isPresent()
        ? TasksCheck.check(tasks, tree.get(), context)
        : TasksCheck.check(tasks, context);
  }
}
