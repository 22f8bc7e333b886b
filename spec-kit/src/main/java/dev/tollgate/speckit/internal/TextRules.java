package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.speckit.internal.shared.SourceFile;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules that apply to the prose of every Markdown file of a kit: template leftovers (SK007),
 * placeholder words (SK009), empty sections (SK016), broken relative links (SK028), absolute local
 * paths (SK029) and mojibake (SK032). It also finds {@code [NEEDS CLARIFICATION]} markers, whose
 * severity depends on the kit (SK008).
 */
final class TextRules {
  private TextRules() {}

  private static final String[] TEMPLATE_BRACKETS = {
    "[FEATURE NAME]", "[FEATURE]", "[DATE]", "[REMOVE IF UNUSED]", "[###-feature-name]"
  };

  /**
   * The beginnings of the spec template's bracketed instructions, left in place when a story or a
   * section was not written ("### User Story 4 - [Reserved for future expansion]", "[Add more user
   * stories as needed]"); reported with the whole bracket.
   */
  private static final String[] TEMPLATE_INSTRUCTIONS = {
    "[Add more user stories",
    "[Reserved for future",
    "[Brief Title]",
    "[Describe this user journey",
    "[Explain the value and why",
    "[Describe how this can be tested"
  };

  /** What the template writes inside the marker to show how it is used; not a real question. */
  private static final String CLARIFICATION_EXAMPLE = "specific question";

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  /** What a scan found: the findings and the offsets of clarification markers. */
  record Result(List<Diagnostic> findings, List<Integer> clarifications) {}

  /** Scans one parsed file; {@code root} is the project root for resolving links. */
  static Result scan(MarkdownDoc doc, Path root) {
    SourceFile src = doc.source();
    String text = src.text();
    List<Diagnostic> out = new ArrayList<>();
    List<Integer> clarifications = new ArrayList<>();
    // A hand-written scan: one switch per character, far faster than a regex alternation with
    // lookbehinds, and linear whatever the input.
    int pos = doc.nextProse(0);
    while (pos < text.length()) {
      int end = doc.nextNonProse(pos);
      int i = pos;
      // Mojibake needs a non-ASCII character; the characters this loop skips are all ASCII.
      int firstHigh = -1;
      while (i < end) {
        char c = text.charAt(i);
        int used = 0;
        switch (c) {
          case '[' -> {
            // Every bracketed marker starts "[F", "[D", "[R", "[#", "[N", "[A", "[B" or "[E".
            char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            if (next != 'F'
                && next != 'D'
                && next != 'R'
                && next != '#'
                && next != 'N'
                && next != 'A'
                && next != 'B'
                && next != 'E') {
              break;
            }
            for (String t : TEMPLATE_BRACKETS) {
              if (text.startsWith(t, i) && i + t.length() <= end) {
                out.add(template(src, i, t));
                used = t.length();
                break;
              }
            }
            for (int k = 0; used == 0 && k < TEMPLATE_INSTRUCTIONS.length; k++) {
              String t = TEMPLATE_INSTRUCTIONS[k];
              int close = text.indexOf(']', i);
              if (text.startsWith(t, i) && close > 0 && close < end && close - i <= 200) {
                out.add(template(src, i, text.substring(i, close + 1)));
                used = close + 1 - i;
              }
            }
            if (used == 0 && text.startsWith("[NEEDS CLARIFICATION", i)) {
              int j = i + 20;
              while (j < end && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
                j++;
              }
              if (j < end && text.charAt(j) == ':') {
                int close = text.indexOf(']', j);
                if (close > 0
                    && close < end
                    && text.substring(j + 1, close)
                        .strip()
                        .equalsIgnoreCase(CLARIFICATION_EXAMPLE)) {
                  // The template's own instruction ("Use [NEEDS CLARIFICATION: specific
                  // question] for ..."), kept in the spec: a leftover, not an open question.
                  out.add(template(src, i, text.substring(i, close + 1)));
                  used = close + 1 - i;
                } else {
                  clarifications.add(i);
                  used = j + 1 - i;
                }
              }
            }
          }
          case '$' -> {
            if (word(text, i, end, "$ARGUMENTS", false)) {
              out.add(template(src, i, "$ARGUMENTS"));
              used = 10;
            }
          }
          case 'A' -> {
            if (text.startsWith("ACTION REQUIRED", i) && i + 15 <= end) {
              out.add(template(src, i, "ACTION REQUIRED"));
              used = 15;
            }
          }
          case 'T' -> {
            if (word(text, i, end, "TXXX", true)) {
              out.add(template(src, i, "TXXX"));
              used = 4;
            } else {
              for (String w : new String[] {"TODO", "TKTK", "TBD"}) {
                if (word(text, i, end, w, true)
                    && !(w.equals("TODO") && todoAsNoun(text, i, end))) {
                  out.add(placeholder(src, i, w));
                  used = w.length();
                  break;
                }
              }
            }
          }
          case '?' -> {
            int j = i;
            while (j < end && text.charAt(j) == '?') {
              j++;
            }
            if (j - i >= 3) {
              out.add(placeholder(src, i, text.substring(i, j)));
            }
            used = j - i;
          }
          case '/', ':' -> {
            int at = absoluteAt(text, i, end);
            if (at >= 0) {
              out.add(absolute(src, at));
              used = 1;
            }
          }
          default -> {
            if (c >= 0x80 && firstHigh < 0) {
              firstHigh = i;
            }
          }
        }
        i += Math.max(used, 1);
      }
      if (firstHigh >= 0) {
        mojibake(doc, firstHigh, end, out);
      }
      pos = doc.nextProse(end);
    }
    // A home folder in an inline code span is still a leak (e.g. `/Users/me/repo/`), so SK029 also
    // reads code spans; code blocks and link destinations stay out.
    for (int[] span : doc.codeSpans()) {
      for (int i = span[0]; i < span[1]; i++) {
        char c = text.charAt(i);
        if (c == '/' || c == ':') {
          int at = absoluteAt(text, i, span[1]);
          if (at >= 0) {
            out.add(absolute(src, at));
          }
        }
      }
    }
    for (MarkdownDoc.HeadingInfo h : doc.headings()) {
      if (h.empty()) {
        out.add(
            Findings.of(
                "SK016",
                doc.locate(h),
                "section '" + Findings.clip(h.text()) + "' is empty",
                "Write the section's content, or delete the heading if it does not apply."));
      }
    }
    links(doc, root, out);
    return new Result(out, clarifications);
  }

