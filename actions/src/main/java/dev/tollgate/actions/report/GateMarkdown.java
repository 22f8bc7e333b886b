package dev.tollgate.actions.report;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import dev.tollgate.policy.GateFinding;
import dev.tollgate.policy.MergeVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The merge gate's verdict in Markdown, for {@code tollgate gate --format markdown}, the sticky
 * pull-request comment, the check run's summary and the job summary.
 *
 * <p>{@link #versions} gives the report in decreasing detail, so that a size-limited place (a
 * comment, a check summary) can take the most detailed one that fits: first every gate, then only
 * the gates that did not pass, then fewer places per gate, then only the table. Text from the
 * repository (reasons, paths, messages) is escaped as {@link MarkdownRenderer#escape} does.
 */
public final class GateMarkdown {
  /** Where the docs of the pull-request rules live, below the docs base URL. */
  public static final String RULES_DOCS = "docs/policy.md#pull-request-rules";

  private static final int PLACES_FULL = 50;
  private static final int PLACES_CAPPED = 5;
  private static final int TEXT_CAPPED = 300;

  private GateMarkdown() {}

  /**
   * The table of every gate: {@code | Gate | Status | Reason |}, as {@code --format markdown}
   * starts.
   */
  public static String table(MergeVerdict verdict) {
    StringBuilder out = new StringBuilder();
    out.append("### Merge gate: ").append(verdict.verdict().status().label()).append("\n\n");
    out.append("| Gate | Status | Reason |\n| --- | --- | --- |\n");
    for (GateResult r : verdict.verdict().results()) {
      out.append("| `")
          .append(r.gate())
          .append("` | ")
          .append(r.status() == GateStatus.PASS ? "✅ pass" : "⛔ " + r.status().label())
          .append(" | ")
          .append(cell(r.reason()))
          .append(" |\n");
    }
    return out.toString();
  }

  /**
   * The verdict as a {@link Report}: one section "gates", one error per blocked gate (or per place
   * it points at), with the next step and safe retry as the hint, for the text-free formats (SARIF,
   * workflow commands, check-run annotations).
   */
  public static Report toReport(
      MergeVerdict verdict, String policyFile, int changedFiles, String docsBaseUrl) {
    List<Diagnostic> findings = new ArrayList<>();
    String docs = docsLink(docsBaseUrl);
    for (GateResult r : verdict.verdict().failures()) {
      Recovery g = r.recovery().orElseThrow();
      String hint = "Next step: " + g.nextStep() + ". Safe retry: " + g.safeRetry() + ".";
      List<GateFinding> places = verdict.findingsOf(r.gate());
      if (places.isEmpty()) {
        findings.add(
            new Diagnostic(
                Severity.ERROR,
                r.gate(),
                r.reason(),
                Location.ofFile(policyFile),
                Optional.of(hint),
                Optional.of(docs)));
      } else {
        for (GateFinding p : places) {
          findings.add(
              new Diagnostic(
                  Severity.ERROR,
                  r.gate(),
                  places.size() == 1 ? r.reason() : p.message(),
                  p.location(),
                  Optional.of(hint),
                  Optional.of(docs)));
        }
      }
    }
    return new Report(
        "gate", "Merge gate", List.of(new Section("gates", "", findings)), List.of(), changedFiles);
  }

  /**
   * The report in decreasing detail: every gate with up to 50 places per blocked gate; only the
   * gates that did not pass; at most 5 places per gate with texts cut to 300 characters and a link
   * to the full report; only the table of gates that did not pass and the link.
   */
  public static List<String> versions(
      MergeVerdict verdict, GateHeading heading, String docsBaseUrl) {
    String head = heading(verdict, heading);
    String link =
        heading
            .runUrl()
            .map(u -> "\n_The full report is in the [job summary](" + u + ")._\n")
            .orElse("\n_The full report is in the job summary._\n");
    String passing = passingLine(verdict);
    return List.of(
        head
            + gateTable(verdict, true)
            + details(verdict, docsBaseUrl, PLACES_FULL, Integer.MAX_VALUE),
        head
            + gateTable(verdict, false)
            + passing
            + details(verdict, docsBaseUrl, PLACES_FULL, Integer.MAX_VALUE),
        head
            + gateTable(verdict, false)
            + passing
            + details(verdict, docsBaseUrl, PLACES_CAPPED, TEXT_CAPPED)
            + link,
        head + gateTable(verdict, false) + passing + link);
  }

  /** The job summary: the full report, then where its facts came from. */
  public static String summary(MergeVerdict verdict, GateHeading heading, String docsBaseUrl) {
    StringBuilder out = new StringBuilder(versions(verdict, heading, docsBaseUrl).get(0));
    if (!heading.notes().isEmpty()) {
      out.append("\n<details><summary>Where the facts came from</summary>\n\n");
      for (String n : heading.notes()) {
        out.append("- ").append(MarkdownRenderer.escape(n)).append('\n');
      }
      out.append("\n</details>\n");
    }
    return out.toString();
  }

  /** The short verdict a sticky comment shrinks to once every gate passes. */
  public static String passing(MergeVerdict verdict, GateHeading heading) {
    int n = verdict.verdict().results().size();
    return "### ✅ Merge gate: pass\n\n"
        + (n == 1 ? "The gate passes" : "All " + n + " gates pass")
        + " at `"
        + CommitInfo.abbreviate(heading.headCommit())
        + "`"
        + heading.runUrl().map(u -> " ([run](" + MarkdownRenderer.url(u) + "))").orElse("")
        + ".\n";
  }

  /** A one-line title: {@code Merge gate: blocked (2 of 8 gates block)}. */
  public static String title(MergeVerdict verdict) {
    List<GateResult> results = verdict.verdict().results();
    long blocked = results.stream().filter(r -> r.status() == GateStatus.BLOCKED).count();
    long errors = results.stream().filter(r -> r.status() == GateStatus.ERROR).count();
    GateStatus status = verdict.verdict().status();
    if (status == GateStatus.PASS) {
      return "Merge gate: pass (" + count(results.size(), "gate") + ")";
    }
    List<String> parts = new ArrayList<>();
    if (blocked > 0) {
      parts.add(blocked + " of " + results.size() + " gates block");
    }
    if (errors > 0) {
      parts.add(errors + " could not decide");
    }
    return "Merge gate: " + status.label() + " (" + String.join(", ", parts) + ")";
  }

  /** A status description: the verdict and the gates that did not pass. */
  public static String description(MergeVerdict verdict) {
    List<String> failing = verdict.verdict().failures().stream().map(GateResult::gate).toList();
    if (failing.isEmpty()) {
      return "every gate passes (" + verdict.verdict().results().size() + ")";
    }
    return verdict.verdict().status().label() + ": " + String.join(", ", failing);
  }

  private static String heading(MergeVerdict verdict, GateHeading h) {
    GateStatus status = verdict.verdict().status();
    String icon = status == GateStatus.PASS ? "✅" : "⛔";
    return "### "
        + icon
        + " "
        + MarkdownRenderer.escape(title(verdict))
        + "\n\n<sub>`"
        + code(h.headLabel())
        + "` (`"
        + CommitInfo.abbreviate(h.headCommit())
        + "`) into `"
        + code(h.baseLabel())
        + "` · policy `"
        + code(h.policyFile())
        + "`"
        + h.policyRef().map(r -> " as of `" + code(r) + "`").orElse("")
        + h.runUrl().map(u -> " · [run](" + MarkdownRenderer.url(u) + ")").orElse("")
        + "</sub>\n\n";
  }

  private static String gateTable(MergeVerdict verdict, boolean withPassing) {
    StringBuilder out = new StringBuilder("| Gate | Status | Reason |\n| --- | --- | --- |\n");
    for (GateResult r : verdict.verdict().results()) {
      if (!withPassing && r.status() == GateStatus.PASS) {
        continue;
      }
      out.append("| `")
          .append(r.gate())
          .append("` | ")
          .append(r.status() == GateStatus.PASS ? "✅ pass" : "⛔ " + r.status().label())
          .append(" | ")
          .append(MarkdownRenderer.escape(RenderSupport.truncate(r.reason(), 300)))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String passingLine(MergeVerdict verdict) {
    List<String> passing =
        verdict.verdict().results().stream()
            .filter(r -> r.status() == GateStatus.PASS)
            .map(r -> "`" + r.gate() + "`")
            .toList();
    if (passing.isEmpty()) {
      return "";
    }
    return "\n✅ "
        + count(passing.size(), "gate")
        + (passing.size() == 1 ? " passes: " : " pass: ")
        + String.join(", ", passing)
        + "\n";
  }

  private static String details(
      MergeVerdict verdict, String docsBaseUrl, int maxPlaces, int maxText) {
    StringBuilder out = new StringBuilder();
    String docs = docsLink(docsBaseUrl);
    for (GateResult r : verdict.verdict().failures()) {
      Recovery g = r.recovery().orElseThrow();
      out.append("\n#### ⛔ `")
          .append(r.gate())
          .append("` ")
          .append(r.status().label())
          .append("\n\n")
          .append(text(r.reason(), maxText))
          .append("\n\n");
      List<GateFinding> places = verdict.findingsOf(r.gate());
      for (GateFinding p : places.subList(0, Math.min(maxPlaces, places.size()))) {
        out.append("- **At** `")
            .append(code(p.location().toString()))
            .append("`: ")
            .append(text(p.message(), maxText))
            .append('\n');
      }
      if (places.size() > maxPlaces) {
        out.append("- ")
            .append(count(places.size() - maxPlaces, "more place"))
            .append(" not shown\n");
      }
      out.append("- **Cause:** ").append(text(g.cause(), maxText)).append('\n');
      out.append("- **Policy:** ").append(text(g.policyContext(), maxText)).append('\n');
      out.append("- **Next step:** ").append(text(g.nextStep(), maxText)).append('\n');
      out.append("- **Safe retry:** ").append(text(g.safeRetry(), maxText)).append('\n');
      out.append("- [How this gate works](").append(MarkdownRenderer.url(docs)).append(")\n");
    }
    return out.toString();
  }

  private static String docsLink(String docsBaseUrl) {
    if (docsBaseUrl.isEmpty()) {
      return RULES_DOCS;
    }
    return docsBaseUrl.endsWith("/") ? docsBaseUrl + RULES_DOCS : docsBaseUrl + "/" + RULES_DOCS;
  }

  private static String text(String s, int max) {
    return MarkdownRenderer.escape(max == Integer.MAX_VALUE ? s : RenderSupport.truncate(s, max));
  }

  /** Text for inside a code span: one line, no backticks (which would end the span). */
  private static String code(String s) {
    StringBuilder b = new StringBuilder();
    String t = RenderSupport.truncate(s, 200);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      b.append(c == '`' ? '\'' : Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString();
  }

  private static String count(long n, String singular) {
    return n + " " + (n == 1 ? singular : singular + "s");
  }

  /** Escapes text for one Markdown table cell: no line breaks, pipes, HTML or mentions. */
  private static String cell(String text) {
    String t = ControlCharacters.escape(text);
    if (t.length() > 300) {
      t = t.substring(0, 299) + "…";
    }
    return t.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("@", "@\u200b")
        .replace("`", "\\`")
        .replace("*", "\\*")
        .replace("_", "\\_");
  }
}
