package dev.tollgate.speckit.internal;

import org.commonmark.internal.InlineParserImpl;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.InlineParser;
import org.commonmark.parser.InlineParserContext;
import org.commonmark.parser.InlineParserFactory;
import org.commonmark.parser.Parser;
import org.commonmark.parser.SourceLine;
import org.commonmark.parser.SourceLines;

/**
 * commonmark's own inline parser, run only where its result can matter to the rules. The rules read
 * the inline nodes of headings (their text) and, inside other blocks, only code spans, inline HTML,
 * links, autolinks and images. A paragraph whose content has no backtick and no {@code <} can hold
 * no code span, HTML or autolink; and without a {@code ](} it can hold no inline link or image, and
 * without a link reference definition in the file no reference link either. Such a paragraph is
 * left without inline children (its text, emphasis and line breaks are never read), which saves
 * most of the inline parsing of a typical Spec Kit file. A one-line heading without any character
 * the inline parser treats specially gets the single text node the parser would make of it. Every
 * other block is parsed as usual.
 */
final class SelectiveInlineParser implements InlineParser {
  private final InlineParser full;
  private final boolean definitions;

  private SelectiveInlineParser(InlineParserContext context, boolean definitions) {
    this.full = new InlineParserImpl(context);
    this.definitions = definitions;
  }

  /**
   * A parser with block and inline source spans whose inline parsing is selective; {@code
   * definitions} says whether the text may hold link reference definitions (then any {@code [} may
   * start a reference link).
   */
  static Parser parser(boolean definitions) {
    return Parser.builder()
        .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
        .inlineParserFactory(
            (InlineParserFactory) context -> new SelectiveInlineParser(context, definitions))
        .build();
  }

  /**
   * Whether a text may hold a link reference definition: every definition has a {@code ]:} right
   * after its label.
   */
  static boolean mayDefineLinks(String text) {
    return text.contains("]:");
  }

  @Override
  public void parse(SourceLines lines, Node block) {
    if (block instanceof Paragraph && !mayHoldReadInlines(lines)) {
      return;
    }
    if (block instanceof Heading && parsePlainHeading(lines, block)) {
      return;
    }
    full.parse(lines, block);
  }

  private boolean mayHoldReadInlines(SourceLines lines) {
    for (SourceLine line : lines.getLines()) {
      String s = line.getContent().toString();
      if (s.indexOf('`') >= 0
          || s.indexOf('<') >= 0
          || s.indexOf("](") >= 0
          || (definitions && s.indexOf('[') >= 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Builds the one text node commonmark makes of a heading without any character its inline parser
   * treats specially (backslash, backtick, entity, angle bracket, brackets, bang, emphasis
   * delimiters, line break) and without surrounding blanks; returns false for any other heading.
   */
  private static boolean parsePlainHeading(SourceLines lines, Node block) {
    if (lines.getLines().size() != 1) {
      return false;
    }
    String s = lines.getLines().get(0).getContent().toString();
    int n = s.length();
    if (n == 0 || isBlank(s.charAt(0)) || isBlank(s.charAt(n - 1))) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      switch (s.charAt(i)) {
        case '\\', '`', '&', '<', '[', ']', '!', '\n', '\r', '*', '_' -> {
          return false;
        }
        default -> {}
      }
    }
    Text text = new Text(s);
    text.setSourceSpans(lines.getSourceSpans());
    block.appendChild(text);
    return true;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