  private static final java.util.Set<String> TODO_NOUNS =
      java.util.Set.of(
          "comment",
          "comments",
          "item",
          "items",
          "list",
          "lists",
          "marker",
          "markers",
          "app",
          "apps",
          "application",
          "tag",
          "tags",
          "entry",
          "entries",
          "note",
          "notes",
          "task",
          "tasks");

  /**
   * Whether the TODO at {@code i} names a thing rather than marks missing text: "TODO/FIXME
   * comments", "add TODO comments", "the TODO app", "MAIN TODO DASHBOARD".
   */
  static boolean todoAsNoun(String text, int i, int end) {
    int e = i + 4;
    if ((e < end && text.charAt(e) == '/') || (i > 0 && text.charAt(i - 1) == '/')) {
      return true;
    }
    if (e < end && text.charAt(e) == ' ') {
      String next = wordAt(text, e + 1, end);
      if (TODO_NOUNS.contains(next.toLowerCase(java.util.Locale.ROOT))) {
        return true;
      }
      if (next.length() >= 2
          && next.equals(next.toUpperCase(java.util.Locale.ROOT))
          && next.chars().allMatch(Character::isLetter)) {
        return true; // part of a name written in capitals: "TODO APP MANAGER"
      }
    }
    if (i >= 2 && text.charAt(i - 1) == ' ') {
      int s = i - 2;
      while (s > 0 && Character.isLetter(text.charAt(s - 1))) {
        s--;
      }
      String prev = text.substring(s, i - 1);
      if (prev.length() >= 2
          && prev.equals(prev.toUpperCase(java.util.Locale.ROOT))
          && prev.chars().allMatch(Character::isLetter)) {
        return true;
      }
    }
    return false;
  }

  private static String wordAt(String text, int from, int end) {
    int e = from;
    while (e < end && Character.isLetter(text.charAt(e))) {
      e++;
    }
    return text.substring(from, e);
  }

  private static boolean wordChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  /**
   * Whether {@code w} starts at {@code i}, not followed (and, if asked, not preceded) by a word
   * char.
   */
  private static boolean word(String text, int i, int end, String w, boolean checkBefore) {
    int e = i + w.length();
    return e <= end
        && text.startsWith(w, i)
        && (e >= text.length() || !wordChar(text.charAt(e)))
        && (!checkBefore || i == 0 || !wordChar(text.charAt(i - 1)));
  }

