package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.speckit.internal.shared.SourceFile;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for the other stage documents: the constitution (SK005), plan.md (SK017) and checklists
 * (SK027).
 */
final class StageRules {
  private StageRules() {}

  private static final Pattern TOKEN = Pattern.compile("\\[[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\]");
  private static final Pattern VERSION =
      Pattern.compile("\\*\\*Version\\*\\*\\s*:?\\s*([^|\\n\\r]*)");
  private static final Pattern RATIFIED =
      Pattern.compile("\\*\\*Ratified\\*\\*\\s*:?\\s*([^|\\n\\r]*)");
  private static final Pattern AMENDED =
      Pattern.compile("\\*\\*Last Amended\\*\\*\\s*:?\\s*([^|\\n\\r]*)");
  private static final Pattern SEMVER =
      Pattern.compile(
          "v?\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}(?:-[0-9A-Za-z.-]{1,40})?(?:\\+[0-9A-Za-z.-]{1,40})?");
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern CHECK_ITEM =
      Pattern.compile("^[ \\t]*[-*+][ \\t]+\\[([ xX])\\](?:[ \\t]+(?:\\*\\*)?(CHK\\d+))?");

  /** SK005: leftover tokens, the version and the dates of a constitution. */
  static List<Diagnostic> constitution(MarkdownDoc doc) {
    SourceFile src = doc.source();
    String text = src.text();
    List<Diagnostic> out = new ArrayList<>();
    Matcher t = TOKEN.matcher(text);
    while (t.find()) {
      if (doc.isProse(t.start())) {
        out.add(
            Findings.of(
                "SK005",
                Findings.locate(src, t.start()),
                "constitution still has the template token " + t.group(),
                "Replace every [ALL_CAPS] token with the project's own text (see"
                    + " /speckit.constitution)."));
      }
    }
    Matcher v = firstProse(doc, VERSION);
    if (v == null) {
      out.add(
          Findings.of(
              "SK005",
              src.whole(),
              "constitution has no '**Version**: x.y.z | **Ratified**: YYYY-MM-DD | **Last"
                  + " Amended**: YYYY-MM-DD' line",
              "Add the footer line so readers know which version of the principles applies."));
      return out;
    }
    String version = v.group(1).strip();
    if (!version.startsWith("[") && !SEMVER.matcher(version).matches()) {
      out.add(
          Findings.of(
              "SK005",
              Findings.locate(src, v.start(1)),
              "constitution version '"
                  + Findings.clip(version)
                  + "' is not semantic; expected"
                  + " MAJOR.MINOR.PATCH such as 1.0.0",
              "Use a semantic version and bump it on every amendment."));
    }
    date(doc, RATIFIED, "Ratified", out);
    date(doc, AMENDED, "Last Amended", out);
    return out;
  }

  private static void date(MarkdownDoc doc, Pattern p, String label, List<Diagnostic> out) {
    SourceFile src = doc.source();
    Matcher m = firstProse(doc, p);
    if (m == null) {
      out.add(
          Findings.of(
              "SK005",
              src.whole(),
              "constitution has no '**" + label + "**: YYYY-MM-DD' date",
              "Add the date next to the version line."));
      return;
    }
    String value = m.group(1).strip();
    if (value.startsWith("[")) {
      return; // a template token, reported once as such
    }
    String bare = value.replace("*", "").replace("_", "").strip();
    boolean ok = ISO_DATE.matcher(bare).matches();
    if (ok) {
      try {
        LocalDate.parse(bare);
      } catch (DateTimeParseException e) {
        ok = false;
      }
    }
    if (!ok) {
      out.add(
          Findings.of(
              "SK005",
              Findings.locate(src, m.start(1)),
              "constitution "
                  + label
                  + " date '"
                  + Findings.clip(value)
                  + "' is not an ISO date;"
                  + " expected YYYY-MM-DD",
              "Write dates as YYYY-MM-DD, e.g. 2025-09-14."));
    }
  }

  private static Matcher firstProse(MarkdownDoc doc, Pattern p) {
    Matcher m = p.matcher(doc.source().text());
    while (m.find()) {
      if (doc.isProse(m.start())) {
        return m;
      }
    }
    return null;
  }

  /** SK017: the sections a plan.md must have. */
  static List<Diagnostic> plan(MarkdownDoc doc) {
    List<Diagnostic> out = new ArrayList<>();
    String[][] required = {
      {"Technical Context", "technical context"},
      {"Constitution Check", "constitution check"},
      {"Project Structure", "project structure"}
    };
    for (String[] r : required) {
      if (doc.findHeading(r[1]).isEmpty()) {
        out.add(
            Findings.of(
                "SK017",
                doc.source().whole(),
                "plan.md has no '" + r[0] + "' section",
                "Add a '## " + r[0] + "' heading as in the Spec Kit plan template."));
      }
    }
    return out;
  }

  /** SK027: unchecked items and duplicate CHK ids of a checklist. */
  static List<Diagnostic> checklist(MarkdownDoc doc) {
    SourceFile src = doc.source();
    List<Diagnostic> out = new ArrayList<>();
    Map<String, Location> ids = new HashMap<>();
    int items = 0;
    int open = 0;
    Location firstOpen = null;
    String firstOpenId = null;
    for (int line = 1; line <= src.lineCount(); line++) {
      int start = src.lineStart(line);
      if (start >= src.text().length() || !doc.isProse(start)) {
        continue;
      }
      Matcher m = CHECK_ITEM.matcher(src.line(line));
      if (!m.find()) {
        continue;
      }
      items++;
      Location box = Findings.locate(src, start + m.start(1) - 1);
      if (m.group(1).equals(" ")) {
        open++;
        if (firstOpen == null) {
          firstOpen = box;
          firstOpenId = m.group(2);
        }
      }
      if (m.group(2) != null) {
        Location at = Findings.locate(src, start + m.start(2));
        Location first = ids.putIfAbsent(m.group(2), at);
        if (first != null) {
          out.add(
              Findings.of(
                  "SK027",
                  at,
                  m.group(2) + " is used twice (first at line " + first.line() + ")",
                  "Give each checklist item its own CHK id."));
        }
      }
    }
    if (open > 0) {
      out.add(
          Findings.of(
              "SK027",
              firstOpen,
              open
                  + " of "
                  + items
                  + " checklist items are unchecked (first: "
                  + (firstOpenId == null ? "line " + firstOpen.line() : firstOpenId)
                  + ")",
              "Check each item once it holds, or record why it does not apply."));
    }
    return out;
  }
}
