package dev.tollgate.actions.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommentKeyTest {

  @Test
  void derived_keys_keep_matrix_legs_apart() {
    assertThat(CommentKey.derive("ci", "gate", "{\"java\":17}"))
        .isNotEqualTo(CommentKey.derive("ci", "gate", "{\"java\":21}"));
    assertThat(CommentKey.derive("ci", "gate", "{\"java\":17}").value())
        .isEqualTo("ci/gate/java=17");
  }

  @Test
  void long_derived_keys_are_cut_with_a_hash_so_they_stay_distinct() {
    String a = CommentKey.derive("w".repeat(300) + "a", "j", "").value();
    String b = CommentKey.derive("w".repeat(300) + "b", "j", "").value();
    assertThat(a).hasSize(CommentKey.MAX_LENGTH).isNotEqualTo(b);
  }

  @Test
  void a_key_must_be_one_non_blank_line() {
    assertThatThrownBy(() -> CommentKey.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("comment key must not be blank");
    assertThatThrownBy(() -> CommentKey.of("a\nb"))
        .hasMessage("comment key must not contain control characters but has U+000A at index 1");
    assertThatThrownBy(() -> CommentKey.of("a\uD800"))
        .hasMessage("comment key must be valid Unicode but has a lone surrogate at index 1");
  }

  @Test
  void the_marker_is_a_hidden_html_comment_that_no_key_can_close() {
    assertThat(CommentMarker.of(CommentKey.of("ci/gate")))
        .isEqualTo("<!-- tollgate:v1 key=ci/gate -->");
    String hostile = CommentMarker.of(CommentKey.of("x --> <b>@team</b> -- y"));
    assertThat(hostile)
        .isEqualTo("<!-- tollgate:v1 key=x%20-%2D%3E%20%3Cb%3E@team%3C/b%3E%20-%2D%20y -->");
    assertThat(hostile.indexOf("-->")).isEqualTo(hostile.length() - 3);
  }

  @Test
  void markers_are_found_only_for_their_own_key() {
    String body = CommentMarker.of(CommentKey.of("ci/gate/java=17")) + "\n### report";
    assertThat(CommentMarker.marks(body, CommentKey.of("ci/gate/java=17"))).isTrue();
    assertThat(CommentMarker.marks(body, CommentKey.of("ci/gate"))).isFalse();
    assertThat(CommentMarker.marks("<!-- tollgate:v1 key=%ZZ -->", CommentKey.of("ci/gate")))
        .isFalse();
  }
}