  /**
   * Where an absolute local path starts, given the '/' of {@code /Users/} or {@code /home/}, or the
   * ':' of a drive letter such as {@code C:\}; -1 when there is none.
   */
  private static int absoluteAt(String text, int i, int end) {
    char c = text.charAt(i);
    if (c == '/') {
      if (i > 0) {
        char p = text.charAt(i - 1);
        if (wordChar(p) || p == '/' || p == '.' || p == '~' || p == ':' || p == '%' || p == '-') {
          return -1;
        }
      }
      int len = text.startsWith("/Users/", i) ? 7 : text.startsWith("/home/", i) ? 6 : 0;
      if (len == 0 || i + len >= end) {
        return -1;
      }
      char n = text.charAt(i + len);
      return wordChar(n) || n == '.' || n == '-' ? i : -1;
    }
    // c == ':': a drive letter before it, a backslash and a name character after it.
    if (i < 1 || i + 2 >= end || text.charAt(i + 1) != '\\') {
      return -1;
    }
    char letter = text.charAt(i - 1);
    if (!((letter >= 'A' && letter <= 'Z') || (letter >= 'a' && letter <= 'z'))) {
      return -1;
    }
    if (i >= 2 && wordChar(text.charAt(i - 2))) {
      return -1;
    }
    char n = text.charAt(i + 2);
    return wordChar(n) || n == '.' || n == '$' || n == ' ' || n == '-' ? i - 1 : -1;
  }

  private static Diagnostic template(SourceFile src, int at, String found) {
    return Findings.of(
        "SK007",
        Findings.locate(src, at),
        "template text '" + found + "' is still in place",
        "Replace the template placeholder with the real content, or delete it.");
  }

  private static Diagnostic placeholder(SourceFile src, int at, String found) {
    return Findings.of(
        "SK009",
        Findings.locate(src, at),
        "placeholder '" + found + "' left in the text",
        "Write the missing content, or move open work to tasks.md.");
  }

  private static Diagnostic absolute(SourceFile src, int at) {
    return Findings.of(
        "SK029",
        Findings.locate(src, at),
        "absolute local path '" + Findings.clip(pathAt(src.text(), at)) + "' in the text",
        "Use a path relative to the repository root; a machine's home folder means nothing to"
            + " other readers.");
  }

  private static String pathAt(String text, int at) {
    int e = at;
    while (e < text.length() && e - at < 200) {
      char c = text.charAt(e);
      if (Character.isWhitespace(c) || c == ')' || c == '`' || c == '"' || c == '\'' || c == ']') {
        break;
      }
      e++;
    }
    return text.substring(at, e);
  }

  private static void links(MarkdownDoc doc, Path root, List<Diagnostic> out) {
    SourceFile src = doc.source();
    Path fileDir = parentOf(root, src.relativePath());
    for (MarkdownDoc.LinkRef link : doc.links()) {
      String dest = link.destination().strip();
      if (dest.isEmpty()
          || dest.startsWith("#")
          || dest.startsWith("//")
          || SCHEME.matcher(dest).find()
          || dest.startsWith("<")) {
        continue;
      }
      String pathPart = dest;
      int cut = indexOfAny(pathPart, '#', '?');
      if (cut >= 0) {
        pathPart = pathPart.substring(0, cut);
      }
      if (pathPart.isEmpty()) {
        continue;
      }
      String decoded;
      try {
        decoded = URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = pathPart;
      }
      boolean exists;
      String shown;
      try {
        Path target =
            decoded.startsWith("/")
                ? root.resolve(decoded.substring(1)).normalize()
                : fileDir.resolve(decoded).normalize();
        exists = Files.exists(target);
        shown = relative(root, target);
      } catch (InvalidPathException e) {
        exists = false;
        shown = decoded;
      }
      if (!exists) {
        out.add(
            Findings.of(
                "SK028",
                Findings.locate(src, link.offset()),
                "link target '"
                    + Findings.clip(dest)
                    + "' does not exist (looked for "
                    + shown
                    + ")",
                "Fix the path (it is relative to this file's folder) or remove the link."));
      }
    }
  }

  private static Path parentOf(Path root, String relativePath) {
    Path p = root.resolve(relativePath).getParent();
    return p == null ? root : p;
  }

