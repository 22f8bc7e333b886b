package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Location;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.gate.Verdict;
import dev.tollgate.policy.GateFinding;
import dev.tollgate.policy.MergeVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/**
 * Whatever the gates' texts hold (Markdown, HTML, backslashes, line breaks), every version of the
 * report parses into the same shape: one verdict heading, one next step per gate that did not pass,
 * and no HTML but the report's own elements.
 */
class GateMarkdownProperties {
  private static final Parser PARSER =
      Parser.builder().extensions(List.of(TablesExtension.create())).build();

  /** The report's own HTML: small print, collapsed lists and line breaks from escaped text. */
  private static final List<String> OWN_HTML =
      List.of(
          "<sub>",
          "</sub>",
          "<details>",
          "<details open>",
          "</details>",
          "<summary>",
          "</summary>",
          "<br>");

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("ab *_`\\<>&|[]()#!-\n\r\t@$~")
            .ofMinLength(1)
            .ofMaxLength(60)
            .filter(t -> !t.isBlank()),
        Arbitraries.of(
            "**Next step:** fake",
            "</details><details>",
            "<sub>x",
            "line\\",
            "\\",
            "```\ncode",
            "### heading",
            "- item",
            "| a | b |\n| --- | --- |"));
  }

  @Property(tries = 200)
  void every_version_has_one_verdict_and_one_next_step_per_gate_that_did_not_pass(
      @ForAll("texts") String reason,
      @ForAll("texts") String cause,
      @ForAll("texts") String next,
      @ForAll("texts") String message,
      @ForAll @IntRange(min = 0, max = 3) int blocked,
      @ForAll @IntRange(min = 0, max = 3) int passing) {
    List<GateResult> results = new ArrayList<>();
    Map<String, List<GateFinding>> places = new LinkedHashMap<>();
    for (int i = 0; i < passing; i++) {
      results.add(GateResult.pass("pass-" + i, reason));
    }
    for (int i = 0; i < blocked; i++) {
      results.add(GateResult.blocked("block-" + i, reason, Recovery.of(cause, next, next, cause)));
      places.put(
          "block-" + i,
          List.of(
              new GateFinding(Location.of("src/" + i + ".java", i + 1, 1), message),
              new GateFinding(Location.ofFile("src/x" + i), "SK019 " + message)));
    }
    if (results.isEmpty()) {
      results.add(GateResult.pass("only", reason));
    }
    MergeVerdict verdict = new MergeVerdict(Verdict.of(results), places);
    GateHeading heading =
        new GateHeading(
            "main",
            "feature/x",
            "e5bd3914e2e596debea16f433f57875b5b90bcd6",
            ".tollgate/policy.yml",
            Optional.of("main"),
            Optional.of("https://github.com/o/r/actions/runs/1"),
            List.of(),
            Optional.of("https://github.com/o/r/blob/e5bd3914e2e596debea16f433f57875b5b90bcd6/"));

    for (String version : GateMarkdown.versions(verdict, heading, "")) {
      Shape shape = Shape.of(PARSER.parse(version));
      assertThat(shape.headings).as(version).startsWith(3).containsOnlyOnce(3);
      assertThat(shape.nextSteps).as(version).isEqualTo(blocked);
      assertThat(shape.html).as(version).allMatch(OWN_HTML::contains);
    }
  }

  /** What a parsed report holds: its heading levels, next-step labels and raw HTML. */
  private static final class Shape extends AbstractVisitor {
    final List<Integer> headings = new ArrayList<>();
    final List<String> html = new ArrayList<>();
    int nextSteps;

    static Shape of(Node document) {
      Shape s = new Shape();
      document.accept(s);
      return s;
    }

    @Override
    public void visit(Heading heading) {
      headings.add(heading.getLevel());
      visitChildren(heading);
    }

    @Override
    public void visit(StrongEmphasis strong) {
      if (strong.getFirstChild() instanceof Text t
          && t.getNext() == null
          && t.getLiteral().equals("Next step:")) {
        nextSteps++;
      }
      visitChildren(strong);
    }

    @Override
    public void visit(HtmlInline inline) {
      html.add(inline.getLiteral());
    }

    @Override
    public void visit(HtmlBlock block) {
      // A block such as "<details><summary>✅ 2 gates pass</summary>": each tag must be ours, and
      // a line that is not a tag is text some input smuggled into the block.
      for (String line : block.getLiteral().split("\n")) {
        String l = line.strip();
        if (!l.startsWith("<")) {
          html.add(l);
          continue;
        }
        for (String tag : l.split("(?=<)")) {
          html.add(tag.substring(0, tag.indexOf('>') + 1));
        }
      }
    }
  }
}
