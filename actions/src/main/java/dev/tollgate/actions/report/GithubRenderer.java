package dev.tollgate.actions.report;

import dev.tollgate.actions.workflow.WorkflowCommands;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.RuleDescriptor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The workflow-command format: one {@code ::error}, {@code ::warning} or {@code ::notice}
 * annotation per finding, which GitHub shows on the changed lines of a pull request, then a plain
 * summary line.
 *
 * <p>GitHub keeps at most {@value #MAX_PER_LEVEL} annotations of each level per step and drops the
 * rest silently, so this renderer prints at most that many per level, counting its own "N more
 * findings" line, which it prints once when anything was left out.
 */
final class GithubRenderer implements ReportRenderer {

  /** GitHub's limit of annotations per level and step. */
  static final int MAX_PER_LEVEL = 10;

  @Override
  public String render(Report report, RenderOptions options) {
    List<Diagnostic> all = report.findings();
    Map<Severity, Integer> limit = new EnumMap<>(Severity.class);
    Map<Severity, Integer> total = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      total.put(s, (int) all.stream().filter(d -> d.severity() == s).count());
      limit.put(s, MAX_PER_LEVEL);
    }
    int omitted = 0;
    for (Severity s : Severity.values()) {
      omitted += Math.max(0, total.get(s) - MAX_PER_LEVEL);
    }
    if (omitted > 0 && total.get(Severity.WARNING) >= MAX_PER_LEVEL) {
      // The "more findings" line is itself a warning annotation and must fit under the cap.
      limit.put(Severity.WARNING, MAX_PER_LEVEL - 1);
    }

    StringBuilder out = new StringBuilder();
    Map<Severity, Integer> shown = new EnumMap<>(Severity.class);
    int[] notShown = new int[Severity.values().length];
    for (Diagnostic d : all) {
      int n = shown.getOrDefault(d.severity(), 0);
      if (n < limit.get(d.severity())) {
        shown.put(d.severity(), n + 1);
        out.append(annotation(report, d, options)).append('\n');
      } else {
        notShown[d.severity().ordinal()]++;
      }
    }
    int rest = notShown[0] + notShown[1] + notShown[2];
    if (rest > 0) {
      out.append("::warning::")
          .append(
              WorkflowCommands.escapeData(
                  RenderSupport.count(rest, "more finding")
                      + " ("
                      + RenderSupport.severityBreakdown(notShown[0], notShown[1], notShown[2])
                      + ") not shown as annotations; see the job summary"))
          .append('\n');
    }
    // A plain line; it starts with a digit, so the runner never takes it for a command.
    out.append(RenderSupport.countsPhrase(report.summary()))
        .append("; verdict: ")
        .append(RenderSupport.verdict(report, options))
        .append('\n');
    return out.toString();
  }

  private static String annotation(Report report, Diagnostic d, RenderOptions options) {
    List<String> props = new ArrayList<>();
    Location l = d.location();
    if (!l.file().isEmpty()) {
      props.add("file=" + WorkflowCommands.escapeProperty(l.file()));
    }
    if (l.line() > 0) {
      props.add("line=" + l.line());
    }
    if (l.column() > 0) {
      props.add("col=" + l.column());
    }
    String title =
        d.ruleId()
            + RenderSupport.rule(report, d.ruleId())
                .map(RuleDescriptor::title)
                .map(t -> " " + t)
                .orElse("");
    props.add("title=" + WorkflowCommands.escapeProperty(title));
    String text =
        d.message()
            + d.hint().map(h -> "\n\nHint: " + h).orElse("")
            + RenderSupport.docsLink(report, d, options).map(u -> "\n\nDocs: " + u).orElse("");
    return "::"
        + command(d.severity())
        + " "
        + String.join(",", props)
        + "::"
        + WorkflowCommands.escapeData(text);
  }

  private static String command(Severity severity) {
    return switch (severity) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "notice";
    };
  }
}
