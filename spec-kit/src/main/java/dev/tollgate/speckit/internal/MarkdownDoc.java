package dev.tollgate.speckit.internal;

import dev.tollgate.core.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * A Markdown file parsed once for every rule: its top-level headings and sections, its links, and a
 * mask of the characters that are not prose (code blocks, code spans, HTML, link destinations and
 * YAML front matter), which content rules must skip.
 */
final class MarkdownDoc {
  // The parsers are thread-safe: each parse() builds its own document parser. Inline content is
  // parsed only where the rules read it (see SelectiveInlineParser).
  private static final Parser PARSER = SelectiveInlineParser.parser(false);
  private static final Parser PARSER_WITH_DEFINITIONS = SelectiveInlineParser.parser(true);

  /** A top-level heading: level 1-6, its plain text and where it starts. */
  record HeadingInfo(int level, String text, int offset, int end, boolean empty) {}

  /** A link or image destination and the offset where the link starts. */
  record LinkRef(String destination, int offset) {}

  private final SourceFile source;
  private final BitSet nonProse;
  private final List<HeadingInfo> headings;
  private final List<LinkRef> links;
  private final List<int[]> codeSpans = new ArrayList<>();
  private Node tree;
  private String[] lowerHeadings; // the headings' text in lower case, computed on first use

  private MarkdownDoc(
      SourceFile source, BitSet nonProse, List<HeadingInfo> headings, List<LinkRef> links) {
    this.source = source;
    this.nonProse = nonProse;
    this.headings = headings;
    this.links = links;
  }

  /** Parses a source file; never throws on any text. */
  static MarkdownDoc parse(SourceFile source) {
    String text = source.text();
    BitSet mask = new BitSet(text.length());
    int fmEnd = frontMatterEnd(text);
    String input = text;
    if (fmEnd > 0) {
      mask.set(0, fmEnd);
      // Blank the front matter rather than cut it, so offsets and lines stay the same and its
      // closing '---' does not turn the YAML into a setext heading.
      StringBuilder sb = new StringBuilder(text);
      for (int i = 0; i < fmEnd; i++) {
        char c = sb.charAt(i);
        if (c != '\n' && c != '\r') {
          sb.setCharAt(i, ' ');
        }
      }
      input = sb.toString();
    }
    Node document;
    try {
      document =
          (SelectiveInlineParser.mayDefineLinks(input) ? PARSER_WITH_DEFINITIONS : PARSER)
              .parse(input);
    } catch (RuntimeException | StackOverflowError e) {
      // commonmark is robust, but a pathological input must not stop the whole run: treat the
      // file as plain prose without structure.
      return new MarkdownDoc(source, mask, List.of(), List.of());
    }
    MarkdownDoc doc = new MarkdownDoc(source, mask, new ArrayList<>(), new ArrayList<>());
    doc.tree = document;
    doc.walk(document);
    doc.collectHeadings(document);
    return doc;
  }

  /**
   * The commonmark tree (front matter blanked, source spans on), so that other parsers of the same
   * file (the task rules) need not parse it again; empty when parsing failed.
   */
  Optional<Node> tree() {
    return Optional.ofNullable(tree);
  }

  /** The file. */
  SourceFile source() {
    return source;
  }

  /** The top-level headings in order. */
  List<HeadingInfo> headings() {
    return headings;
  }

  /** Every link and image destination, in order. */
  List<LinkRef> links() {
    return links;
  }

  /** The {start, end} offsets of every inline code span, backticks included. */
  List<int[]> codeSpans() {
    return codeSpans;
  }

  /** Whether the character at {@code offset} is prose (not code, HTML or a link destination). */
  boolean isProse(int offset) {
    return !nonProse.get(offset);
  }

  /** The first prose offset at or after {@code from}, or the text length. */
  int nextProse(int from) {
    int n = nonProse.nextClearBit(from);
    return Math.min(n, source.text().length());
  }

  /** The first non-prose offset at or after {@code from}, or the text length. */
  int nextNonProse(int from) {
    int n = nonProse.nextSetBit(from);
    return n < 0 ? source.text().length() : Math.min(n, source.text().length());
  }

  /** The location of a heading. */
  Location locate(HeadingInfo h) {
    return Findings.locate(source, h.offset());
  }

  /** The first heading whose lower-cased text contains any of the given fragments. */
  java.util.Optional<HeadingInfo> findHeading(String... fragments) {
    if (lowerHeadings == null) {
      lowerHeadings = new String[headings.size()];
      for (int i = 0; i < lowerHeadings.length; i++) {
        lowerHeadings[i] = headings.get(i).text().toLowerCase(java.util.Locale.ROOT);
      }
    }
    for (int i = 0; i < lowerHeadings.length; i++) {
      String t = lowerHeadings[i];
      for (String f : fragments) {
        if (t.contains(f)) {
          return java.util.Optional.of(headings.get(i));
        }
      }
    }
    return java.util.Optional.empty();
  }

