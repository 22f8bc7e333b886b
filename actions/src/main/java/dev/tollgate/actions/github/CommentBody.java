package dev.tollgate.actions.github;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Markdown of a sticky comment in decreasing detail, so that it always fits GitHub's size
 * limit: the first version that fits is posted; when none fits, the last is cut at a line end and a
 * note links to where the full report is (the run's job summary).
 *
 * <p>Sizes are counted in UTF-8 bytes, which is never less than the characters GitHub counts, so a
 * body that fits here fits there.
 */
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
    return kept + (kept.endsWith("\n") ? "\n" : "\n\n") + note;
  }

  static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The longest prefix ending at a line end (or any code point when no line end fits). */
  private static String cut(String text, int room) {
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
}
