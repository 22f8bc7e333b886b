package dev.tollgate.actions.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.RuleDescriptor;
import dev.tollgate.core.report.Summary;
import java.util.Optional;

/** Helpers every renderer shares: rule look-up, docs links, count phrases and JSON writing. */
final class RenderSupport {

  private RenderSupport() {}

  /** The shared mapper, for building trees with {@code createObjectNode()}. */
  static ObjectMapper mapper() {
    return JsonText.mapper();
  }

  /** Pretty-prints a tree with a trailing newline. */
  static String pretty(JsonNode node) {
    return JsonText.pretty(node);
  }

  /** The catalog entry for a rule id, if the report's catalog has one. */
  static Optional<RuleDescriptor> rule(Report report, String ruleId) {
    for (RuleDescriptor r : report.rules()) {
      if (r.id().equals(ruleId)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The documentation link for a finding: its own link if it has one, else the rule page under
   * {@link RenderOptions#docsBaseUrl()}, else empty.
   */
  static Optional<String> docsLink(Report report, Diagnostic d, RenderOptions options) {
    if (d.docsUrl().isPresent()) {
      return d.docsUrl();
    }
    return rule(report, d.ruleId()).flatMap(r -> ruleLink(r, options));
  }

  /** The documentation link for a rule, or empty when it names no page. */
  static Optional<String> ruleLink(RuleDescriptor rule, RenderOptions options) {
    if (rule.docsPath().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(join(options.docsBaseUrl(), rule.docsPath()));
  }

  private static String join(String base, String path) {
    if (base.isEmpty()) {
      return path;
    }
    boolean slashEnd = base.endsWith("/");
    boolean slashStart = path.startsWith("/");
    if (slashEnd && slashStart) {
      return base + path.substring(1);
    }
    return slashEnd || slashStart ? base + path : base + "/" + path;
  }

  /** {@code 1 error} or {@code 2 errors}. */
  static String count(int n, String singular) {
    return n + " " + (n == 1 ? singular : singular + "s");
  }

  /** {@code 2 errors, 1 warning, 0 infos in 3 features (14 files)}. */
  static String countsPhrase(Summary s) {
    return count(s.errors(), "error")
        + ", "
        + count(s.warnings(), "warning")
        + ", "
        + count(s.infos(), "info")
        + " in "
        + count(s.sections(), "feature")
        + " ("
        + count(s.files(), "file")
        + ")";
  }

  /** {@code 2 errors, 10 warnings}: only the severities that occur, for "not shown" notes. */
  static String severityBreakdown(int errors, int warnings, int infos) {
    StringBuilder b = new StringBuilder();
    appendIfAny(b, errors, "error");
    appendIfAny(b, warnings, "warning");
    appendIfAny(b, infos, "info");
    return b.toString();
  }

  private static void appendIfAny(StringBuilder b, int n, String singular) {
    if (n > 0) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(count(n, singular));
    }
  }

  /** Whether the report fails only because strict mode makes warnings count. */
  static boolean failedByStrictOnly(Report report, RenderOptions options) {
    return options.strict() && report.failed(true) && !report.failed(false);
  }

  /** {@code pass} or {@code fail}, the verdict word every format uses. */
  static String verdict(Report report, RenderOptions options) {
    return report.failed(options.strict()) ? "fail" : "pass";
  }

  /**
   * The SARIF/annotation level word for a severity: {@code error}, {@code warning}, {@code note}.
   */
  static String sarifLevel(Severity severity) {
    return switch (severity) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }

  /** Cuts text to at most {@code max} code points, marking the cut with an ellipsis. */
  static String truncate(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
  }

  /** The UTF-8 size of text, counted without encoding it. */
  static int utf8Length(CharSequence text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
