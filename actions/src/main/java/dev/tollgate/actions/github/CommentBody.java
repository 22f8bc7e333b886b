package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The Markdown of a sticky comment in decreasing detail, so that it always fits GitHub's size
 * limit: the first version that fits is posted; when none fits, the last is cut at a line end and a
 * note links to where the full report is (the run's job summary).
 *
 * <p>A cut keeps the Markdown whole: a fenced code block open at the cut is closed, as are open
 * {@code <details>} elements (so the note is not swallowed by them), and a table keeps its header
 * and delimiter row with at least one whole row, or is dropped whole when that does not fit.
 *
 * <p>Sizes are counted in UTF-8 bytes, which is never less than the characters GitHub counts, so a
 * body that fits here fits there.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class CommentBody {
  /** GitHub's limit for an issue comment (it answers 422 "Body is too long" above it). */
  public static final int GITHUB_COMMENT_LIMIT = 65_536;

  /** GitHub's limit for a check run's summary and text. */
  public static final int GITHUB_CHECK_OUTPUT_LIMIT = 65_535;

  private final List<String> versions;
  private final Optional<String> fullReportUrl;

  private CommentBody(List<String> versions, Optional<String> fullReportUrl) {
    this.versions = versions;
    this.fullReportUrl = fullReportUrl;
  }

  /** A body with one version. */
  public static CommentBody of(String markdown) {
    return of(List.of(markdown), Optional.empty());
  }

  /**
   * A body with several versions, most detailed first.
   *
   * @param fullReportUrl where the cut note points; empty for a note without a link
   * @throws IllegalArgumentException when there is no version
   */
  public static CommentBody of(List<String> versions, Optional<String> fullReportUrl) {
    Objects.requireNonNull(fullReportUrl, "fullReportUrl");
    List<String> copy = List.copyOf(versions);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a comment body needs at least one version");
    }
    return new CommentBody(copy, fullReportUrl);
  }

  /** The versions, most detailed first. */
  public List<String> versions() {
    return versions;
  }

  /**
   * The most detailed version of at most {@code limitBytes} UTF-8 bytes, or the last one cut to fit
   * with a note saying where the full report is.
   *
   * @throws IllegalArgumentException when the limit leaves no room for the note
   */
  public String fit(int limitBytes) {
    for (String v : versions) {
      if (utf8(v) <= limitBytes) {
        return v;
      }
    }
    String note =
        "_Cut to fit GitHub's size limit. "
            + fullReportUrl
                .map(u -> "The full report is in the [job summary](" + u + ").")
                .orElse("The full report is in the job summary.")
            + "_\n";
    // Two line breaks before the note: one may end the cut text, the other starts a paragraph.
    int room = limitBytes - utf8(note) - 2;
    if (room < 0) {
      throw new IllegalArgumentException(
          "limit " + limitBytes + " leaves no room for the " + utf8(note) + "-byte cut note");
    }
    String kept = cut(versions.get(versions.size() - 1), room);
    String gap = kept.isEmpty() || kept.endsWith("\n\n") ? "" : kept.endsWith("\n") ? "\n" : "\n\n";
    return kept + gap + note;
  }

  static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The longest prefix of at most {@code room} bytes that ends at a line end (or any code point
   * when no line end fits), moved back to before a table it would break, and followed by what
   * closes its open code fence and {@code <details>} elements.
   */
  private static String cut(String text, int room) {
    int reserve = 0;
    while (true) {
      String kept = keepTablesWhole(text, prefix(text, Math.max(0, room - reserve)));
      String closing = closing(kept);
      if (utf8(closing) <= reserve) {
        return kept + closing;
      }
      // Make room for the closing lines and look again; the reserve only grows, and no closing
      // is longer than the longest fence plus the <details> elements, so this ends.
      reserve = utf8(closing);
    }
  }

  /** The longest prefix ending at a line end (or any code point when no line end fits). */
  private static String prefix(String text, int room) {
    int bytes = 0;
    int lineEnd = 0;
    int charEnd = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes > room) {
        break;
      }
      i += Character.charCount(cp);
      charEnd = i;
      if (cp == '\n') {
        lineEnd = i;
      }
    }
    return text.substring(0, lineEnd > 0 ? lineEnd : charEnd);
  }

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
  private static final Pattern OTHER_BLOCK =
      Pattern.compile("^ {0,3}([-+*]\\s|\\d{1,9}[.)]\\s|>|#)");
  private static final Pattern DELIMITER_ROW =
      Pattern.compile("^ {0,3}\\|?(\\s*:?-+:?\\s*\\|)*\\s*:?-+:?\\s*\\|?\\s*$");

  /** An open fence: its character and length. */
  private record Fence(char c, int length) {
    static Fence opening(String line) {
      Matcher m = FENCE.matcher(line);
      if (!m.matches() || (m.group(1).charAt(0) == '`' && m.group(2).indexOf('`') >= 0)) {
        return null;
      }
      return new Fence(m.group(1).charAt(0), m.group(1).length());
    }

    boolean closedBy(String line) {
      Matcher m = FENCE.matcher(line);
      return m.matches()
          && m.group(1).charAt(0) == c
          && m.group(1).length() >= length
          && m.group(2).isBlank();
    }
  }

  /**
   * For each line of {@code lines}, the index of the header line of the GFM table it belongs to
   * (header, delimiter row or body row), or -1; fenced code is never a table.
   */
  private static int[] tables(List<String> lines) {
    int[] table = new int[lines.size()];
    Fence fence = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      table[i] = -1;
      if (fence != null) {
        if (fence.closedBy(line)) {
          fence = null;
        }
        continue;
      }
      fence = Fence.opening(line);
      if (fence != null) {
        continue;
      }
      if (i > 0 && table[i - 1] >= 0 && !line.isBlank()) {
        table[i] = table[i - 1]; // a table goes on until a blank line
      } else if (i + 1 < lines.size() && tableStarts(line, lines.get(i + 1))) {
        table[i] = i;
      }
    }
    return table;
  }

  /**
   * Whether {@code header} and {@code delimiter} start a GFM table: a header that is no other block
   * (list item, quote, heading), a delimiter row, and as many cells in both.
   */
  static boolean tableStarts(String header, String delimiter) {
    return header.indexOf('|') >= 0
        && delimiter.indexOf('|') >= 0
        && !OTHER_BLOCK.matcher(header).find()
        && DELIMITER_ROW.matcher(delimiter).matches()
        && cells(header) == cells(delimiter);
  }

  /** The cells of a table row: its unescaped pipes, less a leading and a trailing one. */
  private static int cells(String row) {
    String r = row.strip();
    int pipes = 0;
    for (int i = 0; i < r.length(); i++) {
      if (r.charAt(i) == '\\') {
        i++;
      } else if (r.charAt(i) == '|') {
        pipes++;
      }
    }
    if (r.startsWith("|")) {
      pipes--;
    }
    if (r.length() > 1 && r.endsWith("|") && r.charAt(r.length() - 2) != '\\') {
      pipes--;
    }
    return pipes + 1;
  }

  /**
   * {@code kept}, a prefix of {@code text}, moved back when it ends inside a table: to the table's
   * last whole row when its header, delimiter row and a row remain, else to before the table.
   */
  private static String keepTablesWhole(String text, String kept) {
    if (kept.isEmpty() || kept.length() == text.length()) {
      return kept;
    }
    List<String> lines = List.of(text.split("\n", -1));
    int[] table = tables(lines);
    // The line holding the last kept character, and the first line not kept whole.
    int offset = 0; // where line `last` starts
    int last = 0;
    while (offset + lines.get(last).length() < kept.length() - 1) {
      offset += lines.get(last).length() + 1;
      last++;
    }
    boolean partial = !kept.endsWith("\n");
    int firstDropped = partial ? last : last + 1;
    if (firstDropped >= lines.size()) {
      return kept;
    }
    int t = table[last];
    if (t < 0 || table[firstDropped] != t) {
      return kept;
    }
    int start = 0;
    for (int i = 0; i < t; i++) {
      start += lines.get(i).length() + 1;
    }
    int wholeLines = firstDropped - t;
    if (wholeLines >= 3) {
      return partial ? text.substring(0, offset) : kept;
    }
    return text.substring(0, start);
  }

  /**
   * The lines that close the code fence and the {@code <details>} elements open in {@code kept}.
   */
  private static String closing(String kept) {
    Fence fence = null;
    int details = 0;
    for (String line : kept.split("\n", -1)) {
      if (fence != null) {
        if (fence.closedBy(line)) {
          fence = null;
        }
        continue;
      }
      fence = Fence.opening(line);
      if (fence != null) {
        continue;
      }
      String lower = line.strip().toLowerCase(Locale.ROOT);
      if (lower.startsWith("<details")) {
        details++;
      }
      for (int at = lower.indexOf("</details>");
          at >= 0;
          at = lower.indexOf("</details>", at + 1)) {
        details = Math.max(0, details - 1);
      }
    }
    if (fence == null && details == 0) {
      return "";
    }
    StringBuilder out = new StringBuilder(kept.isEmpty() || kept.endsWith("\n") ? "" : "\n");
    if (fence != null) {
      out.append(String.valueOf(fence.c()).repeat(fence.length())).append('\n');
    }
    out.append("</details>\n".repeat(details));
    return out.toString();
  }
}
