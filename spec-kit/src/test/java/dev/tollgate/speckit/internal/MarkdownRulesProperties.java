package dev.tollgate.speckit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.speckit.internal.shared.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser and every per-file rule never throw on arbitrary text, and every location they report
 * is inside the file.
 */
class MarkdownRulesProperties {
  private static final Path ROOT = Path.of("/nonexistent-tollgate-root");

  @Property(tries = 300)
  void rules_never_throw_and_stay_inside_the_file(@ForAll("markdownish") String text) {
    checkAll(SourceFile.of("specs/001-x/spec.md", text));
  }

  @Property(tries = 200)
  void rules_never_throw_on_arbitrary_text(@ForAll String text) {
    checkAll(SourceFile.of("specs/001-x/spec.md", text));
  }

  @Property(tries = 200)
  void rules_never_throw_on_decoded_arbitrary_bytes(@ForAll byte[] bytes) {
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    checkAll(SourceFile.of("memory/constitution.md", text));
  }

  @Property(tries = 200)
  void text_read_as_meant_keeps_every_location_inside_the_file_as_written(
      @ForAll("markdownish") String text) {
    SourceFile written = SourceFile.of("specs/001-x/spec.md", text);
    checkAll(TextRules.meant(written), written);
  }

  @Property(tries = 300)
  void double_encoded_text_reads_as_it_was_meant_on_the_same_lines(
      @ForAll("accented") String meant) {
    String twice =
        new String(
            meant.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.Charset.forName("x-MacRoman"));
    SourceFile written = SourceFile.of("tasks.md", twice);
    SourceFile read = TextRules.meant(written);
    assertThat(read.text()).isEqualTo(meant);
    SourceFile plain = SourceFile.of("tasks.md", meant);
    for (int i = 0; i <= meant.length(); i++) {
      Location l = read.locate(i);
      assertInside(written, l);
      assertThat(l.line()).isEqualTo(plain.locate(i).line());
    }
  }

  @Provide
  Arbitrary<String> accented() {
    return Arbitraries.of("a", "T2 ", "\n", "\n", "—", "’", "✅", "⏳", "é", "ü", "…", "\uD83D\uDE80")
        .list()
        .ofMaxSize(40)
        .map(l -> String.join("", l));
  }

  private static void checkAll(SourceFile src) {
    checkAll(src, src);
  }

  /** Runs every per-file rule on {@code src}, whose locations must be inside {@code written}. */
  private static void checkAll(SourceFile src, SourceFile written) {
    MarkdownDoc doc = MarkdownDoc.parse(src);
    List<Diagnostic> all = new ArrayList<>(TextRules.scan(doc, ROOT).findings());
    all.addAll(SpecRules.check(doc, false).findings());
    all.addAll(SpecRules.check(doc, true).findings());
    all.addAll(StageRules.plan(doc));
    all.addAll(StageRules.constitution(doc));
    all.addAll(StageRules.checklist(doc));
    for (int offset : TextRules.scan(doc, ROOT).clarifications()) {
      assertInside(written, Findings.locate(src, offset));
    }
    for (Diagnostic d : all) {
      assertInside(written, d.location());
    }
  }

  static void assertInside(SourceFile src, Location loc) {
    assertThat(loc.file()).isEqualTo(src.relativePath());
    if (loc.line() == 0) {
      return;
    }
    assertThat(loc.line()).isBetween(1, src.lineCount());
    assertThat(loc.column()).isBetween(1, src.line(loc.line()).length() + 1);
  }

  @Provide
  Arbitrary<String> markdownish() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "# ",
            "## ",
            "### User Story 1 - X (Priority: P1)",
            "### User Story ",
            "\n",
            "\r\n",
            "\r",
            "- **FR-001**: System MUST x",
            "- **FR-01**: x",
            "- **SC-003**: y",
            "**Given** a **Then** b",
            "```",
            "~~~",
            "    code",
            "`",
            "<!--",
            "-->",
            "<div>",
            "[x](./missing.md)",
            "[x](",
            "](",
            "[NEEDS CLARIFICATION: q]",
            "TODO",
            "???",
            "/Users/me",
            "C:\\x",
            "â€™",
            "Ã©",
            "‚úÖ",
            "\uFEFF",
            "---\n",
            "- [ ] CHK001 a",
            "- [x] CHK001 b",
            "**Version**: 1.0",
            "**Ratified**: 2025-13-40",
            "[PROJECT_NAME]",
            "> ",
            "* ",
            "1. ",
            "\t",
            " ",
            "é",
            "\u0000",
            "\uD83C\uDFAF",
            "\uD800");
    return pieces.list().ofMaxSize(60).map(l -> String.join("", l));
  }

  @Property(tries = 100)
  void every_offset_locates_inside_the_file(@ForAll("markdownish") String text) {
    SourceFile src = SourceFile.of("a.md", text);
    for (int i = 0; i <= text.length(); i++) {
      assertInside(src, Findings.locate(src, i));
    }
  }
}
