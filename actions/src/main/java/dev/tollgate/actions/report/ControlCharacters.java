package dev.tollgate.actions.report;

/**
 * Keeps text from a repository or a pull request on its line in a report: line breaks and other
 * control characters become visible escapes (a line feed the two characters {@code \n}), and so do
 * the bidirectional overrides that make text read differently from what it is. The text, Markdown
 * and verdict renderers all escape this way.
 */
final class ControlCharacters {
  private ControlCharacters() {}

  /**
   * Escapes C0/C1 control characters (except tab) and the bidirectional overrides that can make
   * text read differently from what it is.
   */
  static String escape(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String esc = escape(c);
      if (esc != null && b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (b != null) {
        if (esc != null) {
          b.append(esc);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? text : b.toString();
  }

  private static String escape(char c) {
    if (c == '\n') {
      return "\\n";
    }
    if (c == '\r') {
      return "\\r";
    }
    boolean control = (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
    boolean bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    if (control || bidi) {
      return String.format(java.util.Locale.ROOT, "\\u%04X", (int) c);
    }
    return null;
  }
}
