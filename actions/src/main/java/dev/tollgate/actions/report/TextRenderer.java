package dev.tollgate.actions.report;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.report.Report;

/**
 * The terminal format: one compiler-style line per finding ({@code file:line:col: error SK019
 * message}), its hint indented below, then the counts and the verdict.
 *
 * <p>Control characters in paths, messages and hints are printed as escapes ({@code \n}, {@code
 * \u001B}) so that every finding stays on one line for {@code grep} and text read from user files
 * cannot move the cursor or recolour the terminal.
 */
final class TextRenderer implements ReportRenderer {

  @Override
  public String render(Report report, RenderOptions options) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : report.findings()) {
      out.append(location(d.location()))
          .append(": ")
          .append(d.severity().label())
          .append(' ')
          .append(ControlCharacters.escape(d.ruleId()))
          .append(' ')
          .append(ControlCharacters.escape(d.message()))
          .append('\n');
      d.hint()
          .ifPresent(
              h -> out.append("    hint: ").append(ControlCharacters.escape(h)).append('\n'));
    }
    if (out.length() > 0) {
      out.append('\n');
    }
    out.append(RenderSupport.countsPhrase(report.summary())).append('\n');
    out.append("verdict: ").append(RenderSupport.verdict(report, options));
    if (RenderSupport.failedByStrictOnly(report, options)) {
      out.append(" (strict: warnings fail the check)");
    }
    return out.append('\n').toString();
  }

  /** {@code file}, {@code file:line} or {@code file:line:col}; a project-wide finding shows "." */
  private static String location(Location l) {
    String file = l.file().isEmpty() ? "." : ControlCharacters.escape(l.file());
    if (l.line() == 0) {
      return file;
    }
    return l.column() == 0 ? file + ":" + l.line() : file + ":" + l.line() + ":" + l.column();
  }
}
