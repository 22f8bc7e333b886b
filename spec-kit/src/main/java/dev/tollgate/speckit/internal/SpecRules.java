package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for a feature's {@code spec.md} or a classic kit's {@code prd.md}: mandatory sections
 * (SK006), user stories (SK010, SK011) and requirement and criterion ids (SK013, SK014). It also
 * collects the {@link SpecFacts} the task rules need.
 */
final class SpecRules {
  private SpecRules() {}

  /** The findings of one spec or prd and the facts it declares. */
  record Result(List<Diagnostic> findings, SpecFacts facts) {}

  // "User Story 2 - Title (Priority: P1)", with -, en dash, em dash or colon after the number.
  private static final Pattern STORY =
      Pattern.compile(
          "^[^A-Za-z0-9]{0,4}User Stor(?:y|ies)\\b\\s*(\\d+)?", Pattern.CASE_INSENSITIVE);
  // "(Priority: P1)", also with a note after the level: "(Priority: P3 - Future)".
  private static final Pattern PRIORITY =
      Pattern.compile("\\(\\s*Priority\\s*:\\s*P\\d+\\b[^()]{0,60}\\)", Pattern.CASE_INSENSITIVE);
  // Scenario keywords, each found only as a whole word: no ASCII letter just before or after it.
  private static final String[] GIVEN_OR_WHEN_WORDS = {"Given", "GIVEN", "When", "WHEN"};
  private static final String[] THEN_WORDS = {"Then", "THEN"};

  // A declaration: a list item or paragraph starting with an FR/SC id (bold or not) and a colon or
  // dash. Group 1 is the prefix, group 2 what follows it up to the separator.
  private static final Pattern DECLARATION =
      Pattern.compile(
          "^[ \\t]{0,3}(?:(?:[-*+]|\\d{1,3}[.)])[ \\t]+)?(?:\\*\\*|__)?(FR|SC)"
              + "((?:[-_]|[ ]?(?=\\d))[A-Za-z0-9]{0,12}(?:\\.[0-9]{1,4}){0,3})(?:\\*\\*|__)?[ \\t]*[:\\u2013\\u2014-]");
  private static final Pattern WELL_FORMED = Pattern.compile("-(\\d{3,})([a-z]?)");
  // MUST or SHALL as a whole word (no ASCII letter right before or after it), or the normative
  // word of the languages specs are commonly written in: Portuguese and Italian DEVE/DEVEM/DEVONO,
  // Spanish DEBE/DEBEN, French DOIT/DOIVENT, German MUSS/MÜSSEN, Dutch MOET/MOETEN, Polish MUSI,
  // Russian ДОЛЖЕН/ДОЛЖНА/ДОЛЖНО/ДОЛЖНЫ, Chinese 必须/必須/应当/應當, Japanese しなければならない and
  // 必要がある, Korean 해야 (한다/합니다). Written in capitals, as RFC 2119 asks, for Latin scripts.
  private static final String[] OBLIGATION_WORDS = {
    "MUST", "SHALL", "DEVE", "DEVEM", "DEVONO", "DEBE", "DEBEN", "DOIT", "DOIVENT", "MUSS",
    "MÜSSEN", "MOET", "MOETEN", "MUSI", "ДОЛЖЕН", "ДОЛЖНА", "ДОЛЖНО", "ДОЛЖНЫ", "必须", "必須",
    "应当", "應當", "しなければならない", "必要がある", "해야"
  };

