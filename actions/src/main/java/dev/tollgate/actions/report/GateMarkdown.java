package dev.tollgate.actions.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The merge gate's verdict in Markdown, for {@code tollgate gate --format markdown}, the sticky
 * pull-request comment, the check run's summary and the job summary.
 *
 * <p>The order is made for a phone's first screen: the verdict in one line; then each gate that did
 * not pass with its reason, cause and next step; then what was gated; then, per such gate, when a
 * retry is safe, the policy behind it and the places it points at, as lists rather than tables so
 * that nothing needs horizontal scrolling; last the passing gates, collapsed. {@link #versions}
 * gives the report in decreasing detail, so that a size-limited place (a comment, a check summary)
 * can take the most detailed one that fits. Text from the repository (reasons, paths, messages) is
 * escaped as {@link MarkdownRenderer#escape} does.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class GateMarkdown {
  /** Where the docs of the pull-request rules live, below the docs base URL. */
  public static final String RULES_DOCS = "docs/policy.md#pull-request-rules";

  /** Where a Spec Kit rule's page lives, below the docs base URL; {@code %s} is its id. */
  private static final String SPEC_KIT_RULE_DOCS = "docs/rules/%s.md";

  /** A place's message that starts with a Spec Kit rule id, as the spec-kit gate words them. */
  private static final Pattern SPEC_KIT_RULE = Pattern.compile("^(SK\\d{3}) ");

  private static final int PLACES_FULL = 50;
  private static final int PLACES_CAPPED = 5;
  private static final int TEXT_CAPPED = 300;

  private GateMarkdown() {}

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
   * The report in decreasing detail: every gate, with up to 50 places per gate that did not pass
   * and each passing gate's reason; the same with the passing gates named only; at most 5 places
   * per gate with texts cut to 300 characters and a link to the full report; only the verdict, each
   * gate's reason and next step, and the link.
   */
  public static List<String> versions(
      MergeVerdict verdict, GateHeading heading, String docsBaseUrl) {
    String top = verdictLine(verdict);
    String context = context(heading);
    String link =
        heading
            .runUrl()
            .map(
                u ->
                    "_The full report is in the [job summary]("
                        + MarkdownRenderer.url(u)
                        + ")._\n\n")
            .orElse("_The full report is in the job summary._\n\n");
    String fixes = fixes(verdict, Integer.MAX_VALUE, true);
    String retries =
        retries(verdict, heading.sourceUrl(), docsBaseUrl, PLACES_FULL, Integer.MAX_VALUE);
    return List.of(
        top + fixes + context + retries + passing(verdict, true),
        top + fixes + context + retries + passing(verdict, false),
        top
            + fixes(verdict, TEXT_CAPPED, true)
            + context
            + link
            + retries(verdict, heading.sourceUrl(), docsBaseUrl, PLACES_CAPPED, TEXT_CAPPED)
            + passing(verdict, false),
        top + fixes(verdict, TEXT_CAPPED, false) + context + link + passing(verdict, false));
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

  /**
   * The most detailed version of at most {@code limitBytes} UTF-8 bytes, else the least detailed
   * one: what {@code tollgate gate --format markdown} prints, the comment's body without its
   * marker.
   */
  public static String fitting(
      MergeVerdict verdict, GateHeading heading, String docsBaseUrl, int limitBytes) {
    List<String> versions = versions(verdict, heading, docsBaseUrl);
    for (String v : versions) {
      if (RenderSupport.utf8Length(v) <= limitBytes) {
        return v;
      }
    }
    return versions.get(versions.size() - 1);
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

  /**
   * The verdict as one short heading that fits one line of a phone: {@code ⛔ Merge gate: 2 of 8
   * gates block}. The gates' names and reasons follow it, so it does not repeat them.
   */
  private static String verdictLine(MergeVerdict verdict) {
    List<GateResult> results = verdict.verdict().results();
    long blocked = results.stream().filter(r -> r.status() == GateStatus.BLOCKED).count();
    long errors = results.stream().filter(r -> r.status() == GateStatus.ERROR).count();
    if (blocked == 0 && errors == 0) {
      return "### ✅ Merge gate: "
          + (results.size() == 1 ? "the gate passes" : "all " + results.size() + " gates pass")
          + "\n\n";
    }
    List<String> parts = new ArrayList<>();
    if (blocked > 0) {
      parts.add(blocked + " of " + count(results.size(), "gate") + " block");
    }
    if (errors > 0) {
      parts.add((blocked > 0 ? errors : errors + " of " + results.size()) + " could not decide");
    }
    return "### ⛔ Merge gate: " + String.join(", ", parts) + "\n\n";
  }

  /**
   * Each gate that did not pass as one paragraph: its name and reason, its cause and its next step,
   * each on a line of its own (hard line breaks, which add no margins); {@code withCause} false
   * leaves the cause out.
   */
  private static String fixes(MergeVerdict verdict, int maxText, boolean withCause) {
    StringBuilder out = new StringBuilder();
    for (GateResult r : verdict.verdict().failures()) {
      Recovery g = r.recovery().orElseThrow();
      out.append("⛔ **`")
          .append(r.gate())
          .append("`**")
          .append(r.status() == GateStatus.ERROR ? " could not decide" : "")
          .append(": ")
          .append(text(r.reason(), maxText))
          .append("\\\n");
      if (withCause) {
        out.append("**Cause:** ").append(text(g.cause(), maxText)).append("\\\n");
      }
      out.append("**Next step:** ").append(text(g.nextStep(), maxText)).append("\n\n");
    }
    return out.toString();
  }

  /** What was gated: head and base, the policy and the run, in small print. */
  private static String context(GateHeading h) {
    return "<sub>`"
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

  /**
   * Per gate that did not pass: when a retry is safe, the policy behind it, the places it points at
   * (at most {@code maxPlaces}) and its docs, as a list.
   */
  private static String retries(
      MergeVerdict verdict,
      Optional<String> sourceUrl,
      String docsBaseUrl,
      int maxPlaces,
      int maxText) {
    List<GateResult> failures = verdict.verdict().failures();
    if (failures.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("#### Safe retry, policy and places\n\n");
    String docs = docsLink(docsBaseUrl);
    for (GateResult r : failures) {
      Recovery g = r.recovery().orElseThrow();
      out.append("⛔ **`").append(r.gate()).append("`**\n\n");
      out.append("- **Safe retry:** ").append(text(g.safeRetry(), maxText)).append('\n');
      out.append("- **Policy:** ").append(text(g.policyContext(), maxText)).append('\n');
      List<GateFinding> places = verdict.findingsOf(r.gate());
      for (GateFinding p : places.subList(0, Math.min(maxPlaces, places.size()))) {
        out.append("- **At** ")
            .append(where(p.location(), sourceUrl))
            .append(": ")
            .append(place(p.message(), docsBaseUrl, maxText))
            .append('\n');
      }
      if (places.size() > maxPlaces) {
        out.append("- ")
            .append(count(places.size() - maxPlaces, "more place"))
            .append(" not shown\n");
      }
      out.append("- [How this gate works](").append(MarkdownRenderer.url(docs)).append(")\n\n");
    }
    return out.toString();
  }

  /**
   * A place as code, linked to its line below {@code sourceUrl} when there is one: {@code
   * [`a/B.java:3:7`](https://github.com/o/r/blob/SHA/a/B.java#L3)}.
   */
  private static String where(Location at, Optional<String> sourceUrl) {
    String shown = "`" + code(at.toString()) + "`";
    if (sourceUrl.isEmpty() || at.file().isEmpty()) {
      return shown;
    }
    return "["
        + shown
        + "]("
        + MarkdownRenderer.url(sourceUrl.get())
        + path(at.file())
        + (at.line() > 0 ? "#L" + at.line() : "")
        + ")";
  }

  /** A repository path for a URL: each segment percent-encoded, the slashes kept. */
  private static String path(String file) {
    StringBuilder b = new StringBuilder();
    for (byte c : file.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xFF;
      boolean plain =
          (u >= 'a' && u <= 'z')
              || (u >= 'A' && u <= 'Z')
              || (u >= '0' && u <= '9')
              || "-._~/".indexOf(u) >= 0;
      if (plain) {
        b.append((char) u);
      } else {
        b.append(String.format(Locale.ROOT, "%%%02X", u));
      }
    }
    return b.toString();
  }

  /** A place's message, a leading Spec Kit rule id linked to the rule's page. */
  private static String place(String message, String docsBaseUrl, int maxText) {
    Matcher m = SPEC_KIT_RULE.matcher(message);
    if (!m.find()) {
      return text(message, maxText);
    }
    String rule = m.group(1);
    String page = join(docsBaseUrl, String.format(Locale.ROOT, SPEC_KIT_RULE_DOCS, rule));
    return "["
        + rule
        + "]("
        + MarkdownRenderer.url(page)
        + ") "
        + text(message.substring(m.end()), maxText);
  }

  /**
   * The passing gates in a {@code <details>} element, collapsed unless every gate passes: each with
   * its reason when {@code withReasons}, else by name only.
   */
  private static String passing(MergeVerdict verdict, boolean withReasons) {
    List<GateResult> passing =
        verdict.verdict().results().stream().filter(r -> r.status() == GateStatus.PASS).toList();
    if (passing.isEmpty()) {
      return "";
    }
    boolean all = passing.size() == verdict.verdict().results().size();
    StringBuilder out =
        new StringBuilder("<details")
            .append(all ? " open" : "")
            .append("><summary>✅ ")
            .append(count(passing.size(), "gate"))
            .append(passing.size() == 1 ? " passes" : " pass")
            .append("</summary>\n\n");
    if (withReasons) {
      for (GateResult r : passing) {
        out.append("- `")
            .append(r.gate())
            .append("`: ")
            .append(text(r.reason(), Integer.MAX_VALUE))
            .append('\n');
      }
    } else {
      out.append(String.join(", ", passing.stream().map(r -> "`" + r.gate() + "`").toList()))
          .append('\n');
    }
    return out.append("\n</details>\n").toString();
  }

  private static String docsLink(String docsBaseUrl) {
    return join(docsBaseUrl, RULES_DOCS);
  }

  private static String join(String docsBaseUrl, String path) {
    if (docsBaseUrl.isEmpty()) {
      return path;
    }
    return docsBaseUrl.endsWith("/") ? docsBaseUrl + path : docsBaseUrl + "/" + path;
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
}
