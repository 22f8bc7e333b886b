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

  /**
   * A tasks.md read into the task model, so that its commonmark tree can be dropped before the
   * rules run (they need the facts of the kit's spec, known only later).
   */
  public static final class Parsed {
    private final SourceFile file;
    private final TasksDocument doc;

    private Parsed(SourceFile file, TasksDocument doc) {
      this.file = file;
      this.doc = doc;
    }
  }

  /**
   * Reads one tasks.md whose commonmark tree the caller has built (source spans on, front matter
   * blanked) into the task model; {@link #check(Parsed, TasksContext)} applies the rules.
   */
  public static Parsed parse(SourceFile tasks, org.commonmark.node.Node parsed) {
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(parsed, "parsed");
    return new Parsed(tasks, TasksParser.parse(tasks, parsed));
  }

  /** Reads one tasks.md into the task model, parsing its text. */
  public static Parsed parse(SourceFile tasks) {
    Objects.requireNonNull(tasks, "tasks");
    return new Parsed(tasks, TasksParser.parse(tasks));
  }

  /** The findings of a tasks.md read by {@link #parse(SourceFile, org.commonmark.node.Node)}. */
  public static List<Diagnostic> check(Parsed parsed, TasksContext context) {
    Objects.requireNonNull(parsed, "parsed");
    Objects.requireNonNull(context, "context");
    return run(parsed.file, parsed.doc, context);
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
