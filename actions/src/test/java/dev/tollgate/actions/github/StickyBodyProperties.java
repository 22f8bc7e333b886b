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

/** Whatever the body, the posted comment starts with its key's marker and fits GitHub's limit. */
class StickyBodyProperties {

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

  /** Text of any characters, a line repeated so that some bodies are far over the limit. */
  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> line = Arbitraries.strings().all().ofMaxLength(300);
    return line.flatMap(
        l -> Arbitraries.integers().between(1, 1_500).map(n -> (l + "\n").repeat(n)));
  }

  @Property(tries = 200)
  void every_comment_keeps_its_marker_and_the_limit(
      @ForAll("keys") CommentKey key,
      @ForAll("bodies") String detailed,
      @ForAll("bodies") String shorter,
      @ForAll @IntRange(min = 0, max = 1) int versions) {
    List<String> texts = versions == 0 ? List.of(detailed) : List.of(detailed, shorter);
    String comment =
        StickyCommentWriter.body(
            key, CommentBody.of(texts, Optional.of("https://github.com/o/r/actions/runs/1")));

    assertThat(comment).startsWith(CommentMarker.of(key) + "\n");
    assertThat(CommentMarker.marks(comment, key)).isTrue();
    assertThat(CommentMarker.keysIn(comment)).first().isEqualTo(key);
    assertThat(comment.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(CommentBody.GITHUB_COMMENT_LIMIT);
  }
}
