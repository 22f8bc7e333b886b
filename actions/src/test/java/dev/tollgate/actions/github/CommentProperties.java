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

/** Markers round-trip for every key; a comment body always fits the limit it is given. */
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
  void everyKeysMarkerIsFoundAgainAndOnlyCarriesSafeCharacters(@ForAll("keys") CommentKey key) {
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
  void theFittedBodyNeverExceedsTheLimit(
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
}
