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
          .append(safe(d.ruleId()))
          .append(' ')
          .append(safe(d.message()))
          .append('\n');
      d.hint().ifPresent(h -> out.append("    hint: ").append(safe(h)).append('\n'));
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
    String file = l.file().isEmpty() ? "." : safe(l.file());
    if (l.line() == 0) {
      return file;
    }
    return l.column() == 0 ? file + ":" + l.line() : file + ":" + l.line() + ":" + l.column();
  }

  /**
   * Escapes C0/C1 control characters (except tab) and the bidirectional overrides that can make
   * text read differently from what it is.
   */
  static String safe(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String esc = escape(c);
      if (esc != null && b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (b != null) {
        if (esc != null) {
          b.append(esc);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? text : b.toString();
  }

  private static String escape(char c) {
    if (c == '\n') {
      return "\\n";
    }
    if (c == '\r') {
      return "\\r";
    }
    boolean control = (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
    boolean bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    if (control || bidi) {
      return String.format(java.util.Locale.ROOT, "\\u%04X", (int) c);
    }
    return null;
  }
}
