package dev.tollgate.actions.report;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The pull-request format: what a sticky PR comment or a job summary shows. A verdict line with the
 * counts, one table per section that has findings, a note on what was left out, and one line naming
 * the sections that pass.
 *
 * <p>At most {@link RenderOptions#maxFindings()} findings are listed, errors first, and the whole
 * text stays under {@value #MAX_BYTES} UTF-8 bytes (so under GitHub's 65,536-character comment
 * limit however it counts), whatever the report holds. Text from user files is escaped so that it
 * cannot break the table, inject HTML, render as math or emphasis, or mention people.
 */
final class MarkdownRenderer implements ReportRenderer {

  /** The size limit of the whole output in UTF-8 bytes, below GitHub's comment limit. */
  static final int MAX_BYTES = 65_000;

  private static final int MESSAGE_LIMIT = 1_000;
  private static final int HINT_LIMIT = 500;
  private static final int LOCATION_LIMIT = 300;
  private static final int NAME_LIMIT = 100;
  private static final int PASSING_NAMES = 20;

  /** Room kept for the "not shown" note and the last per-section note. */
  private static final int FOOTER_RESERVE = 1_024;

  private static final String TABLE_HEAD =
      "| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n";

  @Override
  public String render(Report report, RenderOptions options) {
    List<Diagnostic> all = report.findings();
    StringBuilder out = new StringBuilder();
    out.append(verdictLine(report, options)).append('\n');

    Set<Diagnostic> selected = Collections.newSetFromMap(new IdentityHashMap<>());
    all.stream()
        .sorted(Comparator.comparing(Diagnostic::severity)) // stable: keeps file order per severity
        .limit(options.maxFindings())
        .forEach(selected::add);

    String passing = passingLine(report);
    int budget =
        MAX_BYTES
            - RenderSupport.utf8Length(out)
            - RenderSupport.utf8Length(passing)
            - FOOTER_RESERVE;

    Set<Diagnostic> shown = Collections.newSetFromMap(new IdentityHashMap<>());
    StringBuilder body = new StringBuilder();
    int bodyBytes = 0;
    boolean sizeCut = false;
    for (Section section : report.sections()) {
      if (sizeCut) {
        break;
      }
      List<Diagnostic> rows = section.findings().stream().filter(selected::contains).toList();
      if (rows.isEmpty()) {
        continue;
      }
      String head = "\n" + sectionHeading(section) + "\n\n" + TABLE_HEAD;
      int shownHere = 0;
      for (Diagnostic d : rows) {
        String row = row(report, d, options);
        int cost =
            RenderSupport.utf8Length(row) + (shownHere == 0 ? RenderSupport.utf8Length(head) : 0);
        if (bodyBytes + cost > budget) {
          sizeCut = true;
          break;
        }
        if (shownHere == 0) {
          body.append(head);
        }
        body.append(row);
        bodyBytes += cost;
        shown.add(d);
        shownHere++;
      }
      int hidden = section.findings().size() - shownHere;
      if (shownHere > 0 && hidden > 0) {
        String note =
            "\n_" + RenderSupport.count(hidden, "more finding") + " in this feature not shown._\n";
        body.append(note);
        bodyBytes += RenderSupport.utf8Length(note);
      }
    }
    out.append(body);

    int errors = 0;
    int warnings = 0;
    int infos = 0;
    int sectionsWithHidden = 0;
    for (Section section : report.sections()) {
      boolean any = false;
      for (Diagnostic d : section.findings()) {
        if (!shown.contains(d)) {
          any = true;
          switch (d.severity()) {
            case ERROR -> errors++;
            case WARNING -> warnings++;
            case INFO -> infos++;
          }
        }
      }
      if (any) {
        sectionsWithHidden++;
      }
    }
    int hidden = errors + warnings + infos;
    if (hidden > 0) {
      out.append("\n**")
          .append(RenderSupport.count(hidden, "more finding"))
          .append(" not shown** (")
          .append(RenderSupport.severityBreakdown(errors, warnings, infos))
          .append(" in ")
          .append(RenderSupport.count(sectionsWithHidden, "feature"))
          .append(
              sizeCut
                  ? "): this comment would exceed GitHub's size limit."
                  : "): the list stops at "
                      + RenderSupport.count(options.maxFindings(), "finding")
                      + ".")
          .append(" The job log and the SARIF upload list them all.\n");
    }
    out.append(passing);
    return fitLimit(out.toString());
  }

  private static String verdictLine(Report report, RenderOptions options) {
    boolean failed = report.failed(options.strict());
    return "### "
        + (failed ? "❌ " : "✅ ")
        + escape(RenderSupport.truncate(report.title(), NAME_LIMIT))
        + (failed ? " failed" : " passed")
        + (RenderSupport.failedByStrictOnly(report, options) ? " (strict: warnings fail)" : "")
        + ": "
        + RenderSupport.countsPhrase(report.summary());
  }

  private static String sectionHeading(Section section) {
    Severity worst =
        section.findings().stream()
            .map(Diagnostic::severity)
            .min(Comparator.naturalOrder())
            .orElse(Severity.INFO);
    int e = 0;
    int w = 0;
    int i = 0;
    for (Diagnostic d : section.findings()) {
      switch (d.severity()) {
        case ERROR -> e++;
        case WARNING -> w++;
        case INFO -> i++;
      }
    }
    return "#### "
        + icon(worst)
        + " "
        + escape(RenderSupport.truncate(displayName(section), NAME_LIMIT))
        + " — "
        + RenderSupport.severityBreakdown(e, w, i);
  }

  private static String displayName(Section section) {
    if (!section.name().isBlank()) {
      return section.name();
    }
    return section.path().isBlank() ? "(project)" : section.path();
  }

  private static String row(Report report, Diagnostic d, RenderOptions options) {
    String rule =
        RenderSupport.docsLink(report, d, options)
            .map(u -> "[" + escape(d.ruleId()) + "](" + url(u) + ")")
            .orElse(escape(d.ruleId()));
    String message =
        escape(RenderSupport.truncate(d.message(), MESSAGE_LIMIT))
            + d.hint()
                .map(h -> "<br>**Hint:** " + escape(RenderSupport.truncate(h, HINT_LIMIT)))
                .orElse("");
    return "| "
        + icon(d.severity())
        + " "
        + d.severity().label()
        + " | "
        + escape(RenderSupport.truncate(location(d.location()), LOCATION_LIMIT))
        + " | "
        + rule
        + " | "
        + message
        + " |\n";
  }

  private static String location(Location l) {
    return l.file().isEmpty() ? "." : l.toString();
  }

  private static String passingLine(Report report) {
    // The project-level section (empty path) is not a feature: it only appears when it has
    // findings, never in the list of features that pass.
    List<Section> passing =
        report.sections().stream()
            .filter(s -> s.findings().isEmpty() && !s.path().isEmpty())
            .toList();
    if (passing.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("\n✅ ");
    b.append(RenderSupport.count(passing.size(), "feature"))
        .append(passing.size() == 1 ? " passes: " : " pass: ");
    for (int k = 0; k < Math.min(PASSING_NAMES, passing.size()); k++) {
      if (k > 0) {
        b.append(", ");
      }
      b.append(escape(RenderSupport.truncate(displayName(passing.get(k)), NAME_LIMIT)));
    }
    if (passing.size() > PASSING_NAMES) {
      b.append(" and ").append(passing.size() - PASSING_NAMES).append(" more");
    }
    return b.append('\n').toString();
  }

  private static String icon(Severity severity) {
    return switch (severity) {
      case ERROR -> "❌";
      case WARNING -> "⚠️";
      case INFO -> "ℹ️";
    };
  }

  /**
   * Escapes text for a table cell or heading: Markdown punctuation gets a backslash, {@code < > &}
   * become entities, line breaks become {@code <br>}, other control characters are dropped, and a
   * word joiner after {@code @} keeps {@code @user} from notifying anyone.
   */
  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\', '`', '*', '_', '[', ']', '|', '~', '$' -> b.append('\\').append(c);
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '@' -> b.append("@\u2060");
        case '\r' -> {
          b.append("<br>");
          if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          }
        }
        case '\n' -> b.append("<br>");
        case '\t' -> b.append(' ');
        default -> {
          if (c >= 0x20 && (c < 0x7F || c > 0x9F)) {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Percent-encodes the characters that would end or break a Markdown link destination. */
  static String url(String u) {
    StringBuilder b = new StringBuilder(u.length());
    for (int i = 0; i < u.length(); i++) {
      char c = u.charAt(i);
      switch (c) {
        case ' ' -> b.append("%20");
        case '(' -> b.append("%28");
        case ')' -> b.append("%29");
        case '<' -> b.append("%3C");
        case '>' -> b.append("%3E");
        case '\\' -> b.append("%5C");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            b.append(String.format(java.util.Locale.ROOT, "%%%02X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * The last guard of the size promise: should the header or the passing line alone be too long,
   * cut at a line end and say so.
   */
  private static String fitLimit(String text) {
    if (RenderSupport.utf8Length(text) <= MAX_BYTES) {
      return text;
    }
    String note = "\n_Output truncated to stay within GitHub's size limit._\n";
    int keep = MAX_BYTES - RenderSupport.utf8Length(note);
    int end = 0;
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      bytes += RenderSupport.utf8Length(String.valueOf(text.charAt(i)));
      if (bytes > keep) {
        break;
      }
      if (text.charAt(i) == '\n') {
        end = i + 1;
      }
    }
    return text.substring(0, end) + note;
  }
}