  private static String relative(Path root, Path target) {
    try {
      return root.relativize(target).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return target.toString();
    }
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  // ---- SK032 mojibake ------------------------------------------------------------------------

  private static final Map<Character, Integer> CP1252 = reverse("windows-1252");
  private static final Map<Character, Integer> MAC_ROMAN = reverse("x-MacRoman");

  private static Map<Character, Integer> reverse(String charset) {
    Map<Character, Integer> map = new HashMap<>();
    if (!Charset.isSupported(charset)) {
      return map;
    }
    Charset cs = Charset.forName(charset);
    for (int b = 0x80; b <= 0xFF; b++) {
      String s = new String(new byte[] {(byte) b}, cs);
      if (s.length() == 1 && s.charAt(0) != '\uFFFD') {
        map.putIfAbsent(s.charAt(0), b);
      }
    }
    if (charset.equals("windows-1252")) {
      // Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in Windows-1252; tools that produced the
      // mojibake usually passed them through as C1 control characters.
      for (int b = 0x80; b <= 0x9F; b++) {
        map.putIfAbsent((char) b, b);
      }
    }
    return map;
  }

  private static void mojibake(MarkdownDoc doc, int from, int to, List<Diagnostic> out) {
    String text = doc.source().text();
    int i = from;
    while (i < to) {
      if (text.charAt(i) < 0x80) {
        i++;
        continue;
      }
      int matched = 0;
      String decoded = null;
      String via = null;
      for (int t = 0; t < 2 && matched == 0; t++) {
        Map<Character, Integer> table = t == 0 ? CP1252 : MAC_ROMAN;
        StringBuilder sb = new StringBuilder();
        int j = i;
        while (j < to) {
          int n = sequence(text, j, to, table, t == 1, sb);
          if (n == 0) {
            break;
          }
          j += n;
        }
        if (j > i) {
          matched = j - i;
          decoded = sb.toString();
          via = t == 0 ? "Windows-1252" : "Mac Roman";
        }
      }
      if (matched == 0) {
        i++;
        continue;
      }
      String seen = text.substring(i, i + matched);
      out.add(
          Findings.of(
              "SK032",
              Findings.locate(doc.source(), i),
              "text '" + seen + "' looks double-encoded",
              "Probably '"
                  + decoded
                  + "' (UTF-8 bytes read as "
                  + via
                  + "); replace it and save the file as UTF-8."));
      i += matched;
    }
  }

  /**
   * The file as it was meant to read: every double-encoded sequence (UTF-8 read as Windows-1252 or
   * Mac Roman, the sequences SK032 reports) decoded, or the same instance when there is none. Line
   * ends are never part of a sequence, so every line keeps its number; locations in the result
   * still point into the file as written.
   */
  static SourceFile meant(SourceFile written) {
    String text = written.text();
    StringBuilder out = null;
    int[] offsets = null;
    int copied = 0;
    int i = 0;
    int n = text.length();
    StringBuilder sb = new StringBuilder();
    while (i < n) {
      if (text.charAt(i) < 0x80) {
        i++;
        continue;
      }
      int matched = 0;
      for (int t = 0; t < 2 && matched == 0; t++) {
        sb.setLength(0);
        int j = i;
        while (j < n) {
          int k = sequence(text, j, n, t == 0 ? CP1252 : MAC_ROMAN, t == 1, sb);
          if (k == 0) {
            break;
          }
          j += k;
        }
        matched = j - i;
      }
      if (matched == 0) {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
        offsets = new int[n + 1];
      }
      for (int k = copied; k < i; k++) {
        offsets[out.length()] = k;
        out.append(text.charAt(k));
      }
      // Each decoded character stands where the characters that encoded it start.
      int at = i;
      for (int k = 0; k < sb.length(); k++) {
        offsets[out.length()] = at;
        out.append(sb.charAt(k));
        if (!Character.isHighSurrogate(sb.charAt(k))) {
          at += utf8Length(sb, k);
        }
      }
      i += matched;
      copied = i;
    }
    if (out == null) {
      return written;
    }
    for (int k = copied; k < n; k++) {
      offsets[out.length()] = k;
      out.append(text.charAt(k));
    }
    offsets[out.length()] = n;
    return SourceFile.meant(
        written, out.toString(), java.util.Arrays.copyOf(offsets, out.length() + 1));
  }

  /** How many bytes (so how many mis-decoded characters) the UTF-8 form of the char at k took. */
  private static int utf8Length(CharSequence s, int k) {
    char c = s.charAt(k);
    if (Character.isLowSurrogate(c)) {
      return 4;
    }
    return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }

  /**
   * Tries to read one UTF-8 sequence whose bytes were shown as characters of {@code table} at
   * {@code j}; appends the decoded character and returns how many characters it used, or 0.
   */
  private static int sequence(
      String text, int j, int to, Map<Character, Integer> table, boolean mac, StringBuilder sb) {
    Integer lead = table.get(text.charAt(j));
    if (lead == null || lead < 0xC2 || lead > 0xF4) {
      return 0;
    }
    int n = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
    if (j + n >= to) {
      return 0;
    }
    byte[] bytes = new byte[n + 1];
    bytes[0] = (byte) (int) lead;
    for (int k = 1; k <= n; k++) {
      Integer b = table.get(text.charAt(j + k));
      if (b == null || b < 0x80 || b > 0xBF) {
        return 0;
      }
      bytes[k] = (byte) (int) b;
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return 0;
    }
    int cp = s.codePointAt(0);
    boolean plausible =
        mac
            ? (cp >= 0xA0 && cp <= 0xFF) || (n >= 2 && cp >= 0x2000)
            : (cp >= 0xA0 && cp <= 0x24F) || cp >= 0x2000;
    if (!plausible) {
      return 0;
    }
    sb.append(s);
    return n + 1;
  }
}
