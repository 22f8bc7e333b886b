package dev.tollgate.actions.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/**
 * Checks that Markdown cut to fit is still whole: no code fence left open, no {@code <details>}
 * left open, every table with its header, delimiter row and at least one row, and the cut note a
 * paragraph of its own at the end (not swallowed by a code block).
 */
final class MarkdownShape {
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");

  private MarkdownShape() {}

  /** Asserts that {@code markdown} has every structure whole. */
  static void assertWhole(String markdown) {
    List<String> lines = List.of(markdown.split("\n", -1));
    String fence = null;
    int details = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m = FENCE.matcher(line);
      if (fence != null) {
        if (m.matches()
            && m.group(1).charAt(0) == fence.charAt(0)
            && m.group(1).length() >= fence.length()
            && m.group(2).isBlank()) {
          fence = null;
        }
        continue;
      }
      if (m.matches() && !(m.group(1).startsWith("`") && m.group(2).contains("`"))) {
        fence = m.group(1);
        continue;
      }
      String lower = line.strip().toLowerCase(Locale.ROOT);
      if (lower.startsWith("<details")) {
        details++;
      }
      if (lower.contains("</details>")) {
        details--;
      }
      boolean tableStarts =
          i + 1 < lines.size()
              && (i == 0 || lines.get(i - 1).isBlank() || !lines.get(i - 1).contains("|"))
              && CommentBody.tableStarts(line, lines.get(i + 1));
      if (tableStarts) {
        assertThat(i + 2 < lines.size() && !lines.get(i + 2).isBlank())
            .as("the table at line %d keeps a row under its header:%n%s", i + 1, markdown)
            .isTrue();
      }
    }
    assertThat(fence).as("a code fence is left open:%n%s", markdown).isNull();
    assertThat(details).as("<details> left open:%n%s", markdown).isLessThanOrEqualTo(0);
  }

  /** Asserts that the last block of {@code markdown} is a paragraph holding {@code text}. */
  static void assertEndsWithParagraph(String markdown, String text) {
    Node doc = Parser.builder().build().parse(markdown);
    Node last = doc.getLastChild();
    assertThat(last)
        .as("the last block of:%n%s", markdown.substring(Math.max(0, markdown.length() - 400)))
        .isInstanceOf(Paragraph.class);
    assertThat(text(last)).contains(text);
  }

  private static String text(Node node) {
    StringBuilder out = new StringBuilder();
    for (Node n = node.getFirstChild(); n != null; n = n.getNext()) {
      out.append(n instanceof Text t ? t.getLiteral() : text(n));
    }
    return out.toString();
  }
}
