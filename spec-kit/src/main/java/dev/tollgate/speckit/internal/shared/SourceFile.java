package dev.tollgate.speckit.internal.shared;

import dev.tollgate.core.Location;
import java.util.Arrays;
import java.util.Objects;

/**
 * A text file being validated: its path relative to the project root, its decoded text and an index
 * of line starts, so that any character offset maps to a 1-based line and column.
 *
 * <p>Lines end at {@code \n}, {@code \r\n} or a lone {@code \r}. Columns count UTF-16 code units
 * from 1, as editors and GitHub annotations do for the BMP. A leading byte-order mark is not part
 * of {@link #text()}: callers strip it before constructing, so column 1 is the first visible
 * character.
 */
public final class SourceFile {
  private final String relativePath;
  private final String text;
  private final int[] lineStarts;

  /** The file as its bytes read, when {@link #text} repairs it; otherwise null. */
  private final SourceFile written;

  /** For each offset of {@link #text} and its end, the offset in {@link #written}. */
  private final int[] writtenOffsets;

  private SourceFile(String relativePath, String text) {
    this.relativePath = Objects.requireNonNull(relativePath, "relativePath");
    this.text = Objects.requireNonNull(text, "text");
    this.lineStarts = indexLines(text);
    this.written = null;
    this.writtenOffsets = null;
  }

  private SourceFile(SourceFile written, String text, int[] writtenOffsets) {
    this.relativePath = written.relativePath;
    this.text = text;
    this.lineStarts = indexLines(text);
    this.written = written;
    this.writtenOffsets = writtenOffsets;
  }

  /**
   * A source file with the given {@code /}-separated relative path and text (BOM already removed).
   */
  public static SourceFile of(String relativePath, String text) {
    return new SourceFile(relativePath, text);
  }

  /**
   * The text a damaged file was meant to hold (double-encoded characters decoded, say), read in
   * place of {@code written}: rules see {@code text}, while every location this file gives points
   * into {@code written}, where the user will look.
   *
   * @param writtenOffsets for each offset of {@code text} and for its end ({@code text.length() +
   *     1} entries, never decreasing), the offset in {@code written.text()} where that character's
   *     source starts
   */
  public static SourceFile meant(SourceFile written, String text, int[] writtenOffsets) {
    Objects.requireNonNull(written, "written");
    Objects.requireNonNull(text, "text");
    if (writtenOffsets.length != text.length() + 1) {
      throw new IllegalArgumentException(
          "writtenOffsets has "
              + writtenOffsets.length
              + " entries but the text needs "
              + (text.length() + 1));
    }
    if (written.written != null) {
      throw new IllegalArgumentException(
          written.relativePath + ": already read as meant; repair the file as written");
    }
    return new SourceFile(written, text, writtenOffsets);
  }

  /** The file as its bytes read: this one, unless it was built by {@link #meant}. */
  public SourceFile written() {
    return written != null ? written : this;
  }

  /** The path relative to the project root, {@code /}-separated. */
  public String relativePath() {
    return relativePath;
  }

  /** The whole text, without a byte-order mark. */
  public String text() {
    return text;
  }

  /** How many lines the file has; an empty file has one empty line. */
  public int lineCount() {
    return lineStarts.length;
  }

  /** Line {@code n} (1-based) without its line terminator. */
  public String line(int n) {
    if (n < 1 || n > lineStarts.length) {
      throw new IndexOutOfBoundsException("line " + n + " of " + lineStarts.length);
    }
    return text.substring(lineStarts[n - 1], lineEnd(n));
  }

  /** The character offset where line {@code n} (1-based) starts. */
  public int lineStart(int n) {
    return lineStarts[n - 1];
  }

  /**
   * The location of a character offset ({@code 0 <= offset <= text.length()}), in the file as
   * written (see {@link #meant}).
   */
  public Location locate(int offset) {
    if (offset < 0 || offset > text.length()) {
      throw new IndexOutOfBoundsException("offset " + offset + " of " + text.length());
    }
    if (written != null) {
      return written.locate(writtenOffsets[offset]);
    }
    int idx = Arrays.binarySearch(lineStarts, offset);
    int line = idx >= 0 ? idx : -idx - 2;
    // The offset just past a final line terminator belongs to no line; clamp it to the end of
    // the last line so every location stays inside the file.
    int column = Math.min(offset - lineStarts[line] + 1, lineLength(line + 1) + 1);
    return new Location(relativePath, line + 1, column);
  }

  /**
   * The location of a 1-based line and column of {@link #text()}, clamped into the file so that a
   * location is always inside it (line within 1..lineCount, column within 1..length+1), in the file
   * as written (see {@link #meant}).
   */
  public Location at(int line, int column) {
    int l = Math.max(1, Math.min(line, lineStarts.length));
    int c = Math.max(1, Math.min(column, lineLength(l) + 1));
    if (written != null) {
      return written.locate(writtenOffsets[lineStarts[l - 1] + c - 1]);
    }
    return new Location(relativePath, l, c);
  }

  /** A location naming the whole file. */
  public Location whole() {
    return Location.ofFile(relativePath);
  }

  /**
   * The offset just past the last character of line {@code n} (1-based), before its line
   * terminator: {@code line(n)} is {@code text().substring(lineStart(n), lineEnd(n))}.
   */
  public int lineEnd(int n) {
    if (n < 1 || n > lineStarts.length) {
      throw new IndexOutOfBoundsException("line " + n + " of " + lineStarts.length);
    }
    int start = lineStarts[n - 1];
    int end = n < lineStarts.length ? lineStarts[n] : text.length();
    while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return end;
  }

  private int lineLength(int n) {
    return lineEnd(n) - lineStarts[n - 1];
  }

  private static int[] indexLines(String text) {
    int[] starts = new int[16];
    int n = 0;
    starts[n++] = 0;
    if (text.indexOf('\r') < 0) {
      // The common case, only '\n' terminators: let indexOf find them.
      for (int i = text.indexOf('\n');
          i >= 0 && i + 1 < text.length();
          i = text.indexOf('\n', i + 1)) {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
      return Arrays.copyOf(starts, n);
    }
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      boolean eol =
          ch == '\n' || (ch == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'));
      if (eol && i + 1 <= text.length()) {
        if (i + 1 == text.length()) {
          break; // a final terminator does not start a new line
        }
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, n);
  }
}