  /** Checks a spec.md ({@code prd} false) or prd.md ({@code prd} true). */
  static Result check(MarkdownDoc doc, boolean prd) {
    SourceFile src = doc.source();
    String name = prd ? "prd.md" : "spec.md";
    List<Diagnostic> out = new ArrayList<>();
    if (prd) {
      if (doc.findHeading("acceptance criteria", "acceptance").isEmpty()) {
        out.add(missingSection(src, name, "Acceptance Criteria"));
      }
    } else {
      if (doc.findHeading("user scenarios", "user stories", "user scenario").isEmpty()) {
        out.add(missingSection(src, name, "User Scenarios & Testing"));
      }
      if (doc.findHeading("requirements").isEmpty()) {
        out.add(missingSection(src, name, "Requirements"));
      }
      // The first template (2025-08: "Execution Flow", "Review & Acceptance Checklist",
      // "Execution Status") had no Success Criteria section; a spec written from it is complete
      // without one.
      boolean firstTemplate =
          doc.findHeading("review & acceptance checklist", "execution status").isPresent();
      if (!firstTemplate && doc.findHeading("success criteria").isEmpty()) {
        out.add(missingSection(src, name, "Success Criteria"));
      }
    }
    TreeMap<Integer, Location> stories = new TreeMap<>();
    stories(doc, stories, out);
    TreeMap<String, Location> requirements = new TreeMap<>();
    TreeMap<String, Location> criteria = new TreeMap<>();
    declarations(doc, requirements, criteria, out);
    return new Result(out, new SpecFacts(stories, requirements, criteria));
  }

  private static Diagnostic missingSection(SourceFile src, String name, String section) {
    return Findings.of(
        "SK006",
        src.whole(),
        name + " has no '" + section + "' section",
        "Add a '## " + section + "' heading with its content, as the Spec Kit template does.");
  }

  private static void stories(
      MarkdownDoc doc, TreeMap<Integer, Location> stories, List<Diagnostic> out) {
    String text = doc.source().text();
    for (MarkdownDoc.HeadingInfo h : doc.headings()) {
      Matcher m = STORY.matcher(h.text());
      if (!m.find()) {
        continue;
      }
      Location at = doc.locate(h);
      if (m.group(1) == null) {
        if (PRIORITY.matcher(h.text()).find()) {
          out.add(
              Findings.of(
                  "SK010",
                  at,
                  "user story '" + Findings.clip(h.text()) + "' has no number",
                  "Number the story: '### User Story 1 - Title (Priority: P1)'."));
        }
        continue; // "User Stories" as a section title, not a story
      }
      int number;
      try {
        number = Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        continue;
      }
      if (!PRIORITY.matcher(h.text()).find()) {
        out.add(
            Findings.of(
                "SK010",
                at,
                "user story " + number + " has no (Priority: Pn)",
                "End the heading with its priority, e.g. '(Priority: P1)'."));
      }
      Location first = stories.putIfAbsent(number, at);
      if (first != null) {
        out.add(
            Findings.of(
                "SK010",
                at,
                "user story " + number + " is declared twice (first at line " + first.line() + ")",
                "Give each story its own number."));
      }
      int bodyStart = Math.min(h.offset(), h.end());
      if (!containsWord(text, bodyStart, h.end(), GIVEN_OR_WHEN_WORDS)
          || !containsWord(text, bodyStart, h.end(), THEN_WORDS)) {
        out.add(
            Findings.of(
                "SK011",
                at,
                "user story " + number + " has no Given/When/Then acceptance scenario",
                "Add '**Acceptance Scenarios**:' with items like '1. **Given** ..., **When** ...,"
                    + " **Then** ...'."));
      }
    }
  }