  private void walk(Node root) {
    Deque<Node> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      if (n instanceof Code) {
        for (SourceSpan s : n.getSourceSpans()) {
          int start = Math.min(offset(s), source.text().length());
          codeSpans.add(new int[] {start, Math.min(start + s.getLength(), source.text().length())});
        }
      }
      if (n instanceof FencedCodeBlock
          || n instanceof IndentedCodeBlock
          || n instanceof HtmlBlock
          || n instanceof Code
          || n instanceof HtmlInline
          || n instanceof LinkReferenceDefinition) {
        maskSpans(n);
        continue;
      }
      if (n instanceof Link || n instanceof Image) {
        String dest = n instanceof Link l ? l.getDestination() : ((Image) n).getDestination();
        List<SourceSpan> spans = n.getSourceSpans();
        if (!spans.isEmpty()) {
          int start = offset(spans.get(0));
          SourceSpan last = spans.get(spans.size() - 1);
          int end = offset(last) + last.getLength();
          int childEnd = start;
          for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
            for (SourceSpan s : c.getSourceSpans()) {
              childEnd = Math.max(childEnd, offset(s) + s.getLength());
            }
          }
          boolean autolink = n.getFirstChild() instanceof Text t && t.getLiteral().equals(dest);
          setMask(autolink ? start : childEnd, end);
          links.add(new LinkRef(dest == null ? "" : dest, start));
        }
      }
      // Push children in reverse so they are visited in document order.
      for (Node c = n.getLastChild(); c != null; c = c.getPrevious()) {
        stack.push(c);
      }
    }
  }

  private void collectHeadings(Node document) {
    String text = source.text();
    List<Node> blocks = new ArrayList<>();
    for (Node c = document.getFirstChild(); c != null; c = c.getNext()) {
      blocks.add(c);
    }
    List<int[]> raw = new ArrayList<>(); // {blockIndex, level, offset}
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i) instanceof Heading h && !h.getSourceSpans().isEmpty()) {
        raw.add(new int[] {i, h.getLevel(), offset(h.getSourceSpans().get(0))});
      }
    }
    for (int k = 0; k < raw.size(); k++) {
      int[] r = raw.get(k);
      int level = r[1];
      int end = text.length();
      for (int m = k + 1; m < raw.size(); m++) {
        if (raw.get(m)[1] <= level) {
          end = raw.get(m)[2];
          break;
        }
      }
      int nextBlock = k + 1 < raw.size() ? raw.get(k + 1)[0] : blocks.size();
      boolean content = false;
      for (int b = r[0] + 1; b < nextBlock && !content; b++) {
        content = isContent(blocks.get(b));
      }
      boolean deeperFollows = k + 1 < raw.size() && raw.get(k + 1)[1] > level;
      Heading h = (Heading) blocks.get(r[0]);
      String title = plainText(h).strip();
      headings.add(
          new HeadingInfo(
              level, title, r[2], end, !content && !deeperFollows && !carriesContent(title)));
    }
  }

  /**
   * Whether a heading holds its own content as "Label: value", as research notes write "###
   * Decision: **Cobra**" followed by a sibling "### Rationale": a label of one to three words
   * without digits (so "Phase 1: Setup" stays a title), then a non-empty value.
   */
  static boolean carriesContent(String title) {
    int colon = title.indexOf(':');
    if (colon <= 0 || colon > 40 || title.substring(colon + 1).isBlank()) {
      return false;
    }
    String label = title.substring(0, colon).strip();
    if (label.isEmpty() || label.split("\\s+").length > 3) {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      if (Character.isDigit(label.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isContent(Node block) {
    if (block instanceof ThematicBreak || block instanceof LinkReferenceDefinition) {
      return false;
    }
    if (block instanceof HtmlBlock html) {
      return !html.getLiteral().strip().startsWith("<!--");
    }
    return true;
  }

  /** The plain text of a node's inline content (text and code spans). */
  static String plainText(Node node) {
    StringBuilder sb = new StringBuilder();
    Deque<Node> stack = new ArrayDeque<>();
    stack.push(node);
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      if (n instanceof Text t) {
        sb.append(t.getLiteral());
      } else if (n instanceof Code c) {
        sb.append(c.getLiteral());
      }
      for (Node c = n.getLastChild(); c != null; c = c.getPrevious()) {
        stack.push(c);
      }
    }
    return sb.toString();
  }

  private void maskSpans(Node n) {
    for (SourceSpan s : n.getSourceSpans()) {
      int start = offset(s);
      setMask(start, start + s.getLength());
    }
  }

  private void setMask(int from, int to) {
    int len = source.text().length();
    int a = Math.max(0, Math.min(from, len));
    int b = Math.max(a, Math.min(to, len));
    nonProse.set(a, b);
  }

  private int offset(SourceSpan s) {
    int line = s.getLineIndex() + 1;
    if (line > source.lineCount()) {
      return source.text().length();
    }
    return Math.min(source.lineStart(line) + s.getColumnIndex(), source.text().length());
  }

  /** The end offset of a leading YAML front matter block ({@code ---} ... {@code ---}), or 0. */
  private static int frontMatterEnd(String text) {
    if (!text.startsWith("---\n") && !text.startsWith("---\r\n")) {
      return 0;
    }
    int pos = text.indexOf('\n') + 1;
    while (pos < text.length()) {
      int eol = text.indexOf('\n', pos);
      int lineEnd = eol < 0 ? text.length() : eol;
      String line = text.substring(pos, lineEnd).strip();
      if (line.equals("---") || line.equals("...")) {
        return eol < 0 ? text.length() : eol + 1;
      }
      if (eol < 0) {
        break;
      }
      pos = eol + 1;
    }
    return 0; // no closing line: not front matter, just a thematic break
  }
}
