package dev.tollgate.actions.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Markers round-trip for every key; a comment body always fits the limit it is given, and a cut one
 * stays whole Markdown.
 */
class CommentProperties {

  @Provide
  Arbitrary<CommentKey> keys() {
    return Arbitraries.strings()
        .all()
        .ofMinLength(1)
        .ofMaxLength(60)
        .filter(s -> !s.isBlank() && s.chars().noneMatch(Character::isISOControl))
        .filter(
            s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s))
        .map(CommentKey::of);
  }

  @Property
  void every_keys_marker_is_found_again_and_only_carries_safe_characters(
      @ForAll("keys") CommentKey key) {
    String marker = CommentMarker.of(key);
    assertThat(CommentMarker.keysIn("text\n" + marker + "\nmore")).containsExactly(key);
    String encoded =
        marker.substring("<!-- tollgate:v1 key=".length(), marker.length() - " -->".length());
    assertThat(encoded).doesNotContain("--", ">", "<").matches("[\\x21-\\x7e]+");
  }

  @Provide
  Arbitrary<String> markdown() {
    return Arbitraries.strings().withChars("ab |\n✅é𝄞").ofMaxLength(3_000);
  }

  @Property(tries = 300)
  void the_fitted_body_never_exceeds_the_limit(
      @ForAll("markdown") String a,
      @ForAll("markdown") String b,
      @ForAll @IntRange(min = 200, max = 4_000) int limit) {
    String fitted =
        CommentBody.of(List.of(a, b), Optional.of("https://github.com/o/r/actions/runs/1"))
            .fit(limit);
    assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
    if (a.getBytes(StandardCharsets.UTF_8).length <= limit) {
      assertThat(fitted).isEqualTo(a);
    }
  }

  /** Markdown made of paragraphs, lists, fenced code, tables and {@code <details>}. */
  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> words =
        // Plain words: the structures come from the blocks below, not from a word that happens
        // to be a fence or a delimiter row.
        Arbitraries.strings().withChars("abc é✅").ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> paragraph =
        words.list().ofMinSize(1).ofMaxSize(20).map(l -> String.join(" ", l) + "\n");
    Arbitrary<String> list =
        words.list().ofMinSize(1).ofMaxSize(30).map(l -> "- " + String.join("\n- ", l) + "\n");
    // Inside a longer fence, a shorter run of its character is content, not the end.
    Arbitrary<String> fence =
        Arbitraries.of("```", "````", "~~~", "~~~~~")
            .flatMap(
                f ->
                    net.jqwik.api.Combinators.combine(
                            Arbitraries.of("", "text", "diff"),
                            Arbitraries.oneOf(
                                    words,
                                    Arbitraries.just(f.substring(1)).filter(x -> x.length() >= 3))
                                .list()
                                .ofMaxSize(60))
                        .as(
                            (info, l) ->
                                f
                                    + info
                                    + "\n"
                                    + String.join("\n", l)
                                    + (l.isEmpty() ? "" : "\n")
                                    + f
                                    + "\n"));
    Arbitrary<String> table =
        words
            .map(w -> w.replace("|", "\\|"))
            .list()
            .ofMinSize(1)
            .ofMaxSize(80)
            .map(
                rows -> {
                  StringBuilder t = new StringBuilder("| Gate | Reason |\n| --- | :--- |\n");
                  rows.forEach(r -> t.append("| `g` | ").append(r).append(" |\n"));
                  return t.toString();
                });
    Arbitrary<String> details =
        list.map(l -> "<details><summary>More</summary>\n\n" + l + "\n</details>\n");
    return Arbitraries.oneOf(paragraph, list, fence, table, details)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .map(blocks -> String.join("\n", blocks));
  }

  @Property(tries = 400)
  void a_cut_body_keeps_its_markdown_whole_and_its_note_last(
      @ForAll("documents") String markdown, @ForAll @IntRange(min = 200, max = 3_000) int limit) {
    String fitted =
        CommentBody.of(List.of(markdown), Optional.of("https://github.com/o/r/actions/runs/1"))
            .fit(limit);

    assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
    if (!fitted.equals(markdown)) {
      MarkdownShape.assertWhole(fitted);
      MarkdownShape.assertEndsWithParagraph(fitted, "Cut to fit GitHub's size limit.");
    }
  }
}