  private static void declarations(
      MarkdownDoc doc,
      TreeMap<String, Location> requirements,
      TreeMap<String, Location> criteria,
      List<Diagnostic> out) {
    SourceFile src = doc.source();
    Map<String, TreeMap<Integer, String>> numbers =
        Map.of("FR", new TreeMap<>(), "SC", new TreeMap<>());
    Map<String, Location> numberAt = new TreeMap<>();
    String all = src.text();
    // The next "FR" and "SC" at or after the current line, so that lines without either are
    // skipped without being copied out of the text.
    int nextFr = all.indexOf("FR");
    int nextSc = all.indexOf("SC");
    for (int line = 1; line <= src.lineCount(); line++) {
      int start = src.lineStart(line);
      if (start >= all.length() || !doc.isProse(start)) {
        continue;
      }
      if (nextFr >= 0 && nextFr < start) {
        nextFr = all.indexOf("FR", start);
      }
      if (nextSc >= 0 && nextSc < start) {
        nextSc = all.indexOf("SC", start);
      }
      int lineEnd = src.lineEnd(line);
      if ((nextFr < 0 || nextFr + 2 > lineEnd) && (nextSc < 0 || nextSc + 2 > lineEnd)) {
        continue;
      }
      String text = src.line(line);
      Matcher m = DECLARATION.matcher(text);
      if (!m.lookingAt()) { // the same as find(): the pattern is anchored with '^'
        continue;
      }
      String prefix = m.group(1);
      String rest = m.group(2);
      Location at = Findings.locate(src, start + m.start(1));
      String id = prefix + rest;
      Matcher wf = WELL_FORMED.matcher(rest);
      if (!wf.matches()) {
        out.add(
            Findings.of(
                "SK013",
                at,
                "id '"
                    + id
                    + "' is malformed; expected "
                    + prefix
                    + "- and three digits, e.g. "
                    + prefix
                    + "-001",
                "Write ids as "
                    + prefix
                    + "-001, "
                    + prefix
                    + "-002, ...; a letter suffix"
                    + " ("
                    + prefix
                    + "-002a) is accepted for inserted items."));
        continue;
      }
      TreeMap<String, Location> target = prefix.equals("FR") ? requirements : criteria;
      Location first = target.putIfAbsent(id, at);
      if (first != null) {
        out.add(
            Findings.of(
                "SK013",
                at,
                id + " is declared twice (first at line " + first.line() + ")",
                "Give the second one the next free number."));
        continue;
      }
      if (wf.group(2).isEmpty()) {
        int n = Integer.parseInt(wf.group(1).length() > 9 ? "999999999" : wf.group(1));
        numbers.get(prefix).putIfAbsent(n, id);
        numberAt.put(id, at);
      }
      if (prefix.equals("FR") && !hasObligation(body(src, line, m.end()))) {
        out.add(
            Findings.of(
                "SK014",
                at,
                id + " states no obligation: expected MUST or SHALL",
                "Phrase it as 'System MUST ...' (or SHALL), so it can be tested."));
      }
    }
    for (var e : numbers.entrySet()) {
      Integer prev = null;
      String prevId = null;
      for (var n : e.getValue().entrySet()) {
        if (prev != null && n.getKey() > prev + 1) {
          String missing =
              n.getKey() == prev + 2
                  ? String.format(java.util.Locale.ROOT, "%s-%03d is", e.getKey(), prev + 1)
                  : String.format(
                      java.util.Locale.ROOT,
                      "%s-%03d to %s-%03d are",
                      e.getKey(),
                      prev + 1,
                      e.getKey(),
                      n.getKey() - 1);
          out.add(
              Findings.of(
                  "SK013",
                  Severity.WARNING,
                  numberAt.get(n.getValue()),
                  n.getValue() + " follows " + prevId + ": " + missing + " missing",
                  "Renumber so ids run without gaps, or note why the ids were retired."));
        }
        prev = n.getKey();
        prevId = n.getValue();
      }
    }
  }

  /**
   * Whether one of {@code words} occurs in {@code text[from, to)} with no ASCII letter right before
   * or after it inside that range (the range's ends count as boundaries).
   */
  private static boolean containsWord(String text, int from, int to, String[] words) {
    for (String w : words) {
      for (int i = text.indexOf(w, from);
          i >= 0 && i + w.length() <= to;
          i = text.indexOf(w, i + 1)) {
        int e = i + w.length();
        if ((i == from || !asciiLetter(text.charAt(i - 1)))
            && (e == to || !asciiLetter(text.charAt(e)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasObligation(String body) {
    return containsWord(body, 0, body.length(), OBLIGATION_WORDS);
  }

  private static boolean asciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** The text of a declaration: the rest of its line and its continuation lines. */
  private static String body(SourceFile src, int line, int from) {
    StringBuilder sb =
        new StringBuilder(src.line(line).substring(Math.min(from, src.line(line).length())));
    for (int l = line + 1; l <= src.lineCount() && l <= line + 20; l++) {
      String t = src.line(l);
      String s = t.strip();
      if (s.isEmpty()
          || s.startsWith("-")
          || s.startsWith("*")
          || s.startsWith("#")
          || (!s.isEmpty() && Character.isDigit(s.charAt(0)) && t.equals(s))) {
        break;
      }
      sb.append(' ').append(s);
    }
    return sb.toString();
  }
}
